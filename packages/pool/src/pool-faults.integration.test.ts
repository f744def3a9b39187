import net from 'node:net';
import { inspect } from 'node:util';
import { SQL, suffix, TcpProxy, TestDatabases } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectError,
  ConnectionLostError,
  createPool,
  type Pool,
  type PoolError,
  QueryError,
  StatementTimeoutError,
} from './index.js';

const dbs = new TestDatabases();
afterAll(() => dbs.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Where a pool of this test file connects: its own user (MariaDB) or application name (pg). */
interface Target {
  url: string;
  admin: Pool;
  /** Kills every server connection of the pool under test, from the admin pool. */
  killAll(): Promise<number>;
  /** Statements of the pool under test still running on the server. */
  running(fragment: string): Promise<number>;
  cleanup(): Promise<void>;
}

async function postgresTarget(): Promise<Target> {
  const app = `aishell_fault_${suffix()}`;
  const base = new URL(await dbs.url('postgres'));
  base.searchParams.set('application_name', app);
  const admin = createPool(await dbs.url('postgres'));
  return {
    url: base.toString(),
    admin,
    killAll: async () =>
      (
        await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
          [app],
        )
      ).rowCount,
    running: async (fragment) =>
      (
        await admin.query(
          "select pid from pg_stat_activity where application_name = $1 and state = 'active' and query like $2",
          [app, `%${fragment}%`],
        )
      ).rowCount,
    cleanup: () => admin.close(),
  };
}

async function mysqlTarget(): Promise<Target> {
  const user = `aishell_fault_${suffix()}`;
  const password = `pw-${suffix()}`;
  const adminUrl = await dbs.url('mysql');
  const admin = createPool(adminUrl);
  const db = new URL(adminUrl).pathname.slice(1);
  for (const host of ['%', 'localhost']) {
    await admin.query(`create user '${user}'@'${host}' identified by '${password}'`);
    await admin.query(`grant all on \`${db}\`.* to '${user}'@'${host}'`);
  }
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password;
  const ids = async (fragment?: string) => {
    const r = await admin.query(
      `select id from information_schema.processlist where user = ? ${fragment ? "and info like ? and command = 'Query'" : ''}`,
      fragment ? [user, `%${fragment}%`] : [user],
    );
    return r.rows.map((row) => Number(row.id));
  };
  return {
    url: url.toString(),
    admin,
    killAll: async () => {
      const all = await ids();
      for (const id of all) await admin.query(`kill ${id}`).catch(() => {});
      return all.length;
    },
    running: async (fragment) => (await ids(fragment)).length,
    cleanup: async () => {
      for (const host of ['%', 'localhost']) await admin.query(`drop user if exists '${user}'@'${host}'`);
      await admin.close();
    },
  };
}

