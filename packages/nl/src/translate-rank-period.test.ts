import { openShop, openSqliteFixture, type SqliteFixture } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translateChecked } from './check-translation.js';
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

/** Translates for SQLite, runs the SQL and compares with the rows of hand-written SQL (in order). */
function expectRows(question: string, expectedSql: string, index: SchemaIndex = shop.index): string {
  const t = translate(question, index, { dialect: 'sqlite', now });
  const want = shop.rows(expectedSql);
  expect(want.length, `expected SQL returns rows for: ${question}`).toBeGreaterThan(0);
  expect(shop.rows(t.sql, t.params), `${question}\n${t.sql}`).toEqual(want);
  return t.sql;
}

function sqliteIndex(ddl: string): Promise<SqliteFixture<SchemaIndex>> {
  return openSqliteFixture(ddl, { buildSchemaIndex, buildValueIndex });
}

describe('translate: rankings ("top N <rows> by <measure>")', () => {
  it('sums the related rows, highest first, grouped by the key and shown with the figure', () => {
    const sql = expectRows(
      'top 2 customers by total spent',
      `SELECT c.name, SUM(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id
       GROUP BY c.id ORDER BY 2 DESC LIMIT 2`,
    );
    expect(sql).toContain('GROUP BY "customers"."id"');
    expect(sql).toContain('AS "total_spent"');
  });
  it('reads "bottom", "lowest" and "smallest" as lowest first', () => {
    const expected = `SELECT c.name, SUM(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id
       GROUP BY c.id ORDER BY 2 ASC LIMIT 2`;
    expectRows('bottom 2 customers by total spent', expected);
    expectRows('the 2 smallest customers by total spent', expected);
  });
  it('reads "best", "biggest", "highest", "largest" as highest first', () => {
    const expected = `SELECT c.name, SUM(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id
       GROUP BY c.id ORDER BY 2 DESC LIMIT 3`;
    for (const word of ['best', 'biggest', 'highest', 'largest'])
      expectRows(`the 3 ${word} customers by total spent`, expected);
  });
  it('counts related rows for "by number of orders"', () => {
    expectRows(
      'top 1 customer by number of orders',
      `SELECT c.name, COUNT(*) FROM customers c JOIN orders o ON o.customer_id = c.id
       GROUP BY c.id ORDER BY 2 DESC LIMIT 1`,
    );
  });
  it('averages with "by average rating"', () => {
    expectRows(
      'top 2 products by average rating',
      `SELECT p.name, AVG(r.rating) FROM products p JOIN reviews r ON r.product_id = p.id
       GROUP BY p.id ORDER BY 2 DESC LIMIT 2`,
    );
  });
  it('orders by a column of the table itself as before ("top 3 products by price")', () => {
    expectRows('top 3 products by price', 'SELECT * FROM products ORDER BY price DESC LIMIT 3');
  });
  it('ranks by the nearest money column when none is named ("top customers": ten at most)', () => {
    const t = translate('top customers', shop.index, { dialect: 'sqlite', now });
    expect(t.params).toEqual([10]);
    expectRows(
      'top customers',
      `SELECT c.name, SUM(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id
       GROUP BY c.id ORDER BY 2 DESC LIMIT 10`,
    );
  });
  it('ranks products by units sold ("best-selling")', () => {
    expectRows(
      'the 2 best-selling products',
      `SELECT p.name, SUM(i.quantity) FROM products p JOIN order_items i ON i.product_id = p.id
       GROUP BY p.id ORDER BY 2 DESC LIMIT 2`,
    );
  });
  it('uses a correlated sum when the table has no primary key to group by', async () => {
    const { db, index } = await sqliteIndex(`
      CREATE TABLE teams (code TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
      CREATE TABLE games (id INTEGER PRIMARY KEY, team_code TEXT REFERENCES teams(code), points INTEGER);
      INSERT INTO teams VALUES ('a', 'Ants'), ('b', 'Bees'), ('c', 'Ants');
      INSERT INTO games VALUES (1, 'a', 3), (2, 'b', 5), (3, 'c', 4), (4, 'a', 3);`);
    const t = translate('top 2 teams by total points', index, { dialect: 'sqlite', now });
    expect(t.sql).not.toContain('GROUP BY');
    expect(db.prepare(t.sql).values(...t.params)).toEqual([
      ['Ants', 6],
      ['Bees', 5],
    ]);
    db.close();
  });
});

