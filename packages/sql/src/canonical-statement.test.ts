import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import type { SqlDialect } from './types.js';

async function canonical(sql: string, dialect: SqlDialect): Promise<string> {
  const { statements } = await analyze(sql, dialect);
  expect(statements).toHaveLength(1);
  return (statements[0] as { canonical: string }).canonical;
}

/** Statements that must share a cache entry, per dialect. */
const SAME: Record<SqlDialect, string[][]> = {
  postgres: [
    [
      'select id, name from orders where id = $1',
      'SELECT id,name FROM orders WHERE id=$1',
      "/* traceparent='00-abc-01' */ SELECT  id ,\n\tname FROM orders -- a comment\n WHERE id = $1;",
      "select id, name from orders where id = $1 /*controller='users',action='show'*/",
      'SELECT ID, NAME FROM Orders WHERE ID = $1',
    ],
    ["select 'a''b' as x from t", "SELECT 'a''b'   AS x\nFROM t"],
  ],
  mysql: [
    [
      'select id from orders where id = ?',
      "SELECT id FROM orders /* traceparent='00-abc-01' */ WHERE id = ?",
      'Select   id\nfrom orders -- note\nwhere id=?',
      'select id from orders # hash comment\n where id = ?',
    ],
  ],
  sqlite: [
    [
      'select id from orders where id = ?1',
      "SELECT id FROM orders /* sqlcommenter='x' */ WHERE id=?1",
      'SELECT ID FROM ORDERS WHERE ID = ?1',
    ],
  ],
};

/** Statements that must not share an entry with the first of their list. */
const DIFFERENT: Record<SqlDialect, string[][]> = {
  postgres: [
    [
      'select * from orders where id = 1',
      'select * from orders where id = 2',
      'select * from orders where id = 1.0',
      'select * from orders where id = $1',
      'select * from "Orders" where id = 1',
      'select * from customers where id = 1',
      'select * from orders where "ID" = 1',
    ],
    ['select * from "Orders"', 'select * from "orders"', 'select * from "ORDERS"'],
    ["select 'abc'", "select 'ABC'", "select 'abc '", "select E'abc'"],
  ],
  mysql: [
    [
      "select * from orders where name = 'x'",
      "select * from orders where name = 'X'",
      'select * from Orders where name = 1',
      'select * from `orders` where name = ?',
      "select /*!50700 SQL_NO_CACHE */ * from orders where name = 'x'",
    ],
    ['select * from user', 'select * from USER', 'select * from User'],
  ],
  sqlite: [
    [
      'select * from orders where id = 1',
      'select * from orders where id = ?1',
      'select * from orders where id = ?2',
      "select * from orders where id = '1'",
      'select * from "Orders" where id = 1',
    ],
  ],
};

describe.each(Object.keys(SAME) as SqlDialect[])('canonical text on %s', (dialect) => {
  it('is the same for statements that differ only in whitespace, keyword case or comments', async () => {
    for (const group of SAME[dialect]) {
      const texts = await Promise.all(group.map((sql) => canonical(sql, dialect)));
      expect(new Set(texts).size, `${group.join(' | ')} -> ${texts.join(' | ')}`).toBe(1);
    }
  });

  it('differs for another literal, parameter, identifier or quoted-identifier case', async () => {
    for (const group of DIFFERENT[dialect]) {
      const texts = await Promise.all(group.map((sql) => canonical(sql, dialect)));
      expect(new Set(texts).size, texts.join(' | ')).toBe(group.length);
    }
  });

  it('stays out of the enumerable analysis (sql analyze --json is unchanged)', async () => {
    const { statements } = await analyze('select 1', dialect);
    expect(Object.keys(statements[0] ?? {})).not.toContain('canonical');
  });
});
