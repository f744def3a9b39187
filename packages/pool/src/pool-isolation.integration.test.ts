import { DIALECTS, SQL, suffix, TestDatabases } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type DialectName, type Pool } from './index.js';

const dbs = new TestDatabases();
afterAll(() => dbs.cleanup());

/** What one engine needs to show that session state does not outlive `isolated()`. */
interface SessionState {
  /** Changes a session setting; `read` shows it. */
  readonly set: string;
  readonly read: string;
  /** The value `read` gives on a fresh connection. */
  readonly fresh: unknown;
  readonly begin: string;
  readonly tempTable: (name: string) => string;
}

const STATE: Record<DialectName, SessionState> = {
  postgres: {
    set: 'set statement_timeout = 1234',
    read: "select current_setting('statement_timeout') as v",
    fresh: '0',
    begin: 'begin',
    tempTable: (t) => `create temporary table ${t} (a int)`,
  },
  pglite: {
    set: 'set statement_timeout = 1234',
    read: "select current_setting('statement_timeout') as v",
    fresh: '0',
    begin: 'begin',
    tempTable: (t) => `create temporary table ${t} (a int)`,
  },
  mysql: {
    set: 'use mysql',
    read: 'select database() as v',
    fresh: 'aishell_test',
    begin: 'start transaction',
    tempTable: (t) => `create temporary table ${t} (a int)`,
  },
  sqlite: {
    set: 'pragma recursive_triggers = on',
    read: 'pragma recursive_triggers',
    fresh: 0,
    begin: 'begin',
    tempTable: (t) => `create temp table ${t} (a int)`,
  },
};

/** The value a `read` statement returns (the first column of its first row). */
async function firstValue(pool: Pool, sql: string): Promise<unknown> {
  const { rows } = await pool.query(sql);
  const row = rows[0] ?? {};
  return Object.values(row)[0];
}

describe.each(DIALECTS)('%s isolated connections', (dialect) => {
  const state = STATE[dialect];
  let url: string;
  let fresh: unknown;

  beforeAll(async () => {
    url = await dbs.url(dialect);
    // The database of the URL, not a name assumed here.
    await using pool = createPool(url);
    fresh = dialect === 'mysql' ? await firstValue(pool, 'select database()') : state.fresh;
  });

  it('rolls back a transaction the callback left open and says so', async () => {
    await using pool = createPool(url, { max: 1 });
    const table = `iso_${suffix()}`;
    await pool.query(`create table ${table} (id int)`);
    try {
      const { rolledBack } = await pool.isolated(async (conn) => {
        await conn.query(state.begin);
        await conn.query(`insert into ${table} values (1)`);
      });
      expect(rolledBack).toBe(true);
      expect((await pool.query(`select count(*) as n from ${table}`)).rows[0]?.n).toBe(0);
      const clean = await pool.isolated((conn) => conn.query(`insert into ${table} values (2)`));
      expect(clean.rolledBack).toBe(false);
      expect((await pool.query(`select count(*) as n from ${table}`)).rows[0]?.n).toBe(1);
    } finally {
      await pool.query(`drop table ${table}`);
    }
  });

  it('resets session settings, the current database and temporary tables before the next user', async () => {
    await using pool = createPool(url, { max: 1 });
    const temp = `iso_tmp_${suffix()}`;
    await pool.isolated(async (conn) => {
      await conn.query(state.tempTable(temp));
      await conn.query(state.set);
      expect(Object.values((await conn.query(state.read)).rows[0] ?? {})[0]).not.toEqual(fresh);
    });
    expect(await firstValue(pool, state.read)).toEqual(fresh);
    await expect(pool.query(`select * from ${temp}`)).rejects.toMatchObject({ code: 'POOL_QUERY' });
  });

  it('resets the connection also when the callback throws', async () => {
    await using pool = createPool(url, { max: 1 });
    const failing = pool.isolated(async (conn) => {
      await conn.query(state.set);
      throw new Error('the request failed');
    });
    await expect(failing).rejects.toThrow('the request failed');
    expect(await firstValue(pool, state.read)).toEqual(fresh);
  });

  it('refuses DDL in a read-only transaction, also where DDL commits implicitly', async () => {
    await using pool = createPool(url, { max: 1 });
    const seen = await pool.transaction(async (conn) => (await conn.query(SQL[dialect].series(3))).rowCount, {
      readOnly: true,
    });
    expect(seen).toBe(3);
    const table = `iso_never_${suffix()}`;
    const writes = pool.transaction(
      async (conn) => {
        await conn.query(`create table ${table} (a int)`);
      },
      { readOnly: true },
    );
    const refused = await writes.then(
      () => false,
      (e: { code?: unknown }) => e.code === 'POOL_QUERY',
    );
    if (!refused) await pool.query(`drop table ${table}`);
    expect(refused).toBe(true);
    // ... and the session is writable again afterwards.
    await pool.query(`create table ${table} (a int)`);
    await pool.query(`drop table ${table}`);
  });
});

