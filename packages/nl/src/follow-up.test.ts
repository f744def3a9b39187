import { openShop, type SqliteFixture } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpQuestion, translateFollowUp } from './follow-up.js';
import { buildSchemaIndex, type SchemaIndex } from './schema-index.js';
import { buildValueIndex } from './value-index.js';

let shop: SqliteFixture<SchemaIndex>;
beforeAll(async () => {
  shop = await openShop({ buildSchemaIndex, buildValueIndex });
});
afterAll(() => shop.close());

describe('followUpQuestion', () => {
  it.each([
    ['only the ones in France', 'customers', 'customers in France'],
    ['and by month?', 'orders this year', 'orders this year by month'],
    [
      'but not delivered ones',
      'customers with shipped orders',
      'customers with shipped orders but not delivered ones',
    ],
    ['sort by name', 'customers in Paris', 'customers in Paris sorted by name'],
    ['group by status', 'number of orders', 'number of orders by status'],
  ])('reads "%s" after "%s" as "%s"', (question, previous, whole) => {
    expect(followUpQuestion(question, previous)).toBe(whole);
  });

  it('leaves a question without a cue, or without a previous one, alone', () => {
    expect(followUpQuestion('customers in France', 'orders')).toBeNull();
    expect(followUpQuestion('only the ones in France', undefined)).toBeNull();
    expect(followUpQuestion('android phones', 'orders')).toBeNull();
  });
});

describe('translateFollowUp', () => {
  it('keeps the previous question’s table and filter and adds the follow-up’s', () => {
    const t = translateFollowUp('only the ones in France', 'customers in Paris', shop.index, {
      dialect: 'sqlite',
    });
    expect(t.understoodAs).toBe('customers in Paris in France');
    expect(t.tables).toEqual(['customers']);
    expect(t.params).toEqual(expect.arrayContaining(['Paris', 'France']));
  });

  it('sorts the previous question’s rows on "sort by"', () => {
    const t = translateFollowUp('sort by name', 'customers in Paris', shop.index, { dialect: 'sqlite' });
    expect(t.sql).toMatch(/WHERE .*"city" = \? ORDER BY .*"name"/);
    expect(t.params).toEqual(['Paris']);
  });

  it('translates a question without a cue on its own', () => {
    const t = translateFollowUp('products', 'customers in Paris', shop.index, { dialect: 'sqlite' });
    expect(t.tables).toEqual(['products']);
    expect(t).not.toHaveProperty('understoodAs');
  });
});
