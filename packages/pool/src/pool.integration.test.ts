import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIALECTS, SQL, suffix, TestDatabases, type TestDialect } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createPool, type DialectName, type Pool, PoolError, QueryError } from './index.js';

const dbs = new TestDatabases();
afterAll(() => dbs.cleanup());

// The shared test databases name the same dialects as the pool: a dialect added to the pool fails the
// type-check until @aishell/testing covers it.
expectTypeOf<TestDialect>().toEqualTypeOf<DialectName>();

/** What each engine reports for the same statements. */
const EXPECTED: Record<
  DialectName,
  { intType: string; textType: string; errorField: 'sqlState' | 'errno' | 'sqliteCode'; missingTable: string }
> = {
  postgres: { intType: 'int4', textType: 'text', errorField: 'sqlState', missingTable: '42P01' },
  pglite: { intType: 'int4', textType: 'text', errorField: 'sqlState', missingTable: '42P01' },
  mysql: { intType: 'int', textType: 'varchar', errorField: 'errno', missingTable: '1146' },
  sqlite: { intType: 'INT', textType: 'TEXT', errorField: 'sqliteCode', missingTable: 'SQLITE_ERROR' },
};

describe.each(DIALECTS)('%s', (dialect) => {
  const sql = SQL[dialect];
  const table = `pool_it_${suffix()}`;
  let pool: Pool;

  beforeAll(async () => {
    pool = createPool(await dbs.url(dialect), { max: 4 });
    const textType = dialect === 'mysql' ? 'varchar(100)' : 'text';
    await pool.query(`create table ${table} (id ${sql.serial}, name ${textType} not null, n int)`);
  });

  afterAll(async () => {
    await pool?.query(`drop table if exists ${table}`).catch(() => {});
    await pool?.close();
  });

  it('reports the dialect it speaks', () => {
    expect(pool.dialect).toBe(dialect);
    expect(pool.sqlDialect).toBe(dialect === 'pglite' ? 'postgres' : dialect);
  });

  it('answers a select with command, row count, typed fields and rows', async () => {
    const p1 = sql.param(1);
    const castText = dialect === 'mysql' ? p1 : dialect === 'sqlite' ? p1 : `${p1}::text`;
    const res = await pool.query(`insert into ${table} (name, n) values (${castText}, 41)`, ['ann']);
    expect(res.command).toBe('INSERT');
    expect(res.rowCount).toBe(1);
    const sel = await pool.query(
      `select id, name, n + 1 as next from ${table} where name = ${sql.param(1)}`,
      ['ann'],
    );
    expect(sel.command).toBe('SELECT');
    expect(sel.rowCount).toBe(1);
    expect(sel.fields.map((f) => f.name)).toEqual(['id', 'name', 'next']);
    expect(sel.fields[1]?.type).toBe(EXPECTED[dialect].textType);
    expect(Number(sel.rows[0]?.next)).toBe(42);
    expect(sel.rows[0]?.name).toBe('ann');
  });

  it('names the engine type of each column', async () => {
    const res = await pool.query(`select n from ${table}`);
    expect(res.fields).toEqual([{ name: 'n', type: EXPECTED[dialect].intType }]);
  });

  it('counts affected rows of an update', async () => {
    await pool.query(`insert into ${table} (name, n) values ('bob', 1), ('cat', 2)`);
    const res = await pool.query(`update ${table} set n = n + 10 where name in ('bob', 'cat')`);
    expect(res.command).toBe('UPDATE');
    expect(res.rowCount).toBe(2);
  });

  it('turns an unknown table into POOL_QUERY with the server message and its code', async () => {
    const err = await pool.query('select * from no_such_table_here').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryError);
    const q = err as QueryError;
    expect(q.code).toBe('POOL_QUERY');
    expect(q.message).toMatch(/no_such_table_here/);
    expect(String(q[EXPECTED[dialect].errorField])).toBe(EXPECTED[dialect].missingTable);
    if (dialect === 'mysql') expect(q.sqlState).toBe('42S02');
  });

  it('streams a large result in batches and gives the connection back', async () => {
    const stream = pool.stream(sql.series(5000), [], { batchSize: 128 });
    expect((await stream.fields()).map((f) => f.name)).toEqual(['g']);
    let count = 0;
    let sum = 0;
    for await (const row of stream) {
      count++;
      sum += Number(row.g);
    }
    expect(count).toBe(5000);
    expect(sum).toBe((5000 * 5001) / 2);
    expect(pool.totalCount).toBe(pool.idleCount);
    expect((await pool.query('select 1 as one')).rows[0]?.one).toBe(1);
  });

  it('gives the connection back when a stream is left early', async () => {
    let seen = 0;
    for await (const _row of pool.stream(sql.series(10000), undefined, { batchSize: 100 })) {
      if (++seen === 250) break;
    }
    expect(seen).toBe(250);
    expect(pool.totalCount).toBe(pool.idleCount);
    expect((await pool.query(`select count(*) as c from ${table}`)).rowCount).toBe(1);
  });

  it('commits a transaction whose callback resolves', async () => {
    await pool.transaction(async (conn) => {
      await conn.query(`insert into ${table} (name, n) values ('tx-commit', 1)`);
    });
    const res = await pool.query(`select name from ${table} where name = 'tx-commit'`);
    expect(res.rowCount).toBe(1);
  });

  it('rolls back a transaction whose callback throws', async () => {
    const boom = new Error('boom');
    await expect(
      pool.transaction(async (conn) => {
        await conn.query(`insert into ${table} (name, n) values ('tx-rollback', 1)`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    const res = await pool.query(`select name from ${table} where name = 'tx-rollback'`);
    expect(res.rowCount).toBe(0);
  });

  it('refuses writes in a read-only transaction and restores writing afterwards', async () => {
    const err = await pool
      .transaction(async (conn) => conn.query(`insert into ${table} (name, n) values ('ro', 1)`), {
        readOnly: true,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryError);
    const read = await pool.transaction(async (conn) => conn.query(`select count(*) as c from ${table}`), {
      readOnly: true,
    });
    expect(read.rowCount).toBe(1);
    const write = await pool.query(`insert into ${table} (name, n) values ('after-ro', 1)`);
    expect(write.rowCount).toBe(1);
  });

  it('streams inside a transaction on the same connection', async () => {
    const rows = await pool.transaction(async (conn) => {
      const out: unknown[] = [];
      for await (const row of conn.stream(sql.series(300), undefined, { batchSize: 50 })) out.push(row.g);
      return out;
    });
    expect(rows).toHaveLength(300);
  });

  it('holds one connection for the whole of withConnection and refuses use after it returns', async () => {
    let kept: { query(s: string): Promise<unknown> } | undefined;
    await pool.withConnection(async (conn) => {
      kept = conn;
      await conn.query('select 1');
    });
    const err = await kept?.query('select 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PoolError);
  });

  it('pings', async () => {
    await expect(pool.ping()).resolves.toBeUndefined();
  });

  it('rejects with POOL_ABORTED for a signal already aborted, without touching the pool', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await pool.query('select 1', undefined, { signal: ac.signal }).catch((e: unknown) => e);
    expect((err as PoolError).code).toBe('POOL_ABORTED');
  });
});

describe('a closed pool', () => {
  it('refuses new work with POOL_CLOSED and a second close is harmless', async () => {
    const pool = createPool(await dbs.url('sqlite'));
    await pool.query('select 1');
    await pool.close();
    await pool.close();
    const err = await pool.query('select 1').catch((e: unknown) => e);
    expect((err as PoolError).code).toBe('POOL_CLOSED');
  });

  it('closes through await using', async () => {
    let outer: Pool | undefined;
    {
      await using pool = createPool(await dbs.url('sqlite'));
      outer = pool;
      await pool.query('select 1');
    }
    await expect(outer.query('select 1')).rejects.toMatchObject({ code: 'POOL_CLOSED' });
  });
});

describe('pglite pool', () => {
  it('opens with small shared buffers (fast start), in memory and in a folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-pglite-'));
    for (const url of ['pglite::memory:', `pglite://${dir}`]) {
      await using pool = createPool(url);
      const { rows } = await pool.query('show shared_buffers');
      expect(rows[0]?.shared_buffers).toBe('16MB');
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

describe.each(['postgres', 'pglite', 'mysql'] as const)('%s int8', (dialect) => {
  const sql =
    dialect === 'mysql'
      ? 'select cast(5 as signed) as small, cast(9007199254740993 as signed) as big, count(*) as n from (select 1 union all select 2) t'
      : 'select 5::int8 as small, 9007199254740993::int8 as big, count(*) as n from (values (1), (2)) t(x)';

  it('returns int8 as a number when exact and as text beyond 2^53, like the other engines', async () => {
    await using pool = createPool(await dbs.url(dialect));
    const { rows } = await pool.query(sql);
    expect(rows[0]).toEqual({ small: 5, big: '9007199254740993', n: 2 });
  });

  if (dialect !== 'mysql') {
    it('maps int8[] elements the same way', async () => {
      await using pool = createPool(await dbs.url(dialect));
      const { rows } = await pool.query("select '{{1,9007199254740993},{3,null}}'::int8[] as a");
      expect(rows[0]?.a).toEqual([
        [1, '9007199254740993'],
        [3, null],
      ]);
    });
  }
});

describe('mysql procedures', () => {
  it('answers a CALL with the result set of the SELECT the procedure ran', async () => {
    await using pool = createPool(await dbs.url('mysql'));
    const proc = `pool_proc_${suffix()}`;
    await pool.query(`create procedure ${proc}(in n int) begin select n as got, n + 1 as next; end`);
    try {
      const result = await pool.query(`call ${proc}(41)`);
      expect(result.rows).toEqual([{ got: 41, next: 42 }]);
      expect(result.fields.map((f) => f.name)).toEqual(['got', 'next']);
      expect(result.command).toBe('CALL');
      // A procedure without a SELECT answers with its OK packet only.
      await pool.query(`drop procedure ${proc}`);
      await pool.query(`create procedure ${proc}() begin do 1; end`);
      await expect(pool.query(`call ${proc}()`)).resolves.toMatchObject({ rows: [], fields: [] });
    } finally {
      await pool.query(`drop procedure if exists ${proc}`);
    }
  });
});
