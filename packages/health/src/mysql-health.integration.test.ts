// Each MySQL/MariaDB condition provoked on the real server (MariaDB 10.11 here), the check seen
// firing, the fix it names run, and the check seen clear. Tables carry a suffix of this file's own.
import { mysqlUrl, suffix } from '@aishell/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHealth } from './check-health.js';
import { eventually } from './test-support/eventually.js';
import { expectValidReport } from './test-support/report-shape.js';
import { mysqlRunner, type Runner } from './test-support/runners.js';
import type { HealthCheckResult, HealthOptions } from './types.js';

let url: string;
let database: string;
let runner: Runner;
let admin: mysql.Connection;
const tag = suffix();
const table = (name: string) => `h_${tag}_${name}`;

async function check(
  name: string,
  options: HealthOptions = {},
  run = runner.run,
): Promise<HealthCheckResult> {
  const report = await checkHealth(run, 'mysql', { ...options, only: [name] });
  const [result] = report.checks;
  if (!result) throw new Error(`no result for ${name}`);
  return result;
}

async function session(): Promise<mysql.Connection & { id: number }> {
  const conn = await mysql.createConnection(url);
  // A session the fix kills reports it as an error event: expected here.
  conn.on('error', () => {});
  return Object.assign(conn, { id: conn.threadId as number });
}

async function runFix(fix: string | null): Promise<void> {
  expect(fix).toEqual(expect.any(String));
  for (const statement of String(fix).split(/;\s*/).filter(Boolean)) await admin.query(statement);
}

const mine = (c: HealthCheckResult) => c.objects.filter((o) => String(o.table).startsWith(`h_${tag}_`));

beforeAll(async () => {
  url = await mysqlUrl();
  database = decodeURIComponent(new URL(url).pathname.slice(1));
  runner = mysqlRunner(url);
  admin = await mysql.createConnection(url);
});

afterAll(async () => {
  const [rows] = await admin.query<mysql.RowDataPacket[]>(
    'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ?',
    [`h\\_${tag}\\_%`],
  );
  for (const r of rows) await admin.query(`DROP TABLE IF EXISTS \`${r.t}\``);
  await admin?.end();
  await runner?.close();
});

