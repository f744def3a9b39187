import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { suffix, TestDatabases } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from './index.js';

// Dates and times must not depend on the time zone of the process that reads them (docs/pool.md, "Dates
// and times"). TZ is read once when Node starts, so the same statements run in fresh Node processes, one
// per TZ; every process must report exactly the same values, and those must be the text below.

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dbs = new TestDatabases();
afterAll(() => dbs.cleanup());

/** UTC, ahead of UTC, and behind it with daylight saving time (2024-03-10 02:30 does not exist there). */
const ZONES = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles'] as const;
/** getTimezoneOffset() on 2024-01-01 in each zone, proof that the child really ran in it. */
const OFFSETS = [0, -540, 480];

/** A parameter value: `{ $date: iso }` is bound as a JavaScript Date. */
type Param = string | number | null | { $date: string } | Param[];
interface Step {
  readonly sql: string;
  readonly params?: readonly Param[];
  /** Record the result (else the statement only runs). */
  readonly read?: boolean;
  /** Also read it through `stream()` (a server-side cursor), which must give the same rows. */
  readonly stream?: boolean;
}
interface Plan {
  readonly url: string;
  /** Read in the session as the server set it up: compared between the processes only. */
  readonly probe: string;
  readonly steps: readonly Step[];
}
interface Recorded {
  fields: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  streamed?: Record<string, unknown>[];
}
interface ChildReport {
  tz: string;
  offset: number;
  results: Record<string, { probe: Record<string, unknown>[]; steps: Recorded[] }>;
}

// The child: every statement of a plan on one connection; a Date (or any other object) in a result is
// written so that it can never pass for text, and a failed statement is reported in place of a result.
const SCRIPT = `
const { createPool } = await import('./src/index.ts');
const plans = JSON.parse(process.env.AISHELL_TEMPORAL_PLANS);
const bind = (v) => Array.isArray(v) ? v.map(bind) : v !== null && typeof v === 'object' ? new Date(v.$date) : v;
const show = (v) => v instanceof Date ? { jsDate: Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString() }
  : Array.isArray(v) ? v.map(show)
  : v !== null && typeof v === 'object' ? { object: Object.prototype.toString.call(v), json: JSON.stringify(v) } : v;
const rowsOf = (rows) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, show(v)])));
const results = {};
for (const [dialect, plan] of Object.entries(plans)) {
  const pool = createPool(plan.url);
  try {
    results[dialect] = await pool.withConnection(async (conn) => {
      const probe = rowsOf((await conn.query(plan.probe)).rows);
      const steps = [];
      for (const step of plan.steps) {
        let res;
        try {
          res = await conn.query(step.sql, (step.params ?? []).map(bind));
        } catch (err) {
          steps.push({ failed: step.sql, error: String(err.message) });
          continue;
        }
        if (!step.read) continue;
        const recorded = { fields: res.fields, rows: rowsOf(res.rows) };
        if (step.stream) {
          const streamed = [];
          for await (const row of conn.stream(step.sql, (step.params ?? []).map(bind), { batchSize: 2 })) streamed.push(row);
          recorded.streamed = rowsOf(streamed);
        }
        steps.push(recorded);
      }
      return { probe, steps };
    });
  } finally {
    await pool.close();
  }
}
process.stdout.write(JSON.stringify({
  tz: process.env.TZ,
  offset: new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset(),
  results,
}));
`;

/** 2024-01-01 10:00 UTC: 19:00 in Tokyo, 02:00 in Los Angeles. */
const AT = { $date: '2024-01-01T10:00:00.000Z' };
/** 2024-02-29 23:30 UTC: already 1 March in Tokyo. */
const LEAP = { $date: '2024-02-29T23:30:00.000Z' };

