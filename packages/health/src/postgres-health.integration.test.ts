// Each PostgreSQL condition provoked on the real server, the check seen firing, the fix it names run,
// and the check seen clear. Objects live in a schema of this file's own, dropped at the end.
import { pgUrl, suffix } from '@aishell/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHealth } from './check-health.js';
import { HealthError } from './errors.js';
import { healthExitCode } from './health-exit-code.js';
import { eventually } from './test-support/eventually.js';
import { expectValidReport } from './test-support/report-shape.js';
import { pgRunner, type Runner } from './test-support/runners.js';
import type { HealthCheckResult, HealthOptions } from './types.js';

let url: string;
let runner: Runner & { pool: pg.Pool };
let admin: pg.Client;
const schema = `health_${suffix()}`;

async function check(name: string, options: HealthOptions = {}): Promise<HealthCheckResult> {
  const report = await checkHealth(runner.run, 'postgres', { ...options, only: [name] });
  const [result] = report.checks;
  if (!result) throw new Error(`no result for ${name}`);
  return result;
}

/** A session of its own (the one that holds a transaction or a lock). */
async function session(): Promise<pg.Client & { pid: number }> {
  const client = new pg.Client({ connectionString: url });
  // A session the fix terminates reports it as an error event: expected here.
  client.on('error', () => {});
  await client.connect();
  const { rows } = await client.query('select pg_backend_pid() as pid');
  return Object.assign(client, { pid: Number(rows[0].pid) });
}

/** Runs a fix the check returned, statement by statement (CONCURRENTLY refuses a multi-statement string). */
async function runFix(fix: string | null): Promise<void> {
  expect(fix).toEqual(expect.any(String));
  for (const statement of String(fix).split(/;\s*/).filter(Boolean)) await admin.query(statement);
}

const mine = (c: HealthCheckResult) => c.objects.filter((o) => o.schema === schema);

beforeAll(async () => {
  url = await pgUrl();
  runner = pgRunner(url);
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
});

afterAll(async () => {
  await admin?.query(`drop schema if exists ${schema} cascade`);
  await admin?.end();
  await runner?.close();
});

