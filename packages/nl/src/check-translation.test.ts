import { openShop, type SqliteFixture } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTranslation, translateChecked } from './check-translation.js';
import { NlUnsafeOutputError } from './errors.js';
import { buildSchemaIndex, type SchemaIndex } from './schema-index.js';
import { translate } from './translate.js';
import { buildValueIndex } from './value-index.js';

const now = new Date('2024-06-15T12:00:00Z');
let shop: SqliteFixture<SchemaIndex>;
beforeAll(async () => {
  shop = await openShop({ buildSchemaIndex, buildValueIndex });
});
afterAll(() => shop.close());

describe('checkTranslation', () => {
  it('passes what the translator writes, in every dialect', async () => {
    const questions = [
      'find customers who spent over $1000',
      'customers without orders',
      'average rating of each product',
      'top 3 most expensive products',
      'orders placed last month',
      'product names and their category names',
    ];
    for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
      for (const q of questions) {
        const t = await translateChecked(q, shop.index, { dialect, now });
        expect(t.sql, `${dialect}: ${q}`).toMatch(/^SELECT /);
      }
    }
  });

  it('rejects a statement that writes, naming why', async () => {
    const t = translate('customers in Paris', shop.index, { dialect: 'postgres', now });
    const forged = { ...t, sql: 'DELETE FROM customers WHERE city = $1' };
    const error = await checkTranslation(forged, 'postgres').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NlUnsafeOutputError);
    expect(error).toMatchObject({ code: 'NL_UNSAFE_OUTPUT' });
    expect((error as NlUnsafeOutputError).reasons.join(' ')).toMatch(/delete/);
  });

  it('rejects a SELECT that reads a table the translation does not name', async () => {
    const t = translate('customers in Paris', shop.index, { dialect: 'sqlite', now });
    const forged = { ...t, sql: 'SELECT * FROM customers, vault_secrets' };
    await expect(checkTranslation(forged, 'sqlite')).rejects.toBeInstanceOf(NlUnsafeOutputError);
  });
});