function postgresSteps(table: string, dropAfter: boolean): Step[] {
  return [
    { sql: "set time zone 'UTC'" },
    {
      sql: `create table ${table} (id int primary key, d date, t time, tt timetz, ts timestamp,
        tstz timestamptz, iv interval, da date[], ta time[], tta timetz[], tsa timestamp[],
        tstza timestamptz[], iva interval[])`,
    },
    {
      sql: `insert into ${table} values (1, '2024-01-01', '13:45:30.5', '13:45:30+05:30',
        '2024-03-10 02:30:00', '2024-01-01 10:00:00+00', '1 year 2 mons 3 days 04:05:06.789',
        '{2024-01-01,2024-02-29,NULL}', '{00:00:00,23:59:59.999999}', '{12:00:00-08}',
        '{"2024-01-01 00:00:00","2024-03-10 02:30:00"}', '{"2024-01-01 10:00:00+00"}', '{"1 day","-00:00:01"}')`,
    },
    { sql: `insert into ${table} (id, d, ts, tstz) values (2, '0044-03-15 BC', '-infinity', 'infinity')` },
    {
      sql: `insert into ${table} (id, d, t, tt, ts, tstz, da) values (3, $1, $2, $3, $4, $5, $6)`,
      params: [AT, AT, AT, AT, AT, [AT, LEAP]],
    },
    { sql: `select * from ${table} order by id`, read: true, stream: true },
    { sql: "select date '2024-01-01' as d", read: true },
    {
      sql: 'select $1::date as d, $2::timestamp as ts, $3::timestamptz as tstz, $4::time as t',
      params: [AT, AT, AT, AT],
      read: true,
    },
    // timestamptz is written in the server's session TimeZone; a timestamp never moves.
    { sql: "set time zone 'Asia/Kolkata'" },
    { sql: `select ts, tstz, tstza from ${table} where id = 1`, read: true },
    ...(dropAfter ? [{ sql: `drop table ${table}` }] : []),
  ];
}

function mysqlSteps(table: string): Step[] {
  return [
    { sql: "set time_zone = '+00:00', sql_mode = 'NO_ENGINE_SUBSTITUTION'" },
    {
      sql: `create table ${table} (id int primary key, d date, dt datetime, dt6 datetime(6),
        ts timestamp null, t time, t6 time(6), y year)`,
    },
    {
      sql: `insert into ${table} values (1, '2024-01-01', '2024-03-10 02:30:00', '2024-01-01 10:00:00.123456',
        '2024-01-01 10:00:00', '13:45:30', '-838:59:59.000000', 2024)`,
    },
    { sql: `insert into ${table} (id, d, dt, y) values (2, '0000-00-00', '0000-00-00 00:00:00', 0)` },
    {
      sql: `insert into ${table} (id, d, dt, dt6, ts, t) values (3, ?, ?, ?, ?, ?)`,
      params: [AT, AT, AT, AT, AT],
    },
    { sql: `select * from ${table} order by id`, read: true, stream: true },
    { sql: "select date '2024-01-01' as d", read: true },
    {
      sql: 'select cast(? as date) as d, cast(? as datetime) as dt, cast(? as time) as t',
      params: [AT, AT, AT],
      read: true,
    },
    // TIMESTAMP is written in the server's session time_zone; a DATETIME never moves.
    { sql: "set time_zone = '+05:30'" },
    { sql: `select ts, dt from ${table} where id = 1`, read: true },
    { sql: `drop table ${table}` },
  ];
}

function sqliteSteps(table: string): Step[] {
  return [
    { sql: `create table ${table} (id integer primary key, d DATE, dt DATETIME, ts TIMESTAMP, t TIME)` },
    {
      sql: `insert into ${table} values (1, '2024-01-01', '2024-03-10 02:30:00', '2024-01-01T10:00:00Z', '13:45:30')`,
    },
    { sql: `insert into ${table} (id, d, dt, ts, t) values (3, ?, ?, ?, ?)`, params: [AT, AT, AT, AT] },
    { sql: `select * from ${table} order by id`, read: true, stream: true },
    {
      sql: "select date('2024-01-01') as d, datetime('2024-03-10 02:30:00') as dt, time('13:45:30') as t, date(?) as bound",
      params: [AT],
      read: true,
    },
  ];
}

