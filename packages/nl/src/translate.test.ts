import { openShop, type SqliteFixture } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NlNoTranslationError } from './errors.js';
import { buildSchemaIndex, type SchemaIndex } from './schema-index.js';
import { translate } from './translate.js';
import { buildValueIndex } from './value-index.js';

const now = new Date('2024-06-15T12:00:00Z');
let shop: SqliteFixture<SchemaIndex>;

beforeAll(async () => {
  shop = await openShop({ buildSchemaIndex, buildValueIndex });
});
afterAll(() => shop.close());

function sorted(rows: unknown[][]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Translates, runs the SQL with its parameters, and compares with the rows of hand-written SQL. */
function expectAnswer(question: string, expectedSql: string, options: { ordered?: boolean } = {}): void {
  const t = translate(question, shop.index, { dialect: 'sqlite', now });
  const got = shop.rows(t.sql, t.params);
  const want = shop.rows(expectedSql);
  expect(want.length, `expected SQL returns rows for: ${question}`).toBeGreaterThan(0);
  if (options.ordered) expect(got, `${question}\n${t.sql}`).toEqual(want);
  else expect(sorted(got), `${question}\n${t.sql}`).toEqual(sorted(want));
}

describe('translate: projections and listing', () => {
  it('lists every row of the table a synonym names ("users" are customers)', () => {
    expectAnswer('show me all users', 'SELECT * FROM customers');
  });
  it('shows only the columns asked for', () => {
    expectAnswer(
      'names and emails of customers in Paris',
      "SELECT name, email FROM customers WHERE city = 'Paris'",
    );
  });
  it('shows a column named right after its table', () => {
    expectAnswer('list the product names', 'SELECT name FROM products');
  });
  it('shows columns of two tables joined along their foreign key', () => {
    expectAnswer(
      'product names and their category names',
      'SELECT p.name, c.name FROM products p JOIN categories c ON c.id = p.category_id',
    );
  });
  it('returns distinct values when asked for different ones', () => {
    expectAnswer('what are the different countries of customers', 'SELECT DISTINCT country FROM customers');
  });
});

describe('translate: filters', () => {
  it('finds the column that holds a value from the value index', () => {
    expectAnswer('customers in Paris', "SELECT * FROM customers WHERE city = 'Paris'");
  });
  it('negates a value with "not in"', () => {
    expectAnswer('customers not in France', "SELECT * FROM customers WHERE country <> 'France'");
  });
  it('compares money amounts', () => {
    expectAnswer('products over $100', 'SELECT * FROM products WHERE price > 100');
  });
  it('reads "at least" as greater or equal', () => {
    expectAnswer('products with at least 12 in stock', 'SELECT * FROM products WHERE stock >= 12');
  });
  it('reads "between 10 and 20" as an inclusive range', () => {
    expectAnswer(
      'products with a price between 10 and 20',
      'SELECT * FROM products WHERE price BETWEEN 10 AND 20',
    );
  });
  it('takes the column from a verb ("cost less than 20")', () => {
    expectAnswer('how many products cost less than 20', 'SELECT COUNT(*) FROM products WHERE price < 20');
  });
  it('matches text with "contains"', () => {
    expectAnswer("customers whose name contains 'an'", "SELECT * FROM customers WHERE name LIKE '%an%'");
  });
  it('reads the word after "containing the word" as text to look for in the main text column', () => {
    expectAnswer('reviews containing the word recipes', "SELECT * FROM reviews WHERE body LIKE '%recipes%'");
  });
  it('combines two values of one column with "or"', () => {
    expectAnswer('customers in Berlin or Lyon', "SELECT * FROM customers WHERE city IN ('Berlin', 'Lyon')");
  });
  it('filters on a value of a joined table', () => {
    expectAnswer(
      'names of products in the Books category',
      "SELECT p.name FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Books'",
    );
  });
  it('filters the rows of a child table by a value of its parent', () => {
    expectAnswer(
      'orders of customers in Paris',
      "SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.city = 'Paris'",
    );
  });
});

describe('translate: comparisons with an aggregate', () => {
  it('compares a column with its average ("above the average")', () => {
    expectAnswer(
      'products with a price above the average',
      'SELECT * FROM products WHERE price > (SELECT AVG(price) FROM products)',
    );
  });
  it('reads a comparative adjective against the average ("more expensive than average")', () => {
    expectAnswer(
      'products more expensive than average',
      'SELECT * FROM products WHERE price > (SELECT AVG(price) FROM products)',
    );
  });
});

describe('translate: dates', () => {
  it('reads "last month" relative to now', () => {
    expectAnswer(
      'orders placed last month',
      "SELECT * FROM orders WHERE ordered_at >= '2024-05-01' AND ordered_at < '2024-06-01'",
    );
  });
  it('reads "in 2023" as that year', () => {
    expectAnswer(
      'orders in 2023',
      "SELECT * FROM orders WHERE ordered_at >= '2023-01-01' AND ordered_at < '2024-01-01'",
    );
  });
  it('reads "before March" as before the first of March of this year', () => {
    expectAnswer('orders before March', "SELECT * FROM orders WHERE ordered_at < '2024-03-01'");
  });
});

describe('translate: aggregates and grouping', () => {
  it('counts rows with "how many"', () => {
    expectAnswer('how many customers are there', 'SELECT COUNT(*) FROM customers');
  });
  it('sums a column with "total"', () => {
    expectAnswer('total amount of all orders', 'SELECT SUM(total) FROM orders');
  });
  it('averages a column', () => {
    expectAnswer('average price of products', 'SELECT AVG(price) FROM products');
  });
  it('asks for the highest value of a column', () => {
    expectAnswer('what is the highest product price', 'SELECT MAX(price) FROM products');
  });
  it('asks for the lowest value of a column', () => {
    expectAnswer('what is the lowest rating of reviews', 'SELECT MIN(rating) FROM reviews');
  });
  it('groups by a column with "per"', () => {
    expectAnswer(
      'number of customers per country',
      'SELECT COUNT(*), country FROM customers GROUP BY country',
    );
  });
  it('groups by a column with "for each"', () => {
    expectAnswer('how many orders for each status', 'SELECT COUNT(*), status FROM orders GROUP BY status');
  });
  it('groups by a related table with "each"', () => {
    expectAnswer(
      'how many orders did each customer place',
      'SELECT COUNT(*), c.name FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.id',
    );
  });
  it('averages a related column per row of the main table', () => {
    expectAnswer(
      'average rating of each product',
      'SELECT AVG(r.rating), p.name FROM products p JOIN reviews r ON r.product_id = p.id GROUP BY p.id',
    );
  });
});

describe('translate: ordering and limits', () => {
  it('takes the top 3 by the attribute of "most expensive"', () => {
    expectAnswer('top 3 most expensive products', 'SELECT * FROM products ORDER BY price DESC LIMIT 3', {
      ordered: true,
    });
  });
  it('takes one row for "the cheapest"', () => {
    expectAnswer('the cheapest product', 'SELECT * FROM products ORDER BY price ASC LIMIT 1', {
      ordered: true,
    });
  });
  it('orders by a date for "the newest"', () => {
    expectAnswer('the newest customer', 'SELECT * FROM customers ORDER BY created_at DESC LIMIT 1', {
      ordered: true,
    });
  });
  it('reads "most recently" as the latest date of the main table', () => {
    expectAnswer('the most recently placed order', 'SELECT * FROM orders ORDER BY ordered_at DESC LIMIT 1', {
      ordered: true,
    });
  });
  it('sorts by a named column', () => {
    expectAnswer('customers sorted by name', 'SELECT * FROM customers ORDER BY name', { ordered: true });
  });
  it('sorts in descending order when asked', () => {
    expectAnswer(
      'list product names by price in descending order',
      'SELECT name FROM products ORDER BY price DESC',
      {
        ordered: true,
      },
    );
  });
  it('finds the most common value of a column', () => {
    expectAnswer(
      'the most common country of customers',
      'SELECT country FROM customers GROUP BY country ORDER BY COUNT(*) DESC LIMIT 1',
      { ordered: true },
    );
  });
  it('orders by a count of related rows for "the most"', () => {
    expectAnswer(
      'which product has the most reviews',
      'SELECT p.name FROM products p JOIN reviews r ON r.product_id = p.id GROUP BY p.id ORDER BY COUNT(*) DESC LIMIT 1',
      { ordered: true },
    );
  });
});

describe('translate: conditions on related rows', () => {
  it('finds customers who spent over $1000 (sum of their orders)', () => {
    expectAnswer(
      'find customers who spent over $1000',
      'SELECT c.* FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id HAVING SUM(o.total) > 1000',
    );
  });
  it('counts related rows for "with at least 2 orders"', () => {
    expectAnswer(
      'customers with at least 2 orders',
      'SELECT c.* FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id HAVING COUNT(*) >= 2',
    );
  });
  it('finds rows without related rows', () => {
    expectAnswer(
      'customers without orders',
      'SELECT * FROM customers WHERE id NOT IN (SELECT customer_id FROM orders)',
    );
  });
  it('finds rows that have no related rows ("products that have no reviews")', () => {
    expectAnswer(
      'products that have no reviews',
      'SELECT * FROM products WHERE id NOT IN (SELECT product_id FROM reviews)',
    );
  });
  it('keeps rows that have related rows matching a value', () => {
    expectAnswer(
      'customers with shipped orders',
      "SELECT * FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = 'shipped')",
    );
  });
});

describe('translate: set operations and alternatives', () => {
  it('reads "both A and B" across related rows as one related row for each (INTERSECT)', () => {
    expectAnswer(
      'customers with both shipped and delivered orders',
      "SELECT * FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = 'shipped' INTERSECT SELECT customer_id FROM orders WHERE status = 'delivered')",
    );
  });
  it('intersects the values shown when two rows of the same table meet each condition', () => {
    expectAnswer(
      'countries shared by customers in Paris and customers in Lyon',
      "SELECT country FROM customers WHERE city = 'Paris' INTERSECT SELECT country FROM customers WHERE city = 'Lyon'",
    );
  });
  it('reads "do not have" a value as no related row with it (NOT IN / EXCEPT)', () => {
    expectAnswer(
      'customers who do not have shipped orders',
      "SELECT * FROM customers WHERE id NOT IN (SELECT customer_id FROM orders WHERE status = 'shipped')",
    );
  });
  it('reads "A but not B" as a related row with A and none with B', () => {
    expectAnswer(
      'customers with shipped orders but not delivered ones',
      "SELECT * FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = 'shipped' EXCEPT SELECT customer_id FROM orders WHERE status = 'delivered')",
    );
  });
  it('joins conditions on different columns with OR when the question says "or"', () => {
    expectAnswer(
      'products cheaper than $15 or with a stock below 5',
      'SELECT * FROM products WHERE price < 15 UNION SELECT * FROM products WHERE stock < 5',
    );
  });
});

describe('translate: output', () => {
  it('binds every value from the question as a parameter, never in the SQL text', () => {
    const questions = [
      'names and emails of customers in Paris',
      'products over $100',
      'products with a price between 10 and 20',
      "customers whose name contains 'an'",
      'orders in 2023',
      'top 3 most expensive products',
      'customers with at least 2 orders',
    ];
    for (const q of questions) {
      const t = translate(q, shop.index, { dialect: 'sqlite', now });
      expect(t.params.length, q).toBeGreaterThan(0);
      for (const literal of ['Paris', '100', '10', '20', "'", 'an%', '2023', '3', '2'])
        expect(t.sql, q).not.toContain(literal);
    }
  });

  it('writes $n placeholders and double-quoted names for postgres, ? and backticks for mysql', () => {
    const pg = translate('customers in Paris', shop.index, { dialect: 'postgres', now });
    expect(pg.sql).toBe('SELECT * FROM "customers" WHERE "city" = $1');
    expect(pg.params).toEqual(['Paris']);
    const my = translate('customers in Paris', shop.index, { dialect: 'mysql', now });
    expect(my.sql).toBe('SELECT * FROM `customers` WHERE `city` = ?');
  });

  it('explains the query and names the tables it reads', () => {
    const t = translate('orders of customers in Paris', shop.index, { dialect: 'sqlite', now });
    expect(t.explanation).toContain('orders');
    expect(t.explanation).toContain("'Paris'");
    expect(t.tables).toEqual(['orders', 'customers']);
    expect(t.confidence).toBeGreaterThanOrEqual(0.5);
    expect(t.confidence).toBeLessThanOrEqual(1);
  });

  it('is deterministic', () => {
    const a = translate('find customers who spent over $1000', shop.index, { now });
    const b = translate('find customers who spent over $1000', shop.index, { now });
    expect(b).toEqual(a);
  });
});

describe('translate: refusals', () => {
  it('refuses a request to delete data with NL_NO_TRANSLATION and a hint to write SQL', () => {
    let error: unknown;
    try {
      translate('delete all customers', shop.index, { now });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NlNoTranslationError);
    const e = error as NlNoTranslationError;
    expect(e.code).toBe('NL_NO_TRANSLATION');
    expect(e.hint).toMatch(/SQL/);
    expect(e.suggestions.length).toBeGreaterThan(0);
  });

  it('refuses other writes, also behind a polite opening', () => {
    for (const q of [
      'please update the price of the laptop',
      'can you remove orders from 2023',
      'insert a new customer',
    ]) {
      expect(() => translate(q, shop.index, { now }), q).toThrow(NlNoTranslationError);
    }
  });

  it('refuses a question that names nothing in the database, saying what it did not understand', () => {
    try {
      translate('what is the meaning of life', shop.index, { now });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NlNoTranslationError);
      expect((e as NlNoTranslationError).suggestions.length).toBeGreaterThan(0);
    }
  });

  it('refuses below the confidence threshold and says which words were not understood', () => {
    try {
      translate('customers who adore purple elephants quietly', shop.index, { now, minConfidence: 0.9 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NlNoTranslationError);
      expect((e as NlNoTranslationError).unknownWords).toContain('elephants');
      expect((e as NlNoTranslationError).message).toContain('elephants');
    }
  });
});
