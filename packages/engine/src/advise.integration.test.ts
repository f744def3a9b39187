// advise through a session on the real servers: the advice with the indexes to drop (health's
// duplicate/redundant and unused checks), and createIndexes building the proven ones for real.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advise, createIndexes, type IndexBuildProgress } from './advise.js';
import { SafetyError } from './errors.js';
import { Session } from './session.js';

const suffix = Math.random().toString(36).slice(2, 8);

function open(connection: string): Promise<Session> {
  return Session.open({ connection, config: { connections: {} }, env: {}, history: false });
}

/** A database of this file's own on the server of `base`, dropped at the end. */
async function scratchDatabase(
  base: string,
  kind: 'postgres' | 'mysql',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const u = new URL(base);
  const name = `${decodeURIComponent(u.pathname.slice(1))}_adv_${suffix}`;
  const admin = await open(base);
  await admin.run(kind === 'postgres' ? `create database "${name}"` : `create database \`${name}\``, {
    confirmed: true,
  });
  await admin.close();
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = await open(base);
      await a.run(
        kind === 'postgres'
          ? `drop database if exists "${name}" with (force)`
          : `drop database if exists \`${name}\``,
        {
          confirmed: true,
        },
      );
      await a.close();
    },
  };
}

describe('advise on PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let session: Session;
  const sql = 'select * from orders where customer_id = $1';

  beforeAll(async () => {
    db = await scratchDatabase(await pgUrl(), 'postgres');
    session = await open(db.url);
    await session.run('create extension hypopg', { confirmed: true });
    await session.run(
      'create table orders (id serial primary key, customer_id int not null, status text not null, total int not null)',
    );
    await session.run(
      "insert into orders (customer_id, status, total) select g % 1000, (array['new','paid','shipped'])[g % 3 + 1], g % 500 from generate_series(1, 50000) g",
    );
    // orders_status is covered by orders_status_total: a duplicate.
    await session.run('create index orders_status on orders (status)', { confirmed: true });
    await session.run('create index orders_status_total on orders (status, total)', { confirmed: true });
    await session.run('analyze orders');
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    await db?.drop();
  });

  it('advises the missing index and lists the duplicate one to drop, with its size', async () => {
    const doc = await advise(session, { statements: [sql] });
    expect(doc.proven).toBe(true);
    expect(doc.indexes.map((i) => i.columns)).toEqual([['customer_id']]);
    expect(doc.indexes[0]?.costAfter).toBeLessThan((doc.indexes[0]?.costBefore ?? 0) / 2);
    const duplicate = doc.drop.find((d) => d.index === 'public.orders_status');
    expect(duplicate).toMatchObject({
      kind: 'duplicate',
      table: 'orders',
      sql: 'DROP INDEX CONCURRENTLY public.orders_status;',
    });
    expect(duplicate?.reason).toMatch(/orders_status_total/);
    expect(duplicate?.sizeBytes).toBeGreaterThan(0);
    // The session's connection went back clean: no hypothetical index on any connection of the pool.
    const { rows } = await session.pool.query('select count(*)::int as n from hypopg_list_indexes');
    expect(rows[0]?.n).toBe(0);
  });

  it('lists never-scanned indexes from the size asked, with their scan counts', async () => {
    const doc = await advise(session, { statements: [sql], unusedMinBytes: 0 });
    const unused = doc.drop.filter((d) => d.kind === 'unused');
    expect(unused.map((d) => d.index)).toContain('public.orders_status_total');
    expect(unused.every((d) => d.indexScans === 0)).toBe(true);
    // Listed once, as a duplicate, even though it is never scanned either.
    expect(doc.drop.filter((d) => d.index === 'public.orders_status')).toHaveLength(1);
  });

  it('builds the proven index only when confirmed, with progress, and the real plan then uses it', async () => {
    const doc = await advise(session, { statements: [sql] });
    await expect(createIndexes(session, doc)).rejects.toBeInstanceOf(SafetyError);
    const asked: string[][] = [];
    await expect(
      createIndexes(session, doc, {
        confirm: async (statements) => {
          asked.push([...statements]);
          return false;
        },
      }),
    ).rejects.toBeInstanceOf(SafetyError);
    expect(asked).toEqual([
      ['CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);'],
    ]);
    const before = await session.pool.query(
      "select count(*)::int as n from pg_indexes where indexname = 'orders_customer_id_idx'",
    );
    expect(before.rows[0]?.n).toBe(0);

    const progress: IndexBuildProgress[] = [];
    const created = await createIndexes(session, doc, {
      confirmed: true,
      onProgress: (p) => progress.push(p),
      progressIntervalMillis: 5,
    });
    expect(created).toMatchObject([{ name: 'orders_customer_id_idx', table: 'orders', schema: 'public' }]);
    expect(progress.at(-1)).toMatchObject({
      index: 'orders_customer_id_idx',
      phase: 'done',
      position: 1,
      count: 1,
    });
    const { rows } = await session.pool.query(
      'explain (format json) select * from orders where customer_id = 42',
    );
    expect(JSON.stringify(rows)).toContain('orders_customer_id_idx');
    const { rows: valid } = await session.pool.query(
      "select indisvalid from pg_index where indexrelid = 'orders_customer_id_idx'::regclass",
    );
    expect(valid[0]?.indisvalid).toBe(true);
    // Advised again, the statement is served.
    const again = await advise(session, { statements: [sql] });
    expect(again.indexes).toEqual([]);
  });
});

describe('advise on MariaDB and SQLite', () => {
  let db: { url: string; drop: () => Promise<void> };
  let mysql: Session;
  let sqlite: Session;
  let dir: string;

  beforeAll(async () => {
    db = await scratchDatabase(await mysqlUrl(), 'mysql');
    mysql = await open(db.url);
    await mysql.run(
      'create table orders (id int auto_increment primary key, customer_id int not null, status varchar(10) not null, key o_status (status), key o_status_id (status, customer_id))',
    );
    await mysql.run("insert into orders (customer_id, status) select seq % 1000, 'paid' from seq_1_to_5000");
    dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-advise-'));
    sqlite = await open(`sqlite://${path.join(dir, 'a.db')}`);
    await sqlite.run('create table orders (id integer primary key, customer_id int not null)');
  }, 60_000);

  afterAll(async () => {
    await mysql?.close();
    await sqlite?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives unproven candidates and the redundant index to drop on MariaDB', async () => {
    const doc = await advise(mysql, { statements: ['select * from orders where customer_id = 7'] });
    expect(doc.proven).toBe(false);
    expect(doc.indexes.map((i) => [i.columns, i.proven])).toEqual([[['customer_id'], false]]);
    expect(doc.drop).toEqual([
      expect.objectContaining({ index: 'o_status', kind: 'duplicate', table: 'orders' }),
    ]);
    // Nothing proven: nothing to build, and no confirmation asked for.
    expect(await createIndexes(mysql, doc)).toEqual([]);
  });

  it('gives unproven candidates on SQLite and nothing to drop', async () => {
    const doc = await advise(sqlite, { statements: ['select * from orders where customer_id = ?'] });
    expect(doc.indexes.map((i) => i.columns)).toEqual([['customer_id']]);
    expect(doc.indexes[0]?.proven).toBe(false);
    expect(doc.drop).toEqual([]);
  });

  it('refuses --top where there is no pg_stat_statements', async () => {
    await expect(advise(sqlite, {})).rejects.toMatchObject({ code: 'ADVISE_TOP_UNSUPPORTED' });
  });
});
