import { SERVER_DIALECTS, SQL, suffix, TcpProxy, TestDatabases } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcquireTimeoutError, createPool, type DialectName, type Pool, type PoolError } from './index.js';

const dbs = new TestDatabases();
afterAll(() => dbs.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server's id of the connection a query ran on. */
const BACKEND_ID: Record<'postgres' | 'mysql', string> = {
  postgres: 'select pg_backend_pid() as id',
  mysql: 'select connection_id() as id',
};

describe.each(SERVER_DIALECTS)('%s pool', (dialect: 'postgres' | 'mysql') => {
  const sql = SQL[dialect];
  let url: string;

  beforeAll(async () => {
    url = await dbs.url(dialect);
  });

  async function backendId(pool: { query(s: string): Promise<{ rows: Record<string, unknown>[] }> }) {
    return Number((await pool.query(BACKEND_ID[dialect])).rows[0]?.id);
  }

  it('never opens more than max connections and counts waiting callers', async () => {
    await using pool = createPool(url, { max: 2 });
    const work = Array.from({ length: 5 }, () => pool.query(sql.sleep(0.2)));
    await sleep(80);
    expect(pool.totalCount).toBe(2);
    expect(pool.waitingCount).toBe(3);
    expect(pool.idleCount).toBe(0);
    await Promise.all(work);
    expect(pool.totalCount).toBe(2);
    expect(pool.idleCount).toBe(2);
    expect(pool.waitingCount).toBe(0);
  });

  it('reuses an idle connection instead of opening another', async () => {
    await using pool = createPool(url, { max: 4 });
    const first = await backendId(pool);
    const second = await backendId(pool);
    expect(second).toBe(first);
    expect(pool.totalCount).toBe(1);
  });

  it('rejects with POOL_ACQUIRE_TIMEOUT when no connection frees up in time', async () => {
    await using pool = createPool(url, { max: 1, acquireTimeoutMillis: 100 });
    const holding = pool.withConnection(async (conn) => conn.query(sql.sleep(3)));
    await sleep(20);
    const started = Date.now();
    const err = await pool.query('select 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AcquireTimeoutError);
    // The 100 ms timeout, not the 3 s the holder keeps its connection.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(pool.waitingCount).toBe(0);
    await holding;
  });

  it('lets a waiting caller give up with its AbortSignal', async () => {
    await using pool = createPool(url, { max: 1 });
    const holding = pool.withConnection(async (conn) => conn.query(sql.sleep(0.3)));
    await sleep(20);
    const ac = new AbortController();
    const waiting = pool.query('select 1', undefined, { signal: ac.signal }).catch((e: unknown) => e);
    await sleep(20);
    expect(pool.waitingCount).toBe(1);
    ac.abort();
    expect(((await waiting) as PoolError).code).toBe('POOL_ABORTED');
    expect(pool.waitingCount).toBe(0);
    await holding;
  });

  it('closes connections idle longer than idleTimeoutMillis', async () => {
    await using pool = createPool(url, { idleTimeoutMillis: 100 });
    await Promise.all([pool.query(sql.sleep(0.05)), pool.query(sql.sleep(0.05))]);
    expect(pool.totalCount).toBe(2);
    await sleep(400);
    expect(pool.totalCount).toBe(0);
    expect((await pool.query('select 1 as one')).rows[0]?.one).toBe(1);
  });

  it('retires a connection older than maxLifetimeSeconds', async () => {
    await using pool = createPool(url, { maxLifetimeSeconds: 1 });
    const first = await backendId(pool);
    expect(await backendId(pool)).toBe(first);
    await sleep(1100);
    expect(await backendId(pool)).not.toBe(first);
  });

  it('evicts a connection that failed validation after sitting idle', async () => {
    const proxy = TcpProxy.forUrl(url);
    await proxy.start();
    try {
      await using pool = createPool(proxy.url(url), {
        validateAfterIdleMillis: 50,
        connectTimeoutMillis: 500,
      });
      const first = await backendId(pool);
      proxy.freezeOpenConnections(); // the idle connection now looks alive but never answers
      await sleep(100);
      const second = await backendId(pool);
      expect(second).not.toBe(first);
      expect(pool.totalCount).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('does not validate a connection reused right away', async () => {
    const proxy = TcpProxy.forUrl(url);
    await proxy.start();
    try {
      await using pool = createPool(proxy.url(url), { validateAfterIdleMillis: 60_000 });
      await backendId(pool);
      proxy.freezeOpenConnections();
      // Without validation the hung connection is handed out and the statement times out.
      const err = await pool.query('select 1', undefined, { timeoutMillis: 200 }).catch((e: unknown) => e);
      expect((err as PoolError).code).toBe('POOL_TIMEOUT');
    } finally {
      await proxy.stop();
    }
  });

  it('close waits for work in flight and then refuses new work', async () => {
    const pool = createPool(url);
    const inFlight = pool.query(sql.sleep(0.3));
    await sleep(30);
    let closed = false;
    const closing = pool.close().then(() => {
      closed = true;
    });
    await expect(pool.query('select 1')).rejects.toMatchObject({ code: 'POOL_CLOSED' });
    expect(closed).toBe(false);
    await expect(inFlight).resolves.toMatchObject({ rowCount: 1 });
    await closing;
    expect(pool.totalCount).toBe(0);
  });

  it('close lets callers that already wait for a connection finish', async () => {
    const pool = createPool(url, { max: 1 });
    const a = pool.query(sql.sleep(0.1));
    const b = pool.query('select 2 as two');
    await sleep(20);
    expect(pool.waitingCount).toBe(1);
    await pool.close();
    await expect(a).resolves.toBeDefined();
    expect((await b).rows[0]?.two).toBe(2);
  });

  it('warm() connects in the background and the next query takes that connection', async () => {
    await using pool = createPool(url, { max: 4 });
    pool.warm();
    // Connecting has started before anything asked for a connection.
    expect(pool.totalCount).toBe(1);
    pool.warm(); // a second call while one is warming opens nothing more
    expect(pool.totalCount).toBe(1);
    const first = backendId(pool);
    const second = backendId(pool);
    const [a, b] = await Promise.all([first, second]);
    // The first caller claimed the warming connection; only the second opened another.
    expect(pool.totalCount).toBe(2);
    expect(a).not.toBe(b);
  });

  it('an unclaimed warm connection waits idle and serves the next query', async () => {
    await using pool = createPool(url);
    pool.warm();
    for (let i = 0; i < 100 && pool.idleCount === 0; i++) await sleep(10);
    expect(pool.idleCount).toBe(1);
    const id = await backendId(pool);
    expect(await backendId(pool)).toBe(id);
    expect(pool.totalCount).toBe(1);
    pool.warm(); // the pool has a connection: nothing more to open
    expect(pool.totalCount).toBe(1);
  });

  it('close right after warm() waits for the connection and closes it', async () => {
    const pool = createPool(url);
    pool.warm();
    await pool.close();
    expect(pool.totalCount).toBe(0);
    await expect(pool.query('select 1')).rejects.toMatchObject({ code: 'POOL_CLOSED' });
  });

  it('runs a stream with the table it created', async () => {
    const table = `pool_sem_${suffix()}`;
    await using pool = createPool(url);
    await pool.query(`create table ${table} (id int)`);
    try {
      await pool.query(`insert into ${table} values (1), (2), (3)`);
      const ids: number[] = [];
      for await (const row of pool.stream(`select id from ${table} order by id`)) ids.push(Number(row.id));
      expect(ids).toEqual([1, 2, 3]);
    } finally {
      await pool.query(`drop table ${table}`);
    }
  });
});

describe.each(['sqlite', 'pglite'] as DialectName[])('%s pool', (dialect) => {
  let pool: Pool;
  // PGlite takes seconds to start (tens of seconds on a loaded machine): one instance for the file.
  beforeAll(async () => {
    pool = createPool(await dbs.url(dialect), { max: 8 });
    await pool.ping();
  }, 180_000);
  afterAll(() => pool?.close());

  it('serialises work on its one connection', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => pool.query(`select ${i} as i`)));
    expect(results.map((r) => Number(r.rows[0]?.i))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(pool.totalCount).toBe(1);
  });
});
