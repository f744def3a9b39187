import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NlNoTranslationError } from '@aishell/nl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from './ask.js';
import { EMPTY_CONFIG } from './config.js';
import { Session } from './session.js';

// The embedded demo shop (PGlite), created in a temporary data folder. Expected results come from
// hand-written SQL run on the same database.
const home = mkdtempSync(path.join(os.tmpdir(), 'aishell-ask-'));
const now = new Date('2026-06-15T12:00:00Z');
let session: Session;

beforeAll(async () => {
  session = await Session.open({
    connection: 'demo',
    config: EMPTY_CONFIG,
    env: { XDG_DATA_HOME: home, XDG_CONFIG_HOME: home, XDG_STATE_HOME: home },
  });
}, 300_000);
afterAll(async () => {
  await session?.close();
});

type Row = Record<string, unknown>;
const values = (rows: readonly Row[], pick?: (r: Row) => unknown): string[] =>
  rows.map((r) => JSON.stringify(pick ? pick(r) : Object.values(r)));

/**
 * Asks, then compares the rows with those of `expectedSql`: as multisets, or in order with `ordered`
 * (comparing only `pick(row)` where ties could order rows either way).
 */
async function expectAnswer(
  question: string,
  expectedSql: string,
  options: { ordered?: boolean; pick?: (r: Row) => unknown } = {},
): Promise<void> {
  const answer = await ask(session, question, { now });
  const want = (await session.run(expectedSql)).results[0]!.rows;
  expect(want.length, `the expected SQL returns rows for "${question}"`).toBeGreaterThan(0);
  const got = answer.result!.rows;
  const message = `${question}\n${answer.sql} ${JSON.stringify(answer.params)}`;
  if (options.ordered) expect(values(got, options.pick), message).toEqual(values(want, options.pick));
  else expect(values(got, options.pick).sort(), message).toEqual(values(want, options.pick).sort());
}

describe('ask on the demo shop: the two questions of the issue', () => {
  it('shows all customers for "show me all users"', async () => {
    await expectAnswer('show me all users', 'SELECT * FROM customers');
  });

  it('finds customers who spent over $1000 (the total of their orders)', async () => {
    await expectAnswer(
      'find customers who spent over $1000',
      'SELECT c.* FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id HAVING SUM(o.total) > 1000',
    );
  });
});

describe('ask on the demo shop: projections, values and filters', () => {
  it('answers "customers in Paris" from the city column', async () => {
    await expectAnswer('customers in Paris', "SELECT * FROM customers WHERE city = 'Paris'");
  });
  it('shows the columns asked for', async () => {
    await expectAnswer(
      'first names and emails of customers in Tokyo',
      "SELECT first_name, email FROM customers WHERE city = 'Tokyo'",
    );
  });
  it('negates a value', async () => {
    await expectAnswer('customers not in France', "SELECT * FROM customers WHERE country <> 'France'");
  });
  it('reads "or" between two values of one column', async () => {
    await expectAnswer(
      'customers in Berlin or Madrid',
      "SELECT * FROM customers WHERE city IN ('Berlin', 'Madrid')",
    );
  });
  it('returns distinct values', async () => {
    await expectAnswer(
      'distinct cities of customers in France',
      "SELECT DISTINCT city FROM customers WHERE country = 'France'",
    );
  });
  it('compares a number with "over"', async () => {
    await expectAnswer(
      'employees with a salary over 100000',
      'SELECT * FROM employees WHERE salary > 100000',
    );
  });
  it('takes the column from a verb ("cost less than 20")', async () => {
    await expectAnswer(
      'how many products cost less than 20',
      'SELECT COUNT(*) FROM products WHERE price < 20',
    );
  });
  it('reads an inclusive range', async () => {
    await expectAnswer(
      'products with a price between 10 and 20',
      'SELECT * FROM products WHERE price BETWEEN 10 AND 20',
    );
  });
  it('combines a money filter and a value', async () => {
    await expectAnswer(
      'orders over $500 that are shipped',
      "SELECT * FROM orders WHERE total > 500 AND status = 'shipped'",
    );
  });
  it('matches part of a text', async () => {
    await expectAnswer(
      "customers whose last name contains 'son'",
      "SELECT * FROM customers WHERE last_name LIKE '%son%'",
    );
  });
  it('finds the column of a value among several tables', async () => {
    await expectAnswer('urgent tickets', "SELECT * FROM support_tickets WHERE priority = 'urgent'");
  });
  it('filters on a small number', async () => {
    await expectAnswer('reviews with rating 1', 'SELECT * FROM reviews WHERE rating = 1');
  });
  it('filters on a value of a joined table', async () => {
    await expectAnswer(
      'products in the Books category',
      "SELECT p.* FROM products p JOIN categories c ON c.id = p.category_id WHERE c.name = 'Books'",
    );
  });
  it('filters a child table by a value of its parent', async () => {
    await expectAnswer(
      'orders of customers in Paris',
      "SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.city = 'Paris'",
    );
  });
  it('shows columns of two joined tables, the second under its own name', async () => {
    // Rows are objects: a second "name" column would hide the first one.
    await expectAnswer(
      'product names and their category names',
      'SELECT p.name, c.name AS categories_name FROM products p JOIN categories c ON c.id = p.category_id',
    );
    const answer = await ask(session, 'product names and their category names', { now });
    expect(answer.result!.fields.map((f) => f.name)).toEqual(['name', 'categories_name']);
  });
});