describe('checkHealth on PostgreSQL', () => {
  it('runs every check and returns a valid verdict for each', async () => {
    const report = await checkHealth(runner.run, 'postgres');
    const checks = expectValidReport(report, 'postgres');
    expect(report.server.flavor).toBe('postgres');
    expect(checks.connections?.status).not.toBe('skipped');
    expect(checks.connections?.value).toBeGreaterThan(0);
    expect(checks.database_size?.value).toBeGreaterThan(0);
    expect(checks.transaction_id_wraparound?.value).toBeGreaterThan(1_500_000_000);
    // pg_stat_statements is not created in this database: the check says how to enable it.
    expect(checks.slow_queries?.status).toBe('skipped');
    expect(checks.slow_queries?.fix).toMatch(/shared_preload_libraries/);
    expect([0, 8, 9]).toContain(healthExitCode(report));
  });

  it('finds a duplicate index (a prefix of another, or an identical one) and clears once it is dropped', async () => {
    await admin.query(`create table ${schema}.dup (a int, b int, c int)`);
    await admin.query(`create index dup_a on ${schema}.dup (a)`);
    await admin.query(`create index dup_a_b on ${schema}.dup (a, b)`);
    await admin.query(`create index dup_c on ${schema}.dup (c)`);
    await admin.query(`create index dup_c_again on ${schema}.dup (c)`);
    // Not duplicates: another predicate, another method, a unique index.
    await admin.query(`create index dup_a_partial on ${schema}.dup (a) where b > 0`);
    await admin.query(`create index dup_a_hash on ${schema}.dup using hash (a)`);
    await admin.query(`create unique index dup_b_unique on ${schema}.dup (b)`);

    const fired = await check('duplicate_indexes');
    expect(fired.status).toBe('warn');
    const found = mine(fired).map((o) => [o.index, o.coveredBy]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['dup_a', 'dup_a_b'],
        ['dup_c_again', 'dup_c'],
      ]),
    );
    expect(found).toHaveLength(2);
    expect(fired.fix).toContain(`DROP INDEX CONCURRENTLY ${schema}.dup_a;`);

    await runFix(fired.fix);
    const cleared = await check('duplicate_indexes');
    expect(cleared.status).toBe('ok');
    expect(cleared.fix).toBeNull();
    await admin.query(`drop table ${schema}.dup`);
  });

  it('finds an index left invalid by a failed CREATE INDEX CONCURRENTLY and clears after REINDEX', async () => {
    await admin.query(`create table ${schema}.inv (a int)`);
    await admin.query(`insert into ${schema}.inv values (1), (1), (2)`);
    await expect(admin.query(`create unique index concurrently inv_a on ${schema}.inv (a)`)).rejects.toThrow(
      /could not create unique index/,
    );

    const fired = await check('invalid_indexes');
    expect(fired.status).toBe('warn');
    expect(fired.value).toBe(1);
    expect(mine(fired)).toEqual([expect.objectContaining({ table: 'inv', index: 'inv_a' })]);
    expect(fired.fix).toBe(`REINDEX INDEX CONCURRENTLY ${schema}.inv_a;`);

    await admin.query(
      `delete from ${schema}.inv where ctid = (select max(ctid) from ${schema}.inv where a = 1)`,
    );
    await runFix(fired.fix);
    expect((await check('invalid_indexes')).status).toBe('ok');
    await admin.query(`drop table ${schema}.inv`);
  });

  it('finds a constraint added NOT VALID and clears once it is validated', async () => {
    await admin.query(`create table ${schema}.nv (a int)`);
    await admin.query(`insert into ${schema}.nv values (-1)`);
    await admin.query(`alter table ${schema}.nv add constraint nv_a_positive check (a >= 0) not valid`);

    const fired = await check('invalid_constraints');
    expect(fired.status).toBe('warn');
    expect(mine(fired)).toEqual([
      expect.objectContaining({ table: 'nv', constraint: 'nv_a_positive', type: 'check' }),
    ]);
    expect(fired.fix).toBe(`ALTER TABLE ${schema}.nv VALIDATE CONSTRAINT nv_a_positive;`);

    await admin.query(`update ${schema}.nv set a = 1`);
    await runFix(fired.fix);
    expect((await check('invalid_constraints')).status).toBe('ok');
    await admin.query(`drop table ${schema}.nv`);
  });

  it('finds a session idle in transaction past the threshold and clears once the fix ends it', async () => {
    const idle = await session();
    await idle.query('begin');
    await idle.query('select 1');
    await new Promise((resolve) => setTimeout(resolve, 400));

    const fired = await check('idle_in_transaction', { thresholds: { idle_in_transaction_seconds: 0.2 } });
    expect(fired.status).toBe('warn');
    expect(fired.threshold).toBe(0.2);
    expect(fired.value).toBeGreaterThan(0.2);
    expect(fired.objects).toEqual([
      expect.objectContaining({ pid: idle.pid, state: 'idle in transaction', lastQuery: 'select 1' }),
    ]);
    expect(fired.fix).toBe(`SELECT pg_terminate_backend(${idle.pid});`);
    // The default threshold (60 s) does not fire on a session idle for half a second.
    expect((await check('idle_in_transaction')).status).toBe('ok');

    await runFix(fired.fix);
    await eventually(async () => {
      const c = await check('idle_in_transaction', { thresholds: { idle_in_transaction_seconds: 0.2 } });
      return c.status === 'ok' ? c : undefined;
    });
    await idle.end().catch(() => {});
  });

  it('finds a session blocked by another’s lock, names the blocker, and clears once the blocker is gone', async () => {
    await admin.query(`create table ${schema}.locked (id int primary key, v int)`);
    await admin.query(`insert into ${schema}.locked values (1, 0)`);
    const holder = await session();
    const waiter = await session();
    await holder.query('begin');
    await holder.query(`update ${schema}.locked set v = 1 where id = 1`);
    const waiting = waiter.query(`update ${schema}.locked set v = 2 where id = 1`);

    const fired = await eventually(async () => {
      const c = await check('blocked_queries');
      return c.status === 'warn' ? c : undefined;
    });
    expect(fired.objects).toEqual([
      expect.objectContaining({
        pid: waiter.pid,
        blockingPids: [holder.pid],
        query: `update ${schema}.locked set v = 2 where id = 1`,
        blockingState: 'idle in transaction',
      }),
    ]);
    expect(fired.fix).toContain(`SELECT pg_terminate_backend(${holder.pid});`);

    await admin.query(`SELECT pg_terminate_backend(${holder.pid})`);
    await waiting;
    expect((await check('blocked_queries')).status).toBe('ok');
    await holder.end().catch(() => {});
    await waiter.end();
    await admin.query(`drop table ${schema}.locked`);
  });

  it('measures a sequence against the int4 column it fills, not its own maximum, and clears once widened', async () => {
    // A serial column (its sequence AS integer) and an int4 column fed by a bigint sequence.
    await admin.query(`create table ${schema}.seq_serial (id serial primary key)`);
    await admin.query(`create sequence ${schema}.seq_big`);
    await admin.query(`create table ${schema}.seq_int (id int default nextval('${schema}.seq_big'))`);
    await admin.query(`select setval('${schema}.seq_serial_id_seq', 2147483000)`);
    await admin.query(`select setval('${schema}.seq_big', 2000000000)`);

    const fired = await check('sequence_overflow');
    expect(fired.status).toBe('crit');
    expect(fired.value).toBeGreaterThan(0.99);
    expect(mine(fired)).toEqual([
      expect.objectContaining({
        sequence: 'seq_serial_id_seq',
        table: 'seq_serial',
        column: 'id',
        columnType: 'integer',
        limitValue: 2147483647,
      }),
      expect.objectContaining({
        sequence: 'seq_big',
        table: 'seq_int',
        column: 'id',
        sequenceType: 'bigint',
        limitValue: 2147483647,
      }),
    ]);
    const serial = mine(fired)[0];
    expect(serial?.fix).toBe(
      `ALTER TABLE ${schema}.seq_serial ALTER COLUMN id TYPE bigint; ALTER SEQUENCE ${schema}.seq_serial_id_seq AS bigint NO MAXVALUE;`,
    );

    await runFix(fired.fix);
    const cleared = await check('sequence_overflow');
    expect(cleared.status).toBe('ok');
    expect(cleared.value).toBeLessThan(0.01);
    await admin.query(`drop table ${schema}.seq_serial, ${schema}.seq_int`);
    await admin.query(`drop sequence ${schema}.seq_big`);
  });

  it('finds a table full of dead rows and clears after the VACUUM it names', async () => {
    await admin.query(`create table ${schema}.dead (id int) with (autovacuum_enabled = false)`);
    await admin.query(`insert into ${schema}.dead select g from generate_series(1, 20000) g`);
    await admin.query(`delete from ${schema}.dead where id > 5000`);
    await admin.query('select pg_stat_force_next_flush()');

    const fired = await eventually(async () => {
      const c = await check('dead_tuples');
      return c.status === 'warn' ? c : undefined;
    });
    expect(mine(fired)).toEqual([
      expect.objectContaining({ table: 'dead', deadTuples: 15000, lastAutovacuum: null }),
    ]);
    expect(fired.fix).toBe(`VACUUM (ANALYZE) ${schema}.dead;`);

    await runFix(fired.fix);
    expect((await check('dead_tuples')).status).toBe('ok');
    await admin.query(`drop table ${schema}.dead`);
  });

  it('finds a never-scanned index above the size threshold and clears once it is dropped', async () => {
    await admin.query(`create table ${schema}.unused (id int primary key, v int)`);
    await admin.query(`create index unused_v on ${schema}.unused (v)`);
    // The default size (10 MB) leaves this small index alone; a threshold of 0 bytes names it.
    expect(mine(await check('unused_indexes'))).toEqual([]);
    const fired = await check('unused_indexes', { thresholds: { unused_indexes_bytes: 0 } });
    expect(fired.status).toBe('warn');
    expect(mine(fired)).toEqual([
      expect.objectContaining({ table: 'unused', index: 'unused_v', indexScans: 0 }),
    ]);

    await runFix(mine(fired)[0]?.fix as string);
    expect(mine(await check('unused_indexes', { thresholds: { unused_indexes_bytes: 0 } }))).toEqual([]);
    await admin.query(`drop table ${schema}.unused`);
  });

  it('finds a large table read by sequential scans and clears once reads go through its index', async () => {
    await admin.query(`create table ${schema}.scanned (id int primary key, v int)`);
    await admin.query(`insert into ${schema}.scanned select g, g from generate_series(1, 10000) g`);
    for (let i = 0; i < 5; i++) await admin.query(`select count(*) from ${schema}.scanned where v = 7`);
    await admin.query(`select * from ${schema}.scanned where id = 7`);
    await admin.query('select pg_stat_force_next_flush()');
    const fired = await eventually(async () => {
      const c = await check('missing_indexes');
      return mine(c).length ? c : undefined;
    });
    expect(fired.status).toBe('warn');
    // The five, and one more: building the primary key's index reads the table too.
    expect(mine(fired)[0]).toMatchObject({ table: 'scanned', estimatedRows: 10000, indexScans: 1 });
    expect(mine(fired)[0]?.seqScans).toBeGreaterThanOrEqual(5);

    await admin.query(
      `do $$ begin for i in 1..200 loop perform * from ${schema}.scanned where id = i; end loop; end $$`,
    );
    await admin.query('select pg_stat_force_next_flush()');
    await eventually(async () => {
      const c = await check('missing_indexes');
      return mine(c).length === 0 ? c : undefined;
    });
    await admin.query(`drop table ${schema}.scanned`);
  });

  it('finds a statement running past the threshold and clears once the fix cancels it', async () => {
    const busy = await session();
    const sleeping = busy.query('select pg_sleep(30)').catch((e: unknown) => e);
    const fired = await eventually(async () => {
      const c = await check('long_running_queries', { thresholds: { long_running_queries_seconds: 0.3 } });
      return c.status === 'warn' ? c : undefined;
    });
    expect(fired.objects).toEqual([
      expect.objectContaining({ pid: busy.pid, query: 'select pg_sleep(30)', state: 'active' }),
    ]);
    expect(fired.fix).toBe(`SELECT pg_cancel_backend(${busy.pid});`);

    await runFix(fired.fix);
    expect(await sleeping).toMatchObject({ code: '57014' });
    expect(
      (await check('long_running_queries', { thresholds: { long_running_queries_seconds: 0.3 } })).status,
    ).toBe('ok');
    await busy.end();
  });

  it('finds an inactive replication slot and clears once it is dropped', async () => {
    const slot = `health_${suffix()}`;
    await admin.query('select pg_create_physical_replication_slot($1)', [slot]);
    try {
      const fired = await check('inactive_replication_slots');
      expect(fired.status).toBe('warn');
      const own = fired.objects.find((o) => o.slot === slot);
      expect(own).toMatchObject({ type: 'physical' });
      await runFix(String(own?.fix));
      const after = await check('inactive_replication_slots', { maxObjects: 1000 });
      expect(after.objects.find((o) => o.slot === slot)).toBeUndefined();
    } finally {
      await admin.query(
        'select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1',
        [slot],
      );
    }
  });

  it('reads slow_queries from pg_stat_statements once it is created, or says it must be preloaded', async () => {
    // .ci/run preloads pg_stat_statements (as advise needs); a server without it still gets the skip's reason.
    const preloaded = (await admin.query('show shared_preload_libraries')).rows[0].shared_preload_libraries
      .split(',')
      .map((x: string) => x.trim())
      .includes('pg_stat_statements');
    if (process.env.CI === 'true') expect(preloaded, 'CI preloads pg_stat_statements').toBe(true);
    await admin.query('create extension if not exists pg_stat_statements');
    try {
      if (!preloaded) {
        const c = await check('slow_queries');
        expect(c.status).toBe('skipped');
        expect(c.reason).toMatch(/shared_preload_libraries/);
        expect(c.fix).toMatch(/CREATE EXTENSION pg_stat_statements/);
        return;
      }
      // A statement of our own, slow on average and called often enough, is reported with its text.
      const marker = `slow_${Math.random().toString(36).slice(2, 8)}`;
      for (let i = 0; i < 4; i++) await admin.query(`select pg_sleep(0.03) as ${marker}`);
      const c = await check('slow_queries', {
        thresholds: { slow_queries_ms: 20, slow_queries_calls: 3 },
        maxObjects: 100,
      });
      expect(c.status).toBe('warn');
      expect(JSON.stringify(c.objects)).toContain(marker);
    } finally {
      await admin.query('drop extension if exists pg_stat_statements');
    }
  });

  it('applies overridden thresholds: every table is "near" wraparound below the largest possible figure', async () => {
    await admin.query(`create table ${schema}.xid (id int)`);
    const fired = await check('transaction_id_wraparound', {
      thresholds: { transaction_id_wraparound_xids: 2_146_483_648 },
      maxObjects: 3,
    });
    expect(fired.status).toBe('warn');
    expect(fired.threshold).toBe(2_146_483_648);
    expect(fired.objects).toHaveLength(3);
    expect(fired.moreObjects).toBeGreaterThan(0);
    expect(fired.fix).toMatch(/^VACUUM \(FREEZE, VERBOSE\) .+;/);
    expect((await check('database_size', { thresholds: { database_size_bytes: 1 } })).status).toBe('warn');
    expect((await check('connections', { thresholds: { connections_ratio: 0 } })).status).toBe('warn');
    await admin.query(`drop table ${schema}.xid`);
  });

  it('runs the whole set through a pool of two connections', async () => {
    const small = pgRunner(url, 2);
    try {
      expectValidReport(await checkHealth(small.run, 'postgres'), 'postgres');
    } finally {
      await small.close();
    }
  });

  it('fails the run, not the checks, when the database cannot be reached', async () => {
    const nowhere = pgRunner('postgres://postgres@127.0.0.1:1/none');
    try {
      const error = await checkHealth(nowhere.run, 'postgres').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HealthError);
      expect(error).toMatchObject({ code: 'HEALTH_QUERY_FAILED' });
    } finally {
      await nowhere.close();
    }
  });

  it('stops waiting when the signal fires', async () => {
    const slow = async (sql: string) => {
      await runner.pool.query('select pg_sleep(5)');
      return runner.run(sql);
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(checkHealth(slow, 'postgres', { signal: controller.signal })).rejects.toMatchObject({
      code: 'HEALTH_ABORTED',
    });
    // Rejected by the signal, not after the 5 s the query takes.
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
