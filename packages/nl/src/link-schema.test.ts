import { openShop, type SqliteFixture } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkSchema } from './link-schema.js';
import { buildSchemaIndex, type SchemaIndex } from './schema-index.js';
import { buildValueIndex } from './value-index.js';

let shop: SqliteFixture<SchemaIndex>;
beforeAll(async () => {
  shop = await openShop({ buildSchemaIndex, buildValueIndex });
});
afterAll(() => shop.close());

describe('linkSchema', () => {
  it('links a table by its plural, its singular and a synonym', () => {
    for (const q of ['all customers', 'the customer', 'every user', 'our clients']) {
      expect(linkSchema(q, shop.index).tables[0]?.table, q).toBe('customers');
    }
  });

  it('links a table whose name is split from snake_case', () => {
    const link = linkSchema('how many order items are there', shop.index);
    expect(link.tables[0]?.table).toBe('order_items');
  });

  it('links columns by name, with the best score first', () => {
    const link = linkSchema('emails of customers', shop.index);
    expect(link.columns[0]).toMatchObject({ table: 'customers', column: 'email', score: 1 });
  });

  it('links a value to the column that holds it, with its stored spelling', () => {
    const link = linkSchema('customers in paris', shop.index);
    expect(link.values).toEqual([{ table: 'customers', column: 'city', value: 'Paris', text: 'paris' }]);
    expect(link.tables.map((t) => t.table)).toContain('customers');
  });

  it('adds the bridge table between two linked tables', () => {
    const link = linkSchema('which products did customers order', shop.index);
    const tables = link.tables.map((t) => t.table);
    expect(tables).toContain('products');
    expect(tables).toContain('customers');
  });

  it('does not link the word "order" in "in descending order" to the orders table', () => {
    const link = linkSchema('products in descending order', shop.index);
    expect(link.tables.map((t) => t.table)).not.toContain('orders');
  });

  it('links nothing in a question about nothing in the schema', () => {
    const link = linkSchema('what is the weather like', shop.index);
    expect(link.tables).toEqual([]);
    expect(link.values).toEqual([]);
  });

  it('links a word by its meaning when it names nothing, below an exact name', () => {
    const buyers = linkSchema('how many buyers are there', shop.index).tables[0];
    expect(buyers?.table).toBe('customers');
    expect(buyers?.score).toBeLessThan(1);
    expect(linkSchema('list all merchandise', shop.index).tables[0]?.table).toBe('products');
    expect(linkSchema('how many customers are there', shop.index).tables[0]).toMatchObject({
      table: 'customers',
      score: 1,
    });
  });

  it('links by meaning only when the index is built with meanings', () => {
    const plain = buildSchemaIndex(shop.schema, { values: shop.index.values, meanings: false });
    expect(linkSchema('list all merchandise', plain).tables.map((t) => t.table)).not.toContain('products');
  });

  it('links two words written as one name ("order items" is order_items; "high schoolers" a Highschooler)', () => {
    const index = buildSchemaIndex({
      dialect: 'sqlite',
      tables: [
        {
          schema: null,
          name: 'Highschooler',
          columns: [{ name: 'ID', type: 'int', nullable: false }],
          primaryKey: ['ID'],
          foreignKeys: [],
        },
      ],
    });
    expect(linkSchema('how many high schoolers are there', index).tables[0]?.table).toBe('Highschooler');
  });

  it('links an adjective to the stored value it pertains to ("French" customers are in France)', () => {
    const link = linkSchema('French customers', shop.index);
    expect(link.values).toContainEqual({
      table: 'customers',
      column: 'country',
      value: 'France',
      text: 'French',
    });
    const plain = buildSchemaIndex(shop.schema, { values: shop.index.values, meanings: false });
    expect(linkSchema('French customers', plain).values).toEqual([]);
  });
});
