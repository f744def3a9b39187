// dexter's method on the real PostgreSQL server with HypoPG: a database of the file's own, tables of
// 50,000 rows, statements with and without a missing index, and the workload read from
// pg_stat_statements. Each claim is checked against the planner itself, not against advise's figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseIndexes } from './advise-indexes.js';
import { AdviseError } from './errors.js';
import { type PgScratch, pgScratch } from './test-support/scratch-databases.js';
import type { AdviceReport } from './types.js';

let db: PgScratch;

/** The real plan's total cost (and the indexes it uses), on a session of its own. */
async function realPlan(sql: string, params: unknown[] = []): Promise<{ cost: number; text: string }> {
  const other = await db.connect();
  try {
    const { rows } = await other.query(`explain (format json) ${sql}`, params);
    const plan = rows[0]['QUERY PLAN'][0].Plan;
    return { cost: plan['Total Cost'], text: JSON.stringify(plan) };
  } finally {
    await other.end();
  }
}

/** The cost with only these hypothetical indexes, on the test's session (reset afterwards). */
async function hypotheticalCost(sql: string, indexes: string[], params: string): Promise<number> {
  await db.client.query('select hypopg_reset()');
  for (const ddl of indexes) await db.client.query('select * from hypopg_create_index($1)', [ddl]);
  await db.client.query(`prepare hypo_probe as ${sql}`);
  await db.client.query('begin');
  await db.client.query("set local plan_cache_mode = 'force_generic_plan'");
  const { rows } = await db.client.query(`explain (format json) execute hypo_probe(${params})`);
  await db.client.query('rollback');
  await db.client.query('deallocate hypo_probe');
  await db.client.query('select hypopg_reset()');
  return rows[0]['QUERY PLAN'][0].Plan['Total Cost'];
}

async function hypotheticalLeft(): Promise<number> {
  const { rows } = await db.client.query('select count(*)::int as n from hypopg_list_indexes');
  return rows[0].n;
}