const f = (...names: string[]) =>
  names.map((n) => {
    const [name, type] = n.split(':') as [string, string];
    return { name, type };
  });

const PG_ALL = f(
  'id:int4',
  'd:date',
  't:time',
  'tt:timetz',
  'ts:timestamp',
  'tstz:timestamptz',
  'iv:interval',
  'da:_date',
  'ta:_time',
  'tta:_timetz',
  'tsa:_timestamp',
  'tstza:_timestamptz',
  'iva:_interval',
);
const PG_NULLS = {
  t: null,
  tt: null,
  iv: null,
  da: null,
  ta: null,
  tta: null,
  tsa: null,
  tstza: null,
  iva: null,
};
const PG_ROWS = [
  {
    id: 1,
    d: '2024-01-01',
    t: '13:45:30.5',
    tt: '13:45:30+05:30',
    ts: '2024-03-10 02:30:00',
    tstz: '2024-01-01 10:00:00+00',
    iv: '1 year 2 mons 3 days 04:05:06.789',
    da: ['2024-01-01', '2024-02-29', null],
    ta: ['00:00:00', '23:59:59.999999'],
    tta: ['12:00:00-08'],
    tsa: ['2024-01-01 00:00:00', '2024-03-10 02:30:00'],
    tstza: ['2024-01-01 10:00:00+00'],
    iva: ['1 day', '-00:00:01'],
  },
  { ...PG_NULLS, id: 2, d: '0044-03-15 BC', ts: '-infinity', tstz: 'infinity' },
  {
    ...PG_NULLS,
    id: 3,
    d: '2024-01-01',
    t: '10:00:00',
    tt: '10:00:00+00',
    ts: '2024-01-01 10:00:00',
    tstz: '2024-01-01 10:00:00+00',
    da: ['2024-01-01', '2024-02-29'],
  },
];
const PG_EXPECTED: Recorded[] = [
  { fields: PG_ALL, rows: PG_ROWS, streamed: PG_ROWS },
  { fields: f('d:date'), rows: [{ d: '2024-01-01' }] },
  {
    fields: f('d:date', 'ts:timestamp', 'tstz:timestamptz', 't:time'),
    rows: [{ d: '2024-01-01', ts: '2024-01-01 10:00:00', tstz: '2024-01-01 10:00:00+00', t: '10:00:00' }],
  },
  {
    fields: f('ts:timestamp', 'tstz:timestamptz', 'tstza:_timestamptz'),
    rows: [
      { ts: '2024-03-10 02:30:00', tstz: '2024-01-01 15:30:00+05:30', tstza: ['2024-01-01 15:30:00+05:30'] },
    ],
  },
];

const MYSQL_ROWS = [
  {
    id: 1,
    d: '2024-01-01',
    dt: '2024-03-10 02:30:00',
    dt6: '2024-01-01 10:00:00.123456',
    ts: '2024-01-01 10:00:00',
    t: '13:45:30',
    t6: '-838:59:59.000000',
    y: '2024',
  },
  { id: 2, d: '0000-00-00', dt: '0000-00-00 00:00:00', dt6: null, ts: null, t: null, t6: null, y: '0000' },
  {
    id: 3,
    d: '2024-01-01',
    dt: '2024-01-01 10:00:00',
    dt6: '2024-01-01 10:00:00.000000',
    ts: '2024-01-01 10:00:00',
    t: '10:00:00',
    t6: null,
    y: null,
  },
];
const MYSQL_EXPECTED: Recorded[] = [
  {
    fields: f(
      'id:int',
      'd:date',
      'dt:datetime',
      'dt6:datetime',
      'ts:timestamp',
      't:time',
      't6:time',
      'y:year',
    ),
    rows: MYSQL_ROWS,
    streamed: MYSQL_ROWS,
  },
  { fields: f('d:date'), rows: [{ d: '2024-01-01' }] },
  {
    fields: f('d:date', 'dt:datetime', 't:time'),
    rows: [{ d: '2024-01-01', dt: '2024-01-01 10:00:00', t: '10:00:00' }],
  },
  {
    fields: f('ts:timestamp', 'dt:datetime'),
    rows: [{ ts: '2024-01-01 15:30:00', dt: '2024-03-10 02:30:00' }],
  },
];

