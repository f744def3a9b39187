import { openShop, type SqliteFixture } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NlNoTranslationError } from '../errors.js';
import { buildSchemaIndex, type SchemaIndex } from '../schema-index.js';
import { translate } from '../translate.js';
import { buildValueIndex } from '../value-index.js';

const now = new Date('2024-06-15T12:00:00Z');
let shop: SqliteFixture<SchemaIndex>;

beforeAll(async () => {
  shop = await openShop({ buildSchemaIndex, buildValueIndex });
});
afterAll(() => shop.close());

function answer(question: string): unknown[][] {
  const t = translate(question, shop.index, { dialect: 'sqlite', now });
  return shop.rows(t.sql, t.params);
}

describe('planner: a superlative after a relative verb orders the rows', () => {
  // One list of relative-clause words for the aggregate and the adjective readings: "had" opens
  // a clause like "has" and "have" (the two copies of the list once differed by it).
  it('"what product had the highest price" shows the product, not the price', () => {
    const top = shop.rows('SELECT name FROM products ORDER BY price DESC LIMIT 1');
    expect(answer('what product had the highest price')).toEqual(top);
  });
  it('"which product had the most expensive price" shows the product too', () => {
    const top = shop.rows('SELECT name FROM products ORDER BY price DESC LIMIT 1');
    expect(answer('which product had the most expensive price')).toEqual(top);
  });
  it('"what is the highest price" asks for the value', () => {
    expect(answer('what is the highest price of products')).toEqual(
      shop.rows('SELECT MAX(price) FROM products'),
    );
  });
});

describe('planner: questions whose words name nothing are refused', () => {
  // The same kind of list runs on the demo shop in `pnpm eval:nl` (tools/bench/nl/refusals).
  it.each([
    'what is the weather like today',
    'how many legs does a spider have',
    'what time is it in tokyo',
    'tell me a joke',
    'which football team has the most fans',
    'what is the meaning of life',
  ])('%s', (question) => {
    let error: unknown;
    try {
      translate(question, shop.index, { dialect: 'sqlite', now });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NlNoTranslationError);
    expect((error as NlNoTranslationError).code).toBe('NL_NO_TRANSLATION');
    expect((error as NlNoTranslationError).suggestions.length).toBeGreaterThan(0);
  });
});
