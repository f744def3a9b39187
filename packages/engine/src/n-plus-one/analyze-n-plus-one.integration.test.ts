import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { open, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPool, type Pool, type Queryable } from '@aishell/pool';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeNPlusOne } from './analyze-n-plus-one.js';

const suffix = Math.random().toString(36).slice(2, 8);
const parents = `n1_parents_${suffix}`;
const children = `n1_children_${suffix}`;
const unrelated = `n1_other_${suffix}`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-n1-it-'));
// The database server writes the log file as its own user.
chmodSync(dir, 0o777);
const pools: Pool[] = [];

afterAll(async () => {
  for (const pool of pools) {
    await pool.query(`drop table if exists ${children}, ${parents}, ${unrelated}`).catch(() => {});
    await pool.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

async function createTables(pool: Pool): Promise<void> {
  await pool.query(`create table ${parents} (id integer primary key, name varchar(20))`);
  await pool.query(`create table ${children} (id integer primary key, parent_id integer, v varchar(20))`);
  await pool.query(`create table ${unrelated} (id integer primary key)`);
  const ids = Array.from({ length: 12 }, (_, i) => i + 1);
  await pool.query(
    `insert into ${parents} (id, name) values ${ids.map((i) => `(${i}, 'p${i}')`).join(', ')}`,
  );
  await pool.query(
    `insert into ${children} (id, parent_id, v) values ${ids.map((i) => `(${i}, ${i}, 'c${i}')`).join(', ')}`,
  );
}

/** An N+1 (the parents, then one query per parent) and a few unrelated statements, on one connection. */
async function runWorkload(conn: Queryable, placeholder: string): Promise<void> {
  const { rows } = await conn.query(`select id from ${parents} order by id`);
  expect(rows).toHaveLength(12);
  for (const row of rows)
    await conn.query(`select v from ${children} where parent_id = ${placeholder}`, [row.id]);
  for (let i = 0; i < 3; i++) {
    await conn.query(`select count(*) from ${unrelated}`);
    await conn.query(`select max(id) from ${parents} where name <> 'secret-${i}'`);
  }
}

function expectOnlyTheNPlusOne(findings: Awaited<ReturnType<typeof analyzeNPlusOne>>['findings']): void {
  // Other tests share the servers and their logs: look at our tables only.
  const ours = findings.filter((f) => f.tables.some((t) => t.endsWith(suffix)));
  expect(ours).toHaveLength(1);
  expect(ours[0]).toMatchObject({ kind: 'select', sessions: 1, largestBurst: 12, executions: 12 });
  expect(ours[0]?.normalized).toContain(children);
  expect(ours[0]?.tables).toEqual([children]);
}

describe('analyze n-plus-one on a real MariaDB general query log', { timeout: 60_000 }, () => {
  it('finds the query run once per parent and nothing for the unrelated queries', async () => {
    const pool = createPool(await mysqlUrl(), { max: 1 });
    pools.push(pool);
    await createTables(pool);
    const file = path.join(dir, 'general.log');
    const [saved] = (
      await pool.query(
        'select @@global.general_log as enabled, @@global.general_log_file as file, @@global.log_output as output',
      )
    ).rows;
    try {
      await pool.query(`set global general_log_file = '${file}'`);
      await pool.query("set global log_output = 'FILE'");
      await pool.query("set global general_log = 'ON'");
      await pool.withConnection((conn) => runWorkload(conn, '?'));
    } finally {
      await pool.query(`set global general_log = ${Number(saved?.enabled) ? "'ON'" : "'OFF'"}`);
      await pool.query('set global general_log_file = ?', [saved?.file]);
      await pool.query('set global log_output = ?', [saved?.output]);
    }
    const report = await analyzeNPlusOne(file);
    expect(report.format).toBe('mysql');
    expect(report.statements).toBeGreaterThanOrEqual(19);
    expectOnlyTheNPlusOne(report.findings);
  });
});

/**
 * Where this server's log is: the collector's current file, else Debian's pg_ctlcluster log
 * (/var/log/postgresql/postgresql-<version>-<cluster>.log), which receives the server's stderr.
 */
async function postgresLogFile(pool: Pool): Promise<string> {
  const { rows } = await pool.query(
    "select pg_current_logfile() as current, current_setting('data_directory') as data, current_setting('cluster_name') as cluster",
  );
  const row = rows[0] ?? {};
  const candidates = [
    typeof row.current === 'string' ? path.resolve(String(row.data), row.current) : undefined,
    `/var/log/postgresql/postgresql-${String(row.cluster).replace('/', '-')}.log`,
  ];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const handle = await open(candidate, 'r').catch(() => undefined);
    if (handle === undefined) continue;
    await handle.close();
    return candidate;
  }
  throw new Error(
    `the PostgreSQL server log is not readable here (looked at ${candidates.filter(Boolean).join(', ')})`,
  );
}

/** The part of a log written since `start` (a byte offset), copied to a file of its own. */
async function tail(file: string, start: number, to: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    await writeFile(to, buffer);
    return to;
  } finally {
    await handle.close();
  }
}

describe('analyze n-plus-one on a real PostgreSQL server log', { timeout: 60_000 }, () => {
  it('finds the query run once per parent through the extended protocol, with log_statement = all for the session only', async () => {
    const pool = createPool(await pgUrl(), { max: 1 });
    pools.push(pool);
    await createTables(pool);
    const log = await postgresLogFile(pool);
    const start = (await stat(log)).size;
    await pool.withConnection(async (conn) => {
      await conn.query("set log_statement = 'all'");
      try {
        await runWorkload(conn, '$1');
      } finally {
        await conn.query('reset log_statement');
      }
    });
    const report = await analyzeNPlusOne(await tail(log, start, path.join(dir, 'postgres.log')));
    expect(report.format).toBe('postgres');
    expect(report.statements).toBeGreaterThanOrEqual(19);
    expectOnlyTheNPlusOne(report.findings);
  });
});