describe.each(['postgres', 'pglite', 'mysql'] as const)('%s read-only transactions', (dialect) => {
  it('end with a roll-back, so that even what the engine allows inside (temporary tables) is not kept', async () => {
    await using pool = createPool(await dbs.url(dialect), { max: 1 });
    await pool.withConnection(async (conn) => {
      const temp = `ro_tmp_${suffix()}`;
      await conn.query(`create temporary table ${temp} (a int)`);
      await conn.transaction((tx) => tx.query(`insert into ${temp} values (1)`), { readOnly: true });
      expect((await conn.query(`select count(*) as n from ${temp}`)).rows[0]?.n).toBe(0);
    });
  });
});

describe('sqlite read-only transactions', () => {
  it('run on the file opened read-only, which no pragma can make writable', async () => {
    const url = `sqlite://${dbs.dir}/ro-${suffix()}.db`;
    await using pool = createPool(url);
    await pool.query('create table t (a int)');
    const escaping = pool.transaction(
      async (conn) => {
        await conn.query('pragma query_only = 0');
        await conn.query('insert into t values (1)');
      },
      { readOnly: true },
    );
    await expect(escaping).rejects.toThrow(/readonly|read-only/i);
    expect((await pool.query('select count(*) as n from t')).rows[0]?.n).toBe(0);
    // The writable connection is untouched by the read-only one.
    await pool.query('insert into t values (2)');
    expect((await pool.query('select count(*) as n from t')).rows[0]?.n).toBe(1);
  });

  it('fall back to query_only for an in-memory database', async () => {
    await using pool = createPool('sqlite::memory:');
    await pool.query('create table t (a int)');
    const write = pool.transaction((conn) => conn.query('insert into t values (1)'), { readOnly: true });
    await expect(write).rejects.toThrow(/readonly|read-only|query_only/i);
    await pool.query('insert into t values (2)');
    expect((await pool.query('select count(*) as n from t')).rows[0]?.n).toBe(1);
  });
});

describe.each(['postgres', 'pglite'] as const)('%s statements', (dialect) => {
  it('are sent one per protocol message, so a server that lexes strings differently runs no hidden statement', async () => {
    const url = await dbs.url(dialect);
    await using pool = createPool(url, { max: 1 });
    const table = `smuggle_${suffix()}`;
    await pool.query(`create table ${table} (id int)`);
    try {
      await pool.query(`insert into ${table} values (1)`);
      const smuggled = pool.withConnection(async (conn) => {
        // With standard_conforming_strings off the server reads 'x\'' as a string that ends there: the
        // text after it would be a DELETE of its own under the simple protocol.
        await conn.query('set standard_conforming_strings = off');
        await conn.query(`select 'x\\''; delete from ${table}; --'`);
      });
      await expect(smuggled).rejects.toMatchObject({ code: 'POOL_QUERY' });
      expect((await pool.query(`select count(*) as n from ${table}`)).rows[0]?.n).toBe(1);
    } finally {
      await pool.query(`drop table ${table}`);
    }
  });
});