describe('ask on the demo shop: dates', () => {
  it('reads "last month"', async () => {
    await expectAnswer(
      'orders placed last month',
      "SELECT * FROM orders WHERE order_date >= '2026-05-01' AND order_date < '2026-06-01'",
    );
  });
  it('reads "in 2025"', async () => {
    await expectAnswer(
      'orders in 2025',
      "SELECT * FROM orders WHERE order_date >= '2025-01-01' AND order_date < '2026-01-01'",
    );
  });
  it('picks the date column a verb names ("signed up")', async () => {
    await expectAnswer(
      'customers who signed up in 2024',
      "SELECT * FROM customers WHERE signup_date >= '2024-01-01' AND signup_date < '2025-01-01'",
    );
  });
  it('reads "before March"', async () => {
    await expectAnswer('orders before March', "SELECT * FROM orders WHERE order_date < '2026-03-01'");
  });
});

describe('ask on the demo shop: aggregates and grouping', () => {
  it('counts', async () => {
    await expectAnswer('how many customers are there', 'SELECT COUNT(*) FROM customers');
  });
  it('asks for the highest value', async () => {
    await expectAnswer('what is the highest product price', 'SELECT MAX(price) FROM products');
  });
  it('groups by a column with "per"', async () => {
    await expectAnswer(
      'number of customers per country',
      'SELECT COUNT(*), country FROM customers GROUP BY country',
    );
  });
  it('groups with "for each"', async () => {
    await expectAnswer(
      'how many orders for each status',
      'SELECT COUNT(*), status FROM orders GROUP BY status',
    );
  });
  it('sums by a column with "by"', async () => {
    await expectAnswer(
      'total amount of payments by method',
      'SELECT SUM(amount), method FROM payments GROUP BY method',
    );
  });
  it('averages a related column for each row of the main table', async () => {
    await expectAnswer(
      'average rating of each product',
      'SELECT AVG(r.rating), p.name FROM products p JOIN reviews r ON r.product_id = p.id GROUP BY p.id',
    );
  });
  it('groups by a column of a joined table', async () => {
    await expectAnswer(
      'average order total per customer country',
      'SELECT AVG(o.total), c.country FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country',
    );
  });
});

