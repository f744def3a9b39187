// SQLite: candidates from EXPLAIN QUERY PLAN (SCAN without an index, temporary b-trees), unproven, on a
// real file through better-sqlite3.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseIndexes } from './advise-indexes.js';
import { SQLITE_UNPROVEN } from './sqlite-advisor.js';
import type { AdviseRun } from './types.js';

let dir: string;
let db: Database.Database;
let run: AdviseRun;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'advise-sqlite-'));
  db = new Database(join(dir, 'shop.db'));
  db.exec(`create table orders (id integer primary key, customer_id int not null, status text not null, created_at text not null);
           create index orders_status on orders (status);
           with recursive s(g) as (select 1 union all select g + 1 from s where g < 5000)
           insert into orders (customer_id, status, created_at) select g % 100, 'paid', datetime('2024-01-01', '+' || g || ' minutes') from s;`);
  run = async (sql, params = []) => {
    const statement = db.prepare(sql);
    return { rows: statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : [] };
  };
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('adviseIndexes on SQLite', () => {
  it('names the columns of a table scanned without an index and of its temporary b-tree, unproven and why', async () => {
    const report = await adviseIndexes(run, 'sqlite', {
      statements: [
        'select * from orders where customer_id = ? order by created_at',
        "select * from orders where status = 'paid'",
        'select * from orders where id = 5',
        'select created_at from [orders] order by created_at',
      ],
    });
    expect(report.proven).toBe(false);
    expect(report.indexes.map((i) => i.columns)).toEqual([['customer_id', 'created_at'], ['created_at']]);
    expect(report.indexes[0]).toMatchObject({
      table: 'orders',
      schema: null,
      proven: false,
      costBefore: null,
      sql: 'CREATE INDEX orders_customer_id_created_at_idx ON orders (customer_id, created_at);',
    });
    expect(report.indexes[0]?.reason).toMatch(/SCAN orders/);
    expect(report.indexes[0]?.reason).toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    expect(report.indexes[0]?.reason).toContain(SQLITE_UNPROVEN);
    expect(report.statements.map((s) => s.status)).toEqual(['unproven', 'no-gain', 'no-gain', 'unproven']);
  });

  it('keeps the database as it was', async () => {
    await adviseIndexes(run, 'sqlite', { statements: ['select * from orders where customer_id = 1'] });
    const indexes = db.prepare("select name from sqlite_master where type = 'index'").all();
    expect(indexes).toEqual([{ name: 'orders_status' }]);
  });
});
