import { openShop, type SqliteFixture, sqliteSchema } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLlmSql } from './check-llm-sql.js';
import type { NlSchema } from './nl-schema.js';
import { buildSchemaIndex, type SchemaIndex } from './schema-index.js';
import { buildValueIndex } from './value-index.js';

let shop: SqliteFixture<SchemaIndex>;
let schema: NlSchema;
beforeAll(async () => {
  shop = await openShop({ buildSchemaIndex, buildValueIndex });
  schema = sqliteSchema(shop.db);
});
afterAll(() => shop.close());

const check = (sql: string) => checkLlmSql(sql, 'sqlite', schema);

describe('checkLlmSql', () => {
  it('passes a SELECT with aliases, functions and subqueries over known columns', async () => {
    const r = await check(
      "SELECT c.name, strftime('%Y', o.ordered_at) AS y, (SELECT count(*) FROM reviews r WHERE r.customer_id = c.id) AS n FROM customers AS c JOIN orders o ON o.customer_id = c.id ORDER BY y",
    );
    expect(r).toMatchObject({ ok: true, kind: 'select', readOnly: true });
  });

  it('names a qualified column its table lacks, through an alias or the table name', async () => {
    expect(await check('SELECT c.nickname FROM customers c')).toEqual({
      ok: false,
      error: 'unknown column c.nickname; use only the columns listed in the schema',
    });
    expect(await check('SELECT customers.age FROM customers')).toMatchObject({
      ok: false,
      error: expect.stringContaining('unknown column customers.age'),
    });
  });

  it('leaves a CTE named like a table, and an alias given to two tables, to EXPLAIN', async () => {
    expect(
      await check(
        'WITH products AS (SELECT customer_id, sum(total) AS s FROM orders GROUP BY customer_id) SELECT products.s FROM products',
      ),
    ).toMatchObject({ ok: true });
    expect(
      await check('SELECT x.name FROM customers x WHERE EXISTS (SELECT 1 FROM orders x WHERE x.total > 1)'),
    ).toMatchObject({ ok: true });
  });

  it('gives the parser’s error for SQL that does not parse, and refuses DDL and two statements', async () => {
    expect(await check('SELEC 1')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^syntax error: /),
    });
    expect(await check('DROP TABLE orders')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^a ddl statement/),
    });
    expect(await check('SELECT 1; SELECT 2')).toMatchObject({
      ok: false,
      error: '2 statements; write exactly one',
    });
  });

  it('lets a single write through as a proposal, with its risk', async () => {
    expect(await check("UPDATE orders SET status = 'x' WHERE id = 1")).toMatchObject({
      ok: true,
      kind: 'update',
      readOnly: false,
      tables: ['orders'],
    });
  });
});