describe('ask on the demo shop: ordering and limits', () => {
  it('takes the top 5 by price', async () => {
    await expectAnswer(
      'top 5 most expensive products',
      'SELECT * FROM products ORDER BY price DESC LIMIT 5',
      {
        ordered: true,
        pick: (r) => r.price,
      },
    );
  });
  it('takes the cheapest product', async () => {
    await expectAnswer('the cheapest product', 'SELECT * FROM products ORDER BY price ASC LIMIT 1', {
      ordered: true,
      pick: (r) => r.price,
    });
  });
  it('takes the oldest customer by date of birth', async () => {
    await expectAnswer(
      'the oldest customer',
      'SELECT * FROM customers WHERE birth_date IS NOT NULL ORDER BY birth_date ASC LIMIT 1',
      {
        ordered: true,
        pick: (r) => r.birth_date,
      },
    );
  });
  it('never answers "the youngest" with a customer whose birth date is unknown', async () => {
    await expectAnswer(
      'the youngest customer',
      'SELECT * FROM customers WHERE birth_date IS NOT NULL ORDER BY birth_date DESC LIMIT 1',
      { ordered: true, pick: (r) => r.birth_date },
    );
  });
  it('orders by a count of related rows', async () => {
    await expectAnswer(
      'which product has the most reviews',
      'SELECT p.name FROM products p JOIN reviews r ON r.product_id = p.id GROUP BY p.id ORDER BY COUNT(*) DESC LIMIT 1',
      { ordered: true },
    );
  });
});

describe('ask on the demo shop: related rows, existence and absence', () => {
  it('counts related rows ("with at least 10 orders")', async () => {
    await expectAnswer(
      'customers with at least 10 orders',
      'SELECT c.* FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id HAVING COUNT(*) >= 10',
    );
  });
  it('finds customers without orders', async () => {
    await expectAnswer(
      'customers without orders',
      'SELECT * FROM customers WHERE id NOT IN (SELECT customer_id FROM orders)',
    );
  });
  it('finds rows that have no related rows ("customers who have no reviews")', async () => {
    await expectAnswer(
      'customers who have no reviews',
      'SELECT * FROM customers WHERE id NOT IN (SELECT customer_id FROM reviews)',
    );
  });
  it('keeps rows that have related rows with a value', async () => {
    await expectAnswer(
      'customers with cancelled orders',
      "SELECT * FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE status = 'cancelled')",
    );
  });
});

describe('ask: dry runs, parameters and refusals', () => {
  it('returns SQL, parameters and an explanation without running on a dry run', async () => {
    const answer = await ask(session, 'customers in Paris', { now, dryRun: true });
    expect(answer).toMatchObject({
      question: 'customers in Paris',
      sql: 'SELECT * FROM "customers" WHERE "city" = $1',
      params: ['Paris'],
      engine: 'offline',
      tables: ['customers'],
    });
    expect(answer.result).toBeUndefined();
    expect(answer.explanation).toContain("'Paris'");
    expect(answer.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('answers "delete all customers" with NL_NO_TRANSLATION and changes nothing', async () => {
    const before = (await session.run('SELECT COUNT(*) AS n FROM customers')).results[0]!.rows[0]!.n;
    const error = await ask(session, 'delete all customers', { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NlNoTranslationError);
    expect(error).toMatchObject({ code: 'NL_NO_TRANSLATION' });
    const after = (await session.run('SELECT COUNT(*) AS n FROM customers')).results[0]!.rows[0]!.n;
    expect(after).toBe(before);
  });
});

describe('ask: the schema index follows the schema', () => {
  it('sees a table created through the session (DDL) and its values, without being told', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-ask-ddl-')), 'shop.db');
    const local = await Session.open({ connection: `sqlite://${file}`, config: EMPTY_CONFIG, env: {} });
    try {
      await local.run('CREATE TABLE fruits (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
      await local.run("INSERT INTO fruits (name) VALUES ('apple'), ('pear')");
      expect((await ask(local, 'how many fruits are there', { now })).result?.rows).toEqual([
        { 'COUNT(*)': 2 },
      ]);
      await expect(ask(local, 'vegetables that are green', { now })).rejects.toBeInstanceOf(
        NlNoTranslationError,
      );
      await local.run(
        'CREATE TABLE vegetables (id INTEGER PRIMARY KEY, name TEXT NOT NULL, colour TEXT NOT NULL)',
      );
      await local.run("INSERT INTO vegetables (name, colour) VALUES ('leek', 'green'), ('carrot', 'orange')");
      const answer = await ask(local, 'vegetables that are green', { now });
      expect(answer.sql).toBe('SELECT * FROM "vegetables" WHERE "colour" = ?');
      expect(answer.result?.rows).toEqual([{ id: 1, name: 'leek', colour: 'green' }]);
    } finally {
      await local.close();
    }
  });
});
