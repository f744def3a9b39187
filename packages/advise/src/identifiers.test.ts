import { describe, expect, it } from 'vitest';
import { chooseIndexName, qualifiedName, quoteIdentifier } from './identifiers.js';

describe('identifiers', () => {
  it('quotes only where the dialect needs it', () => {
    expect(quoteIdentifier('customer_id', 'postgres')).toBe('customer_id');
    expect(quoteIdentifier('CustomerId', 'postgres')).toBe('"CustomerId"');
    expect(quoteIdentifier('order', 'postgres')).toBe('"order"');
    expect(quoteIdentifier('CustomerId', 'mysql')).toBe('CustomerId');
    expect(quoteIdentifier('group', 'mysql')).toBe('`group`');
    expect(qualifiedName('public', 'orders', 'postgres')).toBe('public.orders');
    expect(qualifiedName(null, 'my table', 'sqlite')).toBe('"my table"');
  });

  it('chooses a free index name as PostgreSQL does, within 63 bytes', () => {
    expect(chooseIndexName('orders', ['customer_id'], new Set())).toBe('orders_customer_id_idx');
    expect(chooseIndexName('orders', ['customer_id'], new Set(['orders_customer_id_idx']))).toBe(
      'orders_customer_id_idx1',
    );
    expect(chooseIndexName('Orders', ['a'], new Set(['orders_a_idx']), true)).toBe('Orders_a_idx1');
    const long = chooseIndexName('t'.repeat(40), ['c'.repeat(40)], new Set());
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(long.endsWith('_idx')).toBe(true);
  });
});