const SQLITE_ROWS = [
  { id: 1, d: '2024-01-01', dt: '2024-03-10 02:30:00', ts: '2024-01-01T10:00:00Z', t: '13:45:30' },
  // A Date bound on SQLite is stored as its ISO-8601 UTC text, whatever the column's declared type.
  {
    id: 3,
    d: '2024-01-01T10:00:00.000Z',
    dt: '2024-01-01T10:00:00.000Z',
    ts: '2024-01-01T10:00:00.000Z',
    t: '2024-01-01T10:00:00.000Z',
  },
];
const SQLITE_EXPECTED: Recorded[] = [
  {
    fields: f('id:INTEGER', 'd:DATE', 'dt:DATETIME', 'ts:TIMESTAMP', 't:TIME'),
    rows: SQLITE_ROWS,
    streamed: SQLITE_ROWS,
  },
  {
    fields: f('d:TEXT', 'dt:TEXT', 't:TEXT', 'bound:TEXT'),
    rows: [{ d: '2024-01-01', dt: '2024-03-10 02:30:00', t: '13:45:30', bound: '2024-01-01' }],
  },
];

const EXPECTED: Record<DialectName, Recorded[]> = {
  postgres: PG_EXPECTED,
  pglite: PG_EXPECTED,
  mysql: MYSQL_EXPECTED,
  sqlite: SQLITE_EXPECTED,
};

async function plansFor(child: number): Promise<Record<DialectName, Plan>> {
  const table = `pool_temporal_${suffix()}_${child}`;
  return {
    postgres: {
      url: await dbs.url('postgres'),
      probe: "select current_setting('TimeZone') as server_zone",
      steps: postgresSteps(table, true),
    },
    pglite: {
      url: 'pglite::memory:',
      probe: "select current_setting('TimeZone') as server_zone",
      steps: postgresSteps(table, false),
    },
    mysql: {
      url: await dbs.url('mysql'),
      probe: 'select @@session.time_zone as server_zone, @@system_time_zone as system_zone',
      steps: mysqlSteps(table),
    },
    sqlite: {
      url: `sqlite://${join(dbs.dir, `temporal-${child}.db`)}`,
      probe: "select date('2024-01-01') as d",
      steps: sqliteSteps(table),
    },
  };
}

async function runIn(tz: string, child: number): Promise<ChildReport> {
  const plans = await plansFor(child);
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=@aishell/source', '--input-type=module', '-e', SCRIPT],
    {
      cwd: packageDir,
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, TZ: tz, AISHELL_TEMPORAL_PLANS: JSON.stringify(plans) },
    },
  );
  return JSON.parse(stdout) as ChildReport;
}

describe('dates and times under three client time zones', () => {
  let reports: ChildReport[] = [];

  beforeAll(async () => {
    reports = await Promise.all(ZONES.map((tz, i) => runIn(tz, i)));
  }, 180_000);

  it('ran one Node process in each TZ', () => {
    expect(reports.map((r) => [r.tz, r.offset])).toEqual(ZONES.map((tz, i) => [tz, OFFSETS[i]]));
  });

  it.each(['postgres', 'pglite', 'mysql', 'sqlite'] as const)(
    '%s: every process reads the same text, the server’s own',
    (dialect) => {
      expect(reports).toHaveLength(ZONES.length);
      const [first, ...others] = reports.map((r) => r.results[dialect]);
      // The session's time zone is the server's (pg and mysql2 send none), not the client's TZ.
      for (const other of others) expect(other).toEqual(first);
      expect(first?.steps).toEqual(EXPECTED[dialect]);
    },
  );
});
