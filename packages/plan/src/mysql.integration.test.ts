// Plans captured from a real MariaDB (or MySQL 8) by the tests themselves, through mysql2.
import { mysqlUrl } from '@aishell/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from './analyze-plan.js';
import { parsePlan } from './parse-plan.js';
import type { AnalyzedPlan, FindingCode, PlanNode } from './types.js';

const suffix = `${process.pid}`;
const orders = `plan_orders_${suffix}`;
const customers = `plan_customers_${suffix}`;
let conn: mysql.Connection;
let mariadb = false;

beforeAll(async () => {
  conn = await mysql.createConnection(await mysqlUrl());
  const [version] = await conn.query<mysql.RowDataPacket[]>('SELECT version() AS v');
  mariadb = String(version[0]?.v).includes('MariaDB');
  await conn.query(
    mariadb
      ? 'SET SESSION max_recursive_iterations = 1000000'
      : 'SET SESSION cte_max_recursion_depth = 1000000',
  );
  await conn.query(`DROP TABLE IF EXISTS ${orders}, ${customers}`);
  await conn.query(`CREATE TABLE ${customers} (id INT PRIMARY KEY, name VARCHAR(40))`);
  await conn.query(
    `CREATE TABLE ${orders} (id INT PRIMARY KEY, customer_id INT, total INT, note VARCHAR(40))`,
  );
  await conn.query(
    `INSERT INTO ${customers} WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5000)
     SELECT n, CONCAT('customer ', n) FROM s`,
  );
  await conn.query(
    `INSERT INTO ${orders} WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 50000)
     SELECT n, (n * 7) % 5000 + 1, n % 1000, MD5(n) FROM s`,
  );
  await conn.query(`ANALYZE TABLE ${orders}, ${customers}`);
}, 120_000);

afterAll(async () => {
  await conn?.query(`DROP TABLE IF EXISTS ${orders}, ${customers}`);
  await conn?.end();
});

/** MariaDB's ANALYZE FORMAT=JSON, or MySQL 8's EXPLAIN ANALYZE, as mysql2 returns its rows. */
async function analyzeQuery(sql: string): Promise<AnalyzedPlan> {
  const [rows] = await conn.query(mariadb ? `ANALYZE FORMAT=JSON ${sql}` : `EXPLAIN ANALYZE ${sql}`);
  return analyzePlan(parsePlan(rows));
}

function all(plan: AnalyzedPlan): PlanNode[] {
  const out: PlanNode[] = [];
  const walk = (n: PlanNode): void => {
    out.push(n);
    n.children.forEach(walk);
  };
  walk(plan.root);
  return out;
}

function found(plan: AnalyzedPlan, code: FindingCode): PlanNode[] {
  return plan.findings
    .filter((f) => f.code === code)
    .map((f) => all(plan).find((n) => n.id === f.node) as PlanNode);
}

describe('MySQL / MariaDB plans captured from the server', () => {
  it('SEQ_SCAN_LARGE and FILTER_REMOVES_ROWS: a full scan (ALL) for a few rows, and the index that fixes it', async () => {
    const sql = `SELECT * FROM ${orders} WHERE customer_id = 42`;
    const plan = await analyzeQuery(sql);
    expect(plan.dialect).toBe('mysql');
    expect(plan.format).toBe(mariadb ? 'mariadb-analyze-json' : 'mysql-tree');
    const [scan] = found(plan, 'SEQ_SCAN_LARGE');
    expect(scan).toMatchObject({ nodeType: 'ALL', relation: orders, actualRows: 10, loops: 1 });
    expect(found(plan, 'FILTER_REMOVES_ROWS')).toHaveLength(1);
    expect(plan.timed).toBe(true);
    expect(plan.totalMs).toBeGreaterThan(0);
    const index = plan.suggestions.find((s) => s.kind === 'index');
    expect(index).toMatchObject({
      table: orders,
      columns: ['customer_id'],
      sql: `ALTER TABLE ${orders} ADD INDEX (customer_id);`,
    });

    await conn.query(index?.sql ?? '');
    const after = await analyzeQuery(sql);
    expect(all(after).find((n) => n.relation === orders)?.nodeType).toBe('ref');
    expect(found(after, 'SEQ_SCAN_LARGE')).toEqual([]);
    await conn.query(`ALTER TABLE ${orders} DROP INDEX customer_id`);
  });

  it('reads a join: the inner table runs once per outer row (r_loops)', async () => {
    const plan = await analyzeQuery(
      `SELECT o.id, c.name FROM ${orders} o JOIN ${customers} c ON c.id = o.customer_id WHERE o.total = 7`,
    );
    const inner = all(plan).find((n) => n.relation === 'c');
    expect(inner).toMatchObject({ nodeType: 'eq_ref', index: 'PRIMARY', loops: 50 });
    const exclusive = all(plan).reduce((s, n) => s + (n.exclusiveMs ?? 0), 0);
    expect(exclusive).toBeLessThanOrEqual((plan.root.inclusiveMs ?? 0) + 0.01);
  });

  it('DISK_SORT: a filesort that merged passes under a small sort_buffer_size', async () => {
    if (!mariadb) return;
    await conn.query('SET SESSION sort_buffer_size = 32768');
    try {
      const plan = await analyzeQuery(`SELECT * FROM ${orders} ORDER BY note`);
      const [sort] = found(plan, 'DISK_SORT');
      expect(sort).toMatchObject({
        nodeType: 'filesort',
        sortSpaceType: 'Disk',
        sortKey: [`${orders}.note`],
      });
      expect(plan.suggestions.find((s) => s.kind === 'work_mem')?.message).toMatch(/sort_buffer_size/);
    } finally {
      await conn.query('SET SESSION sort_buffer_size = DEFAULT');
    }
  });

  it('reads EXPLAIN FORMAT=JSON (estimates only) as mysql2 returns it', async () => {
    const [rows] = await conn.query(
      `EXPLAIN FORMAT=JSON SELECT o.id, c.name FROM ${orders} o JOIN ${customers} c ON c.id = o.customer_id WHERE o.total = 7`,
    );
    const plan = analyzePlan(parsePlan(rows));
    expect(plan).toMatchObject({ format: 'mysql-json', analyzed: false, timed: false });
    expect(all(plan).map((n) => [n.nodeType, n.relation])).toEqual(
      expect.arrayContaining([
        ['ALL', 'o'],
        ['eq_ref', 'c'],
      ]),
    );
    expect(all(plan).find((n) => n.relation === 'o')?.filter).toMatch(/total/);
  });
});