describe('translate: periods ("per month", "by year", "monthly")', () => {
  it('sums per month, in time order, with the SQL of each dialect', () => {
    expectRows(
      'revenue per month in 2024',
      `SELECT strftime('%Y-%m', ordered_at), SUM(total) FROM orders
       WHERE ordered_at >= '2024-01-01' AND ordered_at < '2025-01-01' GROUP BY 1 ORDER BY 1`,
    );
    const pg = translate('revenue per month in 2024', shop.index, { dialect: 'postgres', now });
    expect(pg.sql).toContain(`date_trunc('month', "ordered_at") AS "month"`);
    expect(pg.params).toEqual(['2024-01-01', '2025-01-01']);
    const my = translate('revenue per month in 2024', shop.index, { dialect: 'mysql', now });
    expect(my.sql).toContain("DATE_FORMAT(`ordered_at`, '%Y-%m') AS `month`");
  });
  it('counts rows per period when no amount is named', () => {
    expectRows(
      'orders per month',
      "SELECT strftime('%Y-%m', ordered_at), COUNT(*) FROM orders GROUP BY 1 ORDER BY 1",
    );
    expectRows(
      'monthly orders',
      "SELECT strftime('%Y-%m', ordered_at), COUNT(*) FROM orders GROUP BY 1 ORDER BY 1",
    );
  });
  it('reads "this year" relative to now', () => {
    expectRows(
      'number of orders per month this year',
      `SELECT strftime('%Y-%m', ordered_at), COUNT(*) FROM orders
       WHERE ordered_at >= '2024-01-01' AND ordered_at < '2025-01-01' GROUP BY 1 ORDER BY 1`,
    );
  });
  it('groups by year and by day', () => {
    expectRows(
      'revenue by year',
      "SELECT CAST(strftime('%Y', ordered_at) AS INTEGER), SUM(total) FROM orders GROUP BY 1 ORDER BY 1",
    );
    expectRows(
      'orders per day in 2023',
      `SELECT strftime('%Y-%m-%d', ordered_at), COUNT(*) FROM orders
       WHERE ordered_at >= '2023-01-01' AND ordered_at < '2024-01-01' GROUP BY 1 ORDER BY 1`,
    );
  });
  it('finds the period with the most rows ("which year had the most orders")', () => {
    expectRows(
      'which year had the most orders',
      "SELECT CAST(strftime('%Y', ordered_at) AS INTEGER), COUNT(*) FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    );
    const pg = translate('which month had the most orders', shop.index, { dialect: 'postgres', now });
    expect(pg.sql).toBe(
      `SELECT date_trunc('month', "ordered_at") AS "month", COUNT(*) FROM "orders" GROUP BY date_trunc('month', "ordered_at") ORDER BY COUNT(*) DESC LIMIT $1`,
    );
  });
  it('passes the read-only check in every dialect', async () => {
    for (const dialect of ['postgres', 'mysql', 'sqlite'] as const)
      for (const q of [
        'revenue per month in 2024',
        'orders by year',
        'orders per week',
        'top 2 customers by total spent',
      ]) {
        const t = await translateChecked(q, shop.index, { dialect, now });
        expect(t.tables, `${dialect}: ${q}`).toContain('orders');
      }
  });
  it('leaves "per year" to a column named year', async () => {
    const { db, index } = await sqliteIndex(`
      CREATE TABLE concerts (id INTEGER PRIMARY KEY, name TEXT, year INTEGER, played_on DATE);
      INSERT INTO concerts VALUES (1, 'A', 2014, '2014-05-01'), (2, 'B', 2014, '2014-06-01'), (3, 'C', 2015, '2015-01-01');`);
    const t = translate('number of concerts per year', index, { dialect: 'sqlite', now });
    expect(t.sql).toBe('SELECT COUNT(*), "year" FROM "concerts" GROUP BY "year"');
    db.close();
  });
});

describe('translate: smaller things a newcomer tries', () => {
  it('names a second column of the same name after its table', () => {
    const t = translate('product names and their category names', shop.index, { dialect: 'sqlite', now });
    expect(t.sql).toBe(
      'SELECT "products"."name", "categories"."name" AS "categories_name" FROM "products" JOIN "categories" ON "categories"."id" = "products"."category_id"',
    );
  });
  it('reads "out of stock" as none left', () => {
    expectRows('products that are out of stock', 'SELECT * FROM products WHERE stock = 0');
  });
  it('reads "in the last 7 days" as dates, not as a limit of 7', () => {
    const t = translate('orders in the last 7 days', shop.index, { dialect: 'sqlite', now });
    expect(t.sql).toBe('SELECT * FROM "orders" WHERE "ordered_at" >= ? AND "ordered_at" < ?');
    expect(t.params).toEqual(['2024-06-08', '2024-06-16']);
  });
  it('shows and searches every part of a name split into first and last name, and reads ages from dates of birth', async () => {
    const { db, index } = await sqliteIndex(`
      CREATE TABLE people (id INTEGER PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, born_on DATE);
      INSERT INTO people VALUES (1, 'Ann', 'Lee', '1990-06-15'), (2, 'Bo', 'Hanson', '1994-06-16'), (3, 'Cy', 'Moss', '2000-01-01');`);
    const rows = (q: string): unknown[][] => {
      const t = translate(q, index, { dialect: 'sqlite', now });
      return db.prepare(t.sql).values(...t.params);
    };
    expect(rows('names of people')).toEqual([
      ['Ann', 'Lee'],
      ['Bo', 'Hanson'],
      ['Cy', 'Moss'],
    ]);
    expect(rows("people whose name contains 'an'").map((r) => r[0])).toEqual([1, 2]);
    // on 2024-06-15 Ann turns 34, Bo is 29 until tomorrow, Cy is 24
    expect(rows('people older than 29').map((r) => r[0])).toEqual([1]);
    expect(rows('people younger than 30').map((r) => r[0])).toEqual([2, 3]);
    db.close();
  });
});

describe('translate: NL_NO_TRANSLATION suggestions come from the schema given', () => {
  const library = `
    CREATE TABLE authors (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, country TEXT);
    CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author_id INTEGER REFERENCES authors(id),
      genre TEXT, pages INTEGER, published DATE);
    INSERT INTO authors VALUES (1, 'Ann Lee', 'UK'), (2, 'Bo Chen', 'China'), (3, 'Cy Moss', 'UK');
    INSERT INTO books VALUES (1, 'A', 1, 'poetry', 100, '2020-01-01'), (2, 'B', 1, 'novel', 300, '2021-02-01'),
      (3, 'C', 2, 'novel', 250, '2021-05-03');`;

  const refusal = (q: string, index: SchemaIndex): NlNoTranslationError => {
    try {
      translate(q, index, { now });
    } catch (e) {
      if (e instanceof NlNoTranslationError) return e;
      throw e;
    }
    throw new Error(`"${q}" was translated`);
  };

  it('suggests wordings that name only its tables, columns and values, and that translate', async () => {
    const { db, index } = await sqliteIndex(library);
    const names = new Set(
      index.tables.flatMap((t) => [t.name, ...t.columns.map((c) => c.name.replace(/_/g, ' '))]),
    );
    for (const q of ['delete all customers', 'show me all users', 'what is the meaning of life']) {
      const e = refusal(q, index);
      expect(e.suggestions.length, q).toBeGreaterThanOrEqual(3);
      for (const s of e.suggestions) {
        expect(s).not.toMatch(/customer|user/);
        expect(
          [...names].some((n) => s.includes(n)),
          s,
        ).toBe(true);
        expect(() => translate(s, index, { now }), s).not.toThrow();
      }
    }
    expect(refusal('delete all books', index).suggestions[0]).toBe('show all books');
    db.close();
  });
  it('suggests nothing for a schema without tables', () => {
    const index = buildSchemaIndex({ dialect: 'sqlite', tables: [] });
    expect(refusal('show all customers', index).suggestions).toEqual([]);
  });
});