describe.each([
  ['postgres', postgresTarget],
  ['mysql', mysqlTarget],
] as const)('%s faults', (dialect, makeTarget) => {
  const sql = SQL[dialect];
  let target: Target;

  beforeAll(async () => {
    target = await makeTarget();
  });
  afterAll(() => target?.cleanup());

  it('recovers when every server connection is killed mid-workload', async () => {
    await using pool = createPool(target.url, { max: 4 });
    const inFlight = Array.from({ length: 6 }, () => pool.query(sql.sleep(2)).catch((e: unknown) => e));
    await sleep(300);
    expect(await target.killAll()).toBeGreaterThanOrEqual(4);
    const outcomes = await Promise.all(inFlight);
    const failures = outcomes.filter((o) => o instanceof Error);
    expect(failures.length).toBeGreaterThanOrEqual(4);
    for (const f of failures) expect(f).toBeInstanceOf(ConnectionLostError);
    const later = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.query(`select ${i} as i`)));
    expect(later.map((r) => Number(r.rows[0]?.i))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(pool.totalCount).toBeLessThanOrEqual(4);
  });

  it('evicts idle connections the server killed and opens fresh ones', async () => {
    await using pool = createPool(target.url, { max: 3 });
    await Promise.all([
      pool.query(sql.sleep(0.05)),
      pool.query(sql.sleep(0.05)),
      pool.query(sql.sleep(0.05)),
    ]);
    expect(pool.idleCount).toBe(3);
    await target.killAll();
    await sleep(200);
    expect((await pool.query('select 7 as n')).rows[0]?.n).toBe(7);
  });

  it('cancels a statement on the server when its timeout passes', async () => {
    await using pool = createPool(target.url);
    const marker = `timeout_${suffix()}`;
    const started = Date.now();
    const err = await pool
      .query(`${sql.sleep(5)} as ${marker}`, undefined, { timeoutMillis: 300 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatementTimeoutError);
    expect((err as PoolError).code).toBe('POOL_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await target.running(marker)).toBe(0);
    expect((await pool.query('select 1 as one')).rows[0]?.one).toBe(1);
  });

  it('applies the pool statement timeout to every query', async () => {
    await using pool = createPool(target.url, { statementTimeoutMillis: 200 });
    await expect(pool.query(sql.sleep(3))).rejects.toMatchObject({ code: 'POOL_TIMEOUT' });
  });

  it('cancels the statement on the server when the AbortSignal fires', async () => {
    await using pool = createPool(target.url);
    const marker = `abort_${suffix()}`;
    const ac = new AbortController();
    const pending = pool
      .query(`${sql.sleep(5)} as ${marker}`, undefined, { signal: ac.signal })
      .catch((e) => e);
    await sleep(300);
    expect(await target.running(marker)).toBe(1);
    const started = Date.now();
    ac.abort();
    const err = (await pending) as PoolError;
    expect(err.code).toBe('POOL_ABORTED');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await target.running(marker)).toBe(0);
  });

  it('cancels a stream on the server when the AbortSignal fires between batches', async () => {
    await using pool = createPool(target.url);
    const ac = new AbortController();
    let seen = 0;
    const err = await (async () => {
      for await (const _row of pool.stream(sql.series(100_000), undefined, {
        signal: ac.signal,
        batchSize: 100,
      })) {
        if (++seen === 150) ac.abort();
      }
    })().catch((e: unknown) => e);
    expect((err as PoolError).code).toBe('POOL_ABORTED');
    expect(seen).toBeLessThan(300);
    expect(pool.totalCount).toBe(pool.idleCount);
  });

  it('reports POOL_CONNECT for a closed port within the connect timeout, without the password', async () => {
    const port = await closedPort();
    const url = new URL(target.url);
    url.host = `127.0.0.1:${port}`;
    url.password = 'closed-port-SECRET';
    await using pool = createPool(url.toString(), { connectTimeoutMillis: 2000 });
    const started = Date.now();
    const err = await pool.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as PoolError).code).toBe('POOL_CONNECT');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(inspect(err, { depth: 10 })).not.toContain('closed-port-SECRET');
  });

  it('a failed warm() hands its error to the caller that claimed it, connecting once', async () => {
    const port = await closedPort();
    let accepted = 0;
    const counting = net.createServer((s) => {
      accepted++;
      s.destroy();
    });
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = new URL(target.url);
      url.host = `127.0.0.1:${(counting.address() as net.AddressInfo).port}`;
      url.password = 'warm-SECRET';
      await using pool = createPool(url.toString(), { connectTimeoutMillis: 2000 });
      pool.warm();
      const err = await pool.query('select 1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectError);
      expect(inspect(err, { depth: 10 })).not.toContain('warm-SECRET');
      expect(accepted).toBe(1);
      expect(pool.totalCount).toBe(0);
      // Unclaimed, a failed warm-up is silent: the next caller connects anew and meets its own error.
      const closed = new URL(target.url);
      closed.host = `127.0.0.1:${port}`;
      await using other = createPool(closed.toString(), { connectTimeoutMillis: 2000 });
      other.warm();
      for (let i = 0; i < 100 && other.totalCount > 0; i++) await sleep(10);
      expect(other.totalCount).toBe(0);
      await expect(other.ping()).rejects.toMatchObject({ code: 'POOL_CONNECT' });
      await other.close(); // a failed warm-up leaves nothing that keeps close waiting
    } finally {
      await new Promise<void>((resolve) => counting.close(() => resolve()));
    }
  });

  it('a caller that gives up while claiming a warm connection leaves it to the pool', async () => {
    await using pool = createPool(target.url);
    pool.warm();
    const late = new AbortController();
    const claim = pool.query('select 1', [], { signal: late.signal });
    late.abort(new Error('gave up'));
    await expect(claim).rejects.toMatchObject({ code: 'POOL_ABORTED' });
    for (let i = 0; i < 100 && pool.idleCount === 0; i++) await sleep(10);
    expect(pool.idleCount).toBe(1);
    await expect(pool.query('select 2 as two')).resolves.toMatchObject({ rows: [{ two: 2 }] });
    expect(pool.totalCount).toBe(1);
  });

  it('reports POOL_CONNECT when the server never answers, once the connect timeout passes', async () => {
    const silent = net.createServer(() => {});
    const sockets: net.Socket[] = [];
    silent.on('connection', (s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = new URL(target.url);
      url.host = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
      await using pool = createPool(url.toString(), { connectTimeoutMillis: 300 });
      const started = Date.now();
      await expect(pool.ping()).rejects.toMatchObject({ code: 'POOL_CONNECT' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reconnects with backoff once the server comes back', async () => {
    const proxy = TcpProxy.forUrl(target.url);
    await proxy.start();
    await using pool = createPool(proxy.url(target.url), {
      reconnect: { retries: 8, initialDelayMillis: 50, maxDelayMillis: 400 },
    });
    try {
      await pool.query('select 1');
      await proxy.stop(); // the server goes away: every connection is cut, new ones are refused
      await sleep(50); // the pool hears of its cut connections
      expect(pool.totalCount).toBe(1);
      setTimeout(() => void proxy.start(), 500);
      const started = Date.now();
      const res = await pool.query('select 2 as two');
      expect(res.rows[0]?.two).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    } finally {
      await proxy.stop();
    }
  });

  it('gives up with POOL_CONNECT after the bounded retries', async () => {
    const proxy = TcpProxy.forUrl(target.url);
    await proxy.start();
    await using pool = createPool(proxy.url(target.url), {
      reconnect: { retries: 3, initialDelayMillis: 20, maxDelayMillis: 40 },
    });
    await pool.query('select 1');
    await proxy.stop();
    await sleep(50);
    const started = Date.now();
    await expect(pool.query('select 1')).rejects.toMatchObject({ code: 'POOL_CONNECT' });
    // 20 + 40 + 40 ms of backoff, not an endless loop
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports POOL_CONNECT for a database that does not exist', async () => {
    const url = new URL(target.url);
    url.pathname = `/no_such_db_${suffix()}`;
    await using pool = createPool(url.toString());
    const err = (await pool.ping().catch((e: unknown) => e)) as ConnectError;
    expect(err.code).toBe(dialect === 'mysql' ? 'POOL_AUTH' : 'POOL_CONNECT');
  });

  it('reports an unknown table as POOL_QUERY with the server message and SQLSTATE', async () => {
    await using pool = createPool(target.url);
    const err = (await pool.query('select * from missing_tbl_x').catch((e: unknown) => e)) as QueryError;
    expect(err).toBeInstanceOf(QueryError);
    expect(err.sqlState).toBe(dialect === 'mysql' ? '42S02' : '42P01');
    expect(err.message).toContain('missing_tbl_x');
    if (dialect === 'mysql') expect(err.errno).toBe(1146);
  });
});

describe('authentication', () => {
  it('reports a wrong MariaDB password as POOL_AUTH and the password appears nowhere', async () => {
    const target = await mysqlTarget();
    try {
      const url = new URL(target.url);
      url.password = 'wrong-SECRET-pw';
      await using pool = createPool(url.toString());
      const err = (await pool.ping().catch((e: unknown) => e)) as ConnectError;
      expect(err).toBeInstanceOf(ConnectError);
      expect(err.code).toBe('POOL_AUTH');
      expect(err.errno).toBe(1045);
      expect(err.sqlState).toBe('28000');
      for (const text of [err.message, String(err.stack), inspect(err, { depth: 10 }), JSON.stringify(err)]) {
        expect(text).not.toContain('wrong-SECRET-pw');
      }
    } finally {
      await target.cleanup();
    }
  });

  it('takes the MariaDB password from MYSQL_PWD', async () => {
    const target = await mysqlTarget();
    const saved = process.env.MYSQL_PWD;
    try {
      const url = new URL(target.url);
      process.env.MYSQL_PWD = decodeURIComponent(url.password);
      url.password = '';
      await using pool = createPool(url.toString());
      await expect(pool.ping()).resolves.toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.MYSQL_PWD;
      else process.env.MYSQL_PWD = saved;
      await target.cleanup();
    }
  });
});