describe('postgres: the last statement of an isolated unit carries the reset', () => {
  let url: string;
  beforeAll(async () => {
    url = await dbs.url('postgres');
  });

  /** What pg_stat_activity says the backend last ran, and when its state last changed. */
  async function activity(observer: Pool, pid: unknown): Promise<{ query: unknown; changed: unknown }> {
    const { rows } = await observer.query(
      'select query, state_change::text as changed from pg_stat_activity where pid = $1',
      [pid],
    );
    return { query: rows[0]?.query, changed: rows[0]?.changed };
  }

  it('sends DISCARD ALL behind the statement, and giving the connection back sends nothing more', async () => {
    await using pool = createPool(url, { max: 1 });
    await using observer = createPool(url, { max: 1 });
    let pid: unknown;
    let afterLast = { query: undefined as unknown, changed: undefined as unknown };
    await pool.isolated(async (conn) => {
      pid = (await conn.query('select pg_backend_pid() as pid')).rows[0]?.pid;
      await conn.query("select set_config('work_mem', '7MB', false)", undefined, { last: true });
      // The reset was written with the statement: the backend runs it without being asked again.
      for (let i = 0; i < 100 && afterLast.query !== 'DISCARD ALL'; i++) {
        afterLast = await activity(observer, pid);
        if (afterLast.query !== 'DISCARD ALL') await new Promise((r) => setTimeout(r, 10));
      }
    });
    expect(afterLast.query).toBe('DISCARD ALL');
    // Nothing ran on the backend since: the pool's reset needed no round trip.
    expect(await activity(observer, pid)).toEqual(afterLast);
    expect(await firstValue(pool, "select current_setting('work_mem')")).toBe('4MB');
  });

  it('without `last`, the reset is a round trip of its own after the callback', async () => {
    await using pool = createPool(url, { max: 1 });
    await using observer = createPool(url, { max: 1 });
    let pid: unknown;
    let inside: unknown;
    await pool.isolated(async (conn) => {
      pid = (await conn.query('select pg_backend_pid() as pid')).rows[0]?.pid;
      await conn.query('select 1');
      inside = (await activity(observer, pid)).query;
    });
    expect(inside).toBe('select 1');
    expect((await activity(observer, pid)).query).toBe('DISCARD ALL');
  });

  const lastStatements: [string, string, unknown][] = [
    ['a setting', "set search_path = 'pg_temp_nowhere'", "select current_setting('search_path')"],
    [
      'a temporary table',
      'create temporary table iso_last_tmp (a int)',
      "select to_regclass('pg_temp.iso_last_tmp')::text",
    ],
    [
      'a prepared statement',
      'prepare iso_last_p as select 1',
      'select count(*)::int from pg_prepared_statements',
    ],
    [
      'an advisory lock',
      'select pg_advisory_lock(4242)',
      "select count(*)::int from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()",
    ],
    ['a LISTEN', 'listen iso_last_channel', 'select count(*)::int from pg_listening_channels()'],
    [
      'a cursor WITH HOLD',
      'declare iso_last_c cursor with hold for select 1',
      'select count(*)::int from pg_cursors',
    ],
  ];

  it.each(lastStatements)(
    '%s made by the last statement is gone for the next user',
    async (_what, change, read) => {
      await using pool = createPool(url, { max: 1 });
      const before = await firstValue(pool, read as string);
      const { rolledBack } = await pool.isolated((conn) => conn.query(change, undefined, { last: true }));
      expect(rolledBack).toBe(false);
      expect(await firstValue(pool, read as string)).toEqual(before);
    },
  );

  it('a transaction the last statement leaves open is rolled back, and the session reset', async () => {
    await using pool = createPool(url, { max: 1 });
    const table = `iso_last_${suffix()}`;
    await pool.query(`create table ${table} (id int)`);
    try {
      const { rolledBack } = await pool.isolated(async (conn) => {
        await conn.query("set work_mem = '9MB'");
        await conn.query('begin');
        await conn.query(`insert into ${table} values (1)`, undefined, { last: true });
      });
      expect(rolledBack).toBe(true);
      expect((await pool.query(`select count(*)::int as n from ${table}`)).rows[0]?.n).toBe(0);
      expect(await firstValue(pool, "select current_setting('work_mem')")).toBe('4MB');
      // BEGIN itself as the last statement: the same.
      const begun = await pool.isolated((conn) => conn.query('begin', undefined, { last: true }));
      expect(begun.rolledBack).toBe(true);
      await pool.query(`insert into ${table} values (2)`);
      expect((await pool.query(`select count(*)::int as n from ${table}`)).rows[0]?.n).toBe(1);
    } finally {
      await pool.query(`drop table ${table}`);
    }
  });

  it('a last statement that fails still leaves the connection reset and usable', async () => {
    await using pool = createPool(url, { max: 1 });
    const failing = pool.isolated(async (conn) => {
      await conn.query("set work_mem = '11MB'");
      await conn.query('select 1 / 0', undefined, { last: true });
    });
    await expect(failing).rejects.toMatchObject({ code: 'POOL_QUERY' });
    expect(await firstValue(pool, "select current_setting('work_mem')")).toBe('4MB');
  });

  it("a read-only transaction's end carries the reset, and what ran inside is gone", async () => {
    await using pool = createPool(url, { max: 1 });
    await pool.isolated((conn) =>
      conn.transaction(
        async (tx) => {
          await tx.query('select pg_advisory_lock(4343)');
        },
        { readOnly: true, last: true },
      ),
    );
    expect(
      await firstValue(
        pool,
        "select count(*)::int from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()",
      ),
    ).toBe(0);
  });
});