describe('checkHealth on MySQL/MariaDB', () => {
  it('runs every check and returns a valid verdict for each', async () => {
    const report = await checkHealth(runner.run, 'mysql');
    const checks = expectValidReport(report, 'mysql');
    expect(report.server.flavor).toBe('mariadb');
    for (const name of ['connections', 'buffer_pool_hit_ratio', 'disk_temp_tables', 'aborted_connections'])
      expect(checks[name]?.status, name).not.toBe('skipped');
    expect(checks.connections?.value).toBeGreaterThan(0);
    expect(checks.replication_lag?.reason).toBe('not a replica');
  });

  it('finds an INT AUTO_INCREMENT near 2^31 and clears once the column is BIGINT', async () => {
    const t = table('ai');
    await admin.query(`CREATE TABLE ${t} (id INT AUTO_INCREMENT PRIMARY KEY, v INT)`);
    await admin.query(`ALTER TABLE ${t} AUTO_INCREMENT = 2147483000`);

    const fired = await check('auto_increment_overflow');
    expect(fired.status).toBe('crit');
    expect(mine(fired)).toEqual([
      expect.objectContaining({
        table: t,
        column: 'id',
        columnType: 'int(11)',
        nextValue: 2147483000,
        maxValue: 2147483647,
      }),
    ]);
    expect(fired.fix).toBe(
      `ALTER TABLE \`${database}\`.\`${t}\` MODIFY \`id\` BIGINT NOT NULL AUTO_INCREMENT;`,
    );

    await runFix(fired.fix);
    const cleared = await check('auto_increment_overflow');
    expect(cleared.status).toBe('ok');
    expect(cleared.value).toBeLessThan(0.01);
  });

  it('finds tables without a primary key and clears once the keys it names are added', async () => {
    const withUnique = table('nopk_unique');
    const bare = table('nopk_bare');
    await admin.query(`CREATE TABLE ${withUnique} (code VARCHAR(10) NOT NULL, v INT, UNIQUE KEY (code))`);
    await admin.query(`CREATE TABLE ${bare} (v INT)`);

    const fired = await check('tables_without_primary_key');
    expect(fired.status).toBe('warn');
    expect(mine(fired)).toEqual([
      expect.objectContaining({
        table: bare,
        candidateKey: null,
        fix: `ALTER TABLE \`${database}\`.\`${bare}\` ADD COLUMN \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;`,
      }),
      expect.objectContaining({
        table: withUnique,
        candidateKey: '`code`',
        fix: `ALTER TABLE \`${database}\`.\`${withUnique}\` ADD PRIMARY KEY (\`code\`), DROP INDEX \`code\`;`,
      }),
    ]);

    await runFix(fired.fix);
    expect((await check('tables_without_primary_key')).status).toBe('ok');
    // Promoting the unique key leaves no redundant index behind.
    expect(mine(await check('redundant_indexes'))).toEqual([]);
  });

  it('finds an InnoDB lock wait, names the blocking thread, and clears once the fix kills it', async () => {
    const t = table('locked');
    await admin.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, v INT) ENGINE=InnoDB`);
    await admin.query(`INSERT INTO ${t} VALUES (1, 0)`);
    const holder = await session();
    const waiter = await session();
    await holder.query('BEGIN');
    await holder.query(`UPDATE ${t} SET v = 1 WHERE id = 1`);
    const waiting = waiter.query(`UPDATE ${t} SET v = 2 WHERE id = 1`);

    const fired = await eventually(async () => {
      const c = await check('lock_waits');
      return c.status === 'warn' ? c : undefined;
    });
    expect(fired.objects).toEqual([
      expect.objectContaining({
        waitingId: waiter.id,
        blockingId: holder.id,
        waitingQuery: `UPDATE ${t} SET v = 2 WHERE id = 1`,
        lockedTable: `\`${database}\`.\`${t}\``,
      }),
    ]);
    expect(fired.fix).toContain(`KILL ${holder.id};`);

    await admin.query(`KILL ${holder.id}`);
    await waiting;
    // InnoDB refreshes the tables behind INNODB_LOCK_WAITS at most every 0.1 s.
    await eventually(async () => {
      const c = await check('lock_waits');
      return c.status === 'ok' ? c : undefined;
    });
    await waiter.end();
    holder.destroy();
  });

  it('finds a statement running past the threshold and clears once the fix kills the query', async () => {
    const busy = await session();
    const sleeping = busy.query('SELECT SLEEP(30) AS slept').catch((e: unknown) => e);
    const fired = await eventually(async () => {
      const c = await check('long_running_queries', { thresholds: { long_running_queries_seconds: 0.3 } });
      return c.status === 'warn' ? c : undefined;
    });
    expect(fired.objects).toEqual([
      expect.objectContaining({ id: busy.id, query: 'SELECT SLEEP(30) AS slept' }),
    ]);
    expect(fired.fix).toBe(`KILL QUERY ${busy.id};`);

    await runFix(fired.fix);
    expect(await sleeping).toMatchObject({ errno: 1317 }); // query execution was interrupted
    expect(
      (await check('long_running_queries', { thresholds: { long_running_queries_seconds: 0.3 } })).status,
    ).toBe('ok');
    await busy.end();
  });

  it('finds an index redundant with another and clears once it is dropped', async () => {
    const t = table('redundant');
    await admin.query(
      `CREATE TABLE ${t} (id INT PRIMARY KEY, a INT, b INT, KEY r_a (a), KEY r_a_b (a, b), KEY r_id (id))`,
    );
    const fired = await check('redundant_indexes');
    expect(fired.status).toBe('warn');
    expect(fired.objects.filter((o) => o.table === t).map((o) => [o.index, o.coveredBy])).toEqual([
      ['r_a', 'r_a_b'],
      ['r_id', 'PRIMARY'],
    ]);
    await runFix(fired.fix);
    expect((await check('redundant_indexes')).status).toBe('ok');
  });

  it('skips unused_indexes without performance_schema or userstat, and reads userstat where it is on', async () => {
    const [[before]] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT @@performance_schema AS ps, @@userstat AS us',
    );
    expect(before?.ps).toBe(0); // this machine's server
    const skipped = await check('unused_indexes');
    expect(skipped.status).toBe('skipped');
    expect(skipped.fix).toMatch(/performance_schema = ON/);

    const t = table('unused');
    await admin.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, v INT, KEY u_v (v))`);
    await admin.query(`INSERT INTO ${t} VALUES (1, 1), (2, 2)`);
    await admin.query('SET GLOBAL userstat = 1');
    try {
      const fired = await check('unused_indexes');
      expect(fired.status).toBe('warn');
      const own = (c: HealthCheckResult) => c.objects.filter((o) => o.table === t);
      expect(own(fired)).toEqual([expect.objectContaining({ index: 'u_v', columns: 'v' })]);
      await admin.query(`SELECT v FROM ${t} FORCE INDEX (u_v) WHERE v = 2`);
      expect(own(await check('unused_indexes', { maxObjects: 1000 }))).toEqual([]);
    } finally {
      await admin.query(`SET GLOBAL userstat = ${Number(before?.us) ? 1 : 0}`);
    }
  });

  it('skips a check the user may not run, with the privilege to grant', async () => {
    const user = `h_${tag}`;
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'health-test'`);
    await admin.query(`GRANT SELECT ON \`${database}\`.* TO '${user}'@'%'`);
    const u = new URL(url);
    u.username = user;
    u.password = 'health-test';
    const limited = mysqlRunner(u.toString(), 2);
    try {
      const report = await checkHealth(limited.run, 'mysql');
      const checks = expectValidReport(report, 'mysql');
      expect(checks.lock_waits?.status).toBe('skipped');
      expect(checks.lock_waits?.reason).toMatch(/missing privilege: .*PROCESS/);
      expect(checks.lock_waits?.fix).toMatch(/GRANT PROCESS/);
    } finally {
      await limited.close();
      await admin.query(`DROP USER '${user}'@'%'`);
    }
  });

  it('applies overridden thresholds to the server counters', async () => {
    expect((await check('connections', { thresholds: { connections_ratio: 0 } })).status).toBe('warn');
    expect(
      (await check('connections', { thresholds: { connections_ratio: 0, connections_critical_ratio: 0 } }))
        .status,
    ).toBe('crit');
    const buffer = await check('buffer_pool_hit_ratio', { thresholds: { buffer_pool_hit_ratio: 1 } });
    expect(buffer.threshold).toBe(1);
    expect(buffer.status).toBe(buffer.value !== null && buffer.value < 1 ? 'warn' : 'ok');
  });
});