beforeAll(async () => {
  db = await pgScratch();
  const q = (sql: string) => db.client.query(sql);
  await q('create extension hypopg');
  await q('create extension pg_stat_statements');
  // orders: customer_id has 1,000 values (50 rows each) and no index.
  await q(`create table orders (id serial primary key, customer_id int not null, status text not null,
             total numeric not null, note text, created_at timestamptz not null, meta jsonb)`);
  await q(`insert into orders (customer_id, status, total, note, created_at, meta)
           select g % 1000, (array['new','paid','shipped','returned','lost'])[g % 5 + 1], g % 977, 'note ' || g,
                  timestamptz '2024-01-01' + g * interval '1 minute', jsonb_build_object('g', g)
             from generate_series(1, 50000) g`);
  // accounts: well indexed.
  await q('create table accounts (id serial primary key, email text not null, name text not null)');
  await q(
    `insert into accounts (email, name) select 'user' || g || '@example.com', 'name ' || g from generate_series(1, 50000) g`,
  );
  await q('create index accounts_email on accounts (email)');
  // events: kind and day have 100 values each, independent: one of them narrows to 500 rows, both to 5.
  await q('create table events (id serial primary key, kind int not null, day int not null, payload text)');
  await q(
    `insert into events (kind, day, payload) select g % 100, (g / 100) % 100, repeat('x', 40) from generate_series(1, 50000) g`,
  );
  // refs: ref is nearly unique, flag has two values: the second column adds nothing.
  await q('create table refs (id serial primary key, ref int not null, flag bool not null, payload text)');
  await q(
    `insert into refs (ref, flag, payload) select g, g % 2 = 0, repeat('y', 40) from generate_series(1, 50000) g`,
  );
  await q('analyze');
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('adviseIndexes on PostgreSQL with HypoPG', () => {
  it('names the missing index, proves that it halves the cost, and leaves no hypothetical index behind', async () => {
    const sql = 'select * from orders where customer_id = $1';
    const report = await adviseIndexes(db.run, 'postgres', { statements: [sql] });
    expect(report.proven).toBe(true);
    expect(report.hypopg.state).toBe('ready');
    expect(report.indexes).toHaveLength(1);
    const [advice] = report.indexes;
    expect(advice).toMatchObject({
      table: 'orders',
      schema: 'public',
      columns: ['customer_id'],
      proven: true,
      statements: [sql],
      sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);',
    });
    expect(advice?.costAfter).toBeLessThan((advice?.costBefore ?? 0) / 2);
    // The cost before is the real planner's (the literal's plan matches the generic one for an equality).
    const real = await realPlan('select * from orders where customer_id = 42');
    expect(advice?.costBefore).toBeCloseTo(real.cost, 0);
    expect(advice?.sizeBytes).toBeGreaterThan(100_000);
    expect(report.statements[0]).toMatchObject({ status: 'improved', indexes: ['orders_customer_id_idx'] });
    expect(await hypotheticalLeft()).toBe(0);
    // Nothing real was created, and the session is out of the transaction.
    const { rows } = await db.client.query(
      "select count(*)::int as n from pg_indexes where tablename = 'orders'",
    );
    expect(rows[0].n).toBe(1);
    const { rows: tx } = await db.client.query('select now() = statement_timestamp() as fresh');
    expect(tx[0].fresh).toBe(true);
  });

  it('gives no advice on a table that is already well indexed', async () => {
    const report = await adviseIndexes(db.run, 'postgres', {
      statements: [
        'select * from accounts where email = $1',
        "select id from accounts where email = 'user7@example.com'",
      ],
    });
    expect(report.indexes).toEqual([]);
    expect(report.statements.map((s) => s.status)).toEqual(['cheap', 'cheap']);
  });

  it('advises a two-column index only when it beats the best one-column index by half again', async () => {
    const both = 'select * from events where kind = $1 and day = $2';
    const report = await adviseIndexes(db.run, 'postgres', { statements: [both] });
    expect(report.indexes).toHaveLength(1);
    const advice = report.indexes[0];
    expect(advice?.columns).toHaveLength(2);
    expect([...(advice?.columns ?? [])].sort()).toEqual(['day', 'kind']);
    // Checked against the planner: the best one-column index, and the pair advised.
    const one = Math.min(
      await hypotheticalCost(both, ['create index on events (kind)'], 'null, null'),
      await hypotheticalCost(both, ['create index on events (day)'], 'null, null'),
    );
    const two = await hypotheticalCost(
      both,
      [`create index on events (${advice?.columns.join(', ')})`],
      'null, null',
    );
    expect(two).toBeLessThanOrEqual(one / 2);
    expect(advice?.costAfter).toBeCloseTo(two, 1);

    // A nearly unique first column: the second one adds too little, so one column is advised.
    const narrow = await adviseIndexes(db.run, 'postgres', {
      statements: ['select * from refs where ref = $1 and flag = $2'],
    });
    expect(narrow.indexes.map((i) => i.columns)).toEqual([['ref']]);
    expect(await hypotheticalLeft()).toBe(0);
  });

  it('prefers one index that serves several statements', async () => {
    const report = await adviseIndexes(db.run, 'postgres', {
      statements: [
        'select * from events where kind = $1',
        'select * from events where kind = $1 and day = $2',
        'select * from orders where customer_id = $1',
        'select * from orders where customer_id = $1 order by created_at limit 10',
      ],
    });
    const events = report.indexes.filter((i) => i.table === 'events');
    // (kind, day) serves the statement on kind alone as well: no separate index on kind.
    expect(events).toHaveLength(1);
    expect(events[0]?.columns).toEqual(['kind', 'day']);
    expect(events[0]?.statements).toHaveLength(2);
    expect(events[0]?.statementCosts.every((c) => (c.costAfter ?? 0) <= (c.costBefore ?? 0) / 2)).toBe(true);
    expect(report.indexes.filter((i) => i.table === 'orders').length).toBeGreaterThanOrEqual(1);
  });

  it('skips columns a btree cannot serve and statements an index cannot help, with the reason', async () => {
    const report = await adviseIndexes(db.run, 'postgres', {
      statements: [
        'select * from orders where meta = \'{"g": 5}\'::jsonb',
        'create table nope (a int)',
        'select * from no_such_table where a = 1',
        'select 1; select 2',
      ],
    });
    expect(report.indexes).toEqual([]);
    expect(report.statements.map((s) => s.status)).toEqual(['no-gain', 'skipped', 'skipped', 'skipped']);
    expect(report.statements[0]?.reason).toMatch(/btree/);
    expect(report.statements[1]?.reason).toMatch(/SELECT, INSERT, UPDATE and DELETE/);
    expect(report.statements[3]?.reason).toMatch(/one statement at a time/);
  });

  it('reads the top statements of pg_stat_statements of this database, with the filters', async () => {
    await db.client.query('select pg_stat_statements_reset()');
    const other = await db.connect();
    for (let i = 0; i < 30; i++) await other.query('select count(*) from orders where customer_id = $1', [i]);
    for (let i = 0; i < 3; i++)
      await other.query('select * from accounts where email = $1', [`user${i}@example.com`]);
    await other.end();
    const report = await adviseIndexes(db.run, 'postgres', { top: 5 });
    expect(report.source).toBe('pg_stat_statements');
    const statement = report.statements.find((s) => /from orders where customer_id = \$1/.test(s.sql));
    expect(statement).toMatchObject({ status: 'improved', calls: 30 });
    expect(report.indexes.map((i) => `${i.table}(${i.columns.join(',')})`)).toEqual(['orders(customer_id)']);
    // advise's own catalog queries are never in the workload.
    expect(report.statements.some((s) => s.sql.includes('aishell advise'))).toBe(false);

    const filtered = await adviseIndexes(db.run, 'postgres', { top: 5, minCalls: 10 });
    expect(filtered.statements.every((s) => (s.calls ?? 0) >= 10)).toBe(true);
    expect(filtered.statements.some((s) => s.sql.includes('accounts'))).toBe(false);
    const slow = await adviseIndexes(db.run, 'postgres', { top: 5, minMeanMs: 60_000 });
    expect(slow.statements).toEqual([]);
    expect(slow.notes.join(' ')).toMatch(/no statement/);
    expect(await hypotheticalLeft()).toBe(0);
  });

  it('refuses bad options with ADVISE_BAD_OPTION', async () => {
    await expect(adviseIndexes(db.run, 'postgres', { top: 0 })).rejects.toMatchObject({
      code: 'ADVISE_BAD_OPTION',
    });
    await expect(adviseIndexes(db.run, 'postgres', { minSavings: 1.5 })).rejects.toBeInstanceOf(AdviseError);
    await expect(adviseIndexes(db.run, 'postgres', { statements: ['  '] })).rejects.toMatchObject({
      code: 'ADVISE_NO_STATEMENTS',
    });
  });

  it('stops with ADVISE_ABORTED and still resets the hypothetical indexes', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run: typeof db.run = async (sql, params) => {
      // Abort once the hypothetical indexes exist.
      if (/hypopg_create_index/.test(sql) && ++calls === 1) queueMicrotask(() => controller.abort());
      return db.run(sql, params);
    };
    await expect(
      adviseIndexes(run, 'postgres', {
        statements: [
          'select * from orders where customer_id = $1',
          'select * from events where kind = $1 and day = $2',
        ],
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'ADVISE_ABORTED' });
    expect(await hypotheticalLeft()).toBe(0);
  });
});

describe('adviseIndexes on PostgreSQL without HypoPG', () => {
  let bare: PgScratch;
  let report: AdviceReport;

  beforeAll(async () => {
    bare = await pgScratch();
    await bare.client.query(
      'create table orders (id serial primary key, customer_id int not null, total int)',
    );
    await bare.client.query(
      'insert into orders (customer_id, total) select g % 1000, g from generate_series(1, 50000) g',
    );
    await bare.client.query('analyze orders');
    report = await adviseIndexes(bare.run, 'postgres', {
      statements: ['select * from orders where customer_id = 42', 'select * from orders where id = 42'],
    });
  }, 60_000);

  afterAll(async () => {
    await bare?.drop();
  });

  it('falls back to unproven candidates from the plan and says how to install HypoPG', () => {
    expect(report.proven).toBe(false);
    expect(report.hypopg).toMatchObject({ state: 'not-created' });
    expect(report.hypopg.hint).toMatch(/CREATE EXTENSION hypopg/);
    expect(report.notes.join(' ')).toMatch(/CREATE EXTENSION hypopg/);
    expect(report.indexes).toHaveLength(1);
    expect(report.indexes[0]).toMatchObject({
      table: 'orders',
      columns: ['customer_id'],
      proven: false,
      costAfter: null,
      sizeBytes: null,
    });
    expect(report.indexes[0]?.costBefore).toBeGreaterThan(100);
    expect(report.indexes[0]?.reason).toMatch(/sequential scan of orders filters on customer_id/);
    expect(report.statements.map((s) => s.status)).toEqual(['unproven', 'cheap']);
  });
});
