import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoSeedError } from './demo-errors.js';
import { DEMO_TABLES } from './demo-schema.js';
import { type DemoSummary, seedDemo } from './seed-demo.js';

const small = { customers: 40, orders: 200, reviews: 20, supportTickets: 10 };

async function scalar(db: PGlite, sql: string): Promise<number> {
  const { rows } = await db.query<{ n: number | string }>(sql);
  return Number(rows[0]?.n);
}

describe('seedDemo on PGlite', () => {
  let db: PGlite;
  let summary: DemoSummary;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    db = new PGlite();
    summary = await seedDemo((sql) => db.exec(sql), {
      onProgress: (done, total) => progress.push([done, total]),
    });
  }, 180_000);

  afterAll(async () => {
    await db?.close();
  });

  it('fills every table with at least the promised number of rows', async () => {
    const counts: Record<string, number> = {};
    for (const table of DEMO_TABLES)
      counts[table.name] = await scalar(db, `select count(*) as n from ${table.name}`);
    expect(counts).toEqual(summary.rows);
    expect(counts.customers).toBeGreaterThanOrEqual(1000);
    expect(counts.orders).toBeGreaterThanOrEqual(12_000);
    expect(counts.categories).toBeGreaterThanOrEqual(10);
    expect(counts.products).toBeGreaterThanOrEqual(80);
    expect(counts.order_items).toBeGreaterThan(counts.orders ?? 0);
    expect(counts.reviews).toBeGreaterThanOrEqual(2000);
    expect(counts.employees).toBe(25);
    expect(counts.support_tickets).toBeGreaterThanOrEqual(300);
  });

  it('spreads orders over 2021 to 2026 with growth and a December peak', async () => {
    const { rows } = await db.query<{ year: number; n: number }>(
      'select extract(year from order_date)::int as year, count(*)::int as n from orders group by 1 order by 1',
    );
    expect(rows.map((r) => r.year)).toEqual([2021, 2022, 2023, 2024, 2025, 2026]);
    const byYear = new Map(rows.map((r) => [r.year, r.n]));
    expect(byYear.get(2025)).toBeGreaterThan(2 * (byYear.get(2021) ?? 0));
    const december = await scalar(
      db,
      "select count(*) as n from orders where order_date >= '2025-12-01' and order_date < '2026-01-01'",
    );
    const september = await scalar(
      db,
      "select count(*) as n from orders where order_date >= '2025-09-01' and order_date < '2025-10-01'",
    );
    expect(december).toBeGreaterThan(1.3 * september);
    const latest = await scalar(db, "select count(*) as n from orders where order_date >= '2026-07-01'");
    expect(latest).toBe(0);
  });

  it('makes every order total the sum of its items', async () => {
    const wrong = await scalar(
      db,
      `select count(*) as n from orders o
        where o.total <> (select sum(i.quantity * i.unit_price) from order_items i where i.order_id = o.id)`,
    );
    expect(wrong).toBe(0);
    const perOrder = await db.query<{ min: number; max: number }>(
      'select min(n)::int as min, max(n)::int as max from (select count(*) as n from order_items group by order_id) x',
    );
    expect(perOrder.rows[0]).toEqual({ min: 1, max: 5 });
  });

  it('pays for every paid, shipped, delivered or refunded order and for no other', async () => {
    const unpaid = await scalar(
      db,
      `select count(*) as n from orders o where o.status in ('paid', 'shipped', 'delivered', 'refunded')
         and not exists (select 1 from payments p where p.order_id = o.id and p.amount = o.total)`,
    );
    expect(unpaid).toBe(0);
    const strays = await scalar(
      db,
      `select count(*) as n from payments p join orders o on o.id = p.order_id
        where o.status in ('pending', 'cancelled') or (p.status = 'refunded') <> (o.status = 'refunded')`,
    );
    expect(strays).toBe(0);
    const methods = await scalar(db, 'select count(distinct method) as n from payments');
    expect(methods).toBe(5);
  });

  it('has many customers without orders', async () => {
    const n = await scalar(
      db,
      'select count(*) as n from customers c where not exists (select 1 from orders o where o.customer_id = c.id)',
    );
    expect(n).toBeGreaterThanOrEqual(50);
    expect(n).toBeLessThan(summary.rows.customers / 2);
  });

  it('has customers who spent over $1000 and many who did not', async () => {
    const big = await scalar(
      db,
      `select count(*) as n from (select customer_id from orders where status in ('paid', 'shipped', 'delivered')
         group by customer_id having sum(total) > 1000) x`,
    );
    expect(big).toBeGreaterThanOrEqual(100);
    expect(summary.rows.customers - big).toBeGreaterThanOrEqual(300);
  });

  it('places customers in real cities around the world, Paris among them', async () => {
    const { rows } = await db.query<{ city: string }>('select distinct city from customers');
    const cities = rows.map((r) => r.city);
    expect(cities).toEqual(expect.arrayContaining(['Paris', 'London', 'Berlin', 'New York', 'Tokyo']));
    expect(cities.length).toBeGreaterThanOrEqual(50);
    expect(await scalar(db, 'select count(distinct country) as n from customers')).toBeGreaterThanOrEqual(15);
  });

  it('keeps events in a believable order', async () => {
    const beforeSignup = await scalar(
      db,
      'select count(*) as n from orders o join customers c on c.id = o.customer_id where o.order_date::date < c.signup_date',
    );
    expect(beforeSignup).toBe(0);
    const beforeProduct = await scalar(
      db,
      `select count(*) as n from order_items i join orders o on o.id = i.order_id join products p on p.id = i.product_id
        where o.order_date < p.created_at`,
    );
    expect(beforeProduct).toBe(0);
    const reviewedUnreceived = await scalar(
      db,
      `select count(*) as n from reviews r where not exists (
         select 1 from orders o join order_items i on i.order_id = o.id
          where o.customer_id = r.customer_id and i.product_id = r.product_id and o.delivered_at < r.created_at)`,
    );
    expect(reviewedUnreceived).toBe(0);
    const ticketOnOthersOrder = await scalar(
      db,
      'select count(*) as n from support_tickets t join orders o on o.id = t.order_id where o.customer_id <> t.customer_id',
    );
    expect(ticketOnOthersOrder).toBe(0);
  });

  it('gives the staff one chief that everyone reports to', async () => {
    const reached = await scalar(
      db,
      `with recursive chain as (select id from employees where manager_id is null
        union all select e.id from employees e join chain c on e.manager_id = c.id) select count(*) as n from chain`,
    );
    expect(reached).toBe(25);
    expect(await scalar(db, 'select count(*) as n from employees where manager_id is null')).toBe(1);
  });

  it('rates products from 1 to 5 stars with every rating present', async () => {
    const { rows } = await db.query<{ rating: number }>('select distinct rating from reviews order by 1');
    expect(rows.map((r) => r.rating)).toEqual([1, 2, 3, 4, 5]);
  });

  it('lets new rows take the next free id', async () => {
    await db.exec('begin');
    try {
      const { rows } = await db.query<{ id: number }>(
        "insert into categories (name, description) values ('Pet Supplies', 'food and toys for pets') returning id",
      );
      expect(rows[0]?.id).toBe(summary.rows.categories + 1);
    } finally {
      await db.exec('rollback');
    }
  });

  it('analyzes the tables at the end', async () => {
    expect(await scalar(db, "select reltuples as n from pg_class where relname = 'orders'")).toBe(
      summary.rows.orders,
    );
  });

  it('reports progress from 0 to the number of statements it ran', () => {
    expect(progress[0]).toEqual([0, summary.statements]);
    expect(progress.at(-1)).toEqual([summary.statements, summary.statements]);
    expect(progress.map(([done]) => done)).toEqual(
      Array.from({ length: summary.statements + 1 }, (_, i) => i),
    );
  });
});

describe('seedDemo when things go wrong', () => {
  let db: PGlite;
  let schemas = 0;

  /** Run each case in a fresh schema of one PGlite instance (the demo's names are unqualified). */
  async function freshSchema(): Promise<(sql: string) => Promise<unknown>> {
    const name = `case_${++schemas}`;
    await db.exec(`create schema ${name}; set search_path to ${name}`);
    return (sql) => db.exec(sql);
  }

  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it('names the failed step and keeps the SQLSTATE when a statement fails', async () => {
    const exec = await freshSchema();
    await exec('create table orders (id int)');
    const error = await seedDemo(exec, { sizes: small }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoSeedError);
    expect(error).toMatchObject({ code: 'DEMO_SEED', sqlState: '42P07', step: 'CREATE TABLE orders' });
    expect((error as DemoSeedError).cause).toBeInstanceOf(Error);
  });

  it('validates the foreign keys against the data it inserted', async () => {
    const exec = await freshSchema();
    let injected = false;
    const error = await seedDemo(
      async (sql) => {
        // An orphan line slipped in after the data: adding the foreign key must refuse it.
        if (sql.startsWith('ALTER TABLE') && !injected) {
          injected = true;
          await exec(
            'insert into order_items (id, order_id, product_id, quantity, unit_price) values (999999, 999999, 1, 1, 1)',
          );
        }
        return exec(sql);
      },
      { sizes: small },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DEMO_SEED', sqlState: '23503', step: 'ALTER TABLE order_items' });
  });

  it('stops between statements when the signal aborts', async () => {
    const exec = await freshSchema();
    const controller = new AbortController();
    const ran: number[] = [];
    const error = await seedDemo(exec, {
      sizes: small,
      signal: controller.signal,
      onProgress: (done) => {
        ran.push(done);
        if (done === 3) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(ran.at(-1)).toBe(3);
    // Three statements: CREATE TABLE categories and its first two comments; nothing after them.
    const { rows } = await db.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = current_schema()',
    );
    expect(rows.map((r) => r.table_name)).toEqual(['categories']);
  });

  it('does nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('not now'));
    const statements: string[] = [];
    await expect(
      seedDemo(async (sql) => statements.push(sql), { signal: controller.signal }),
    ).rejects.toThrow('not now');
    expect(statements).toEqual([]);
  });
});

describe('seedDemo into a PGlite data directory', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'aishell-demo-test-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves a database that reopens with its data and comments', async () => {
    const first = new PGlite(dir);
    const summary = await seedDemo((sql) => first.exec(sql), { sizes: small });
    await first.close();
    const again = new PGlite(dir);
    try {
      expect(await scalar(again, 'select count(*) as n from orders')).toBe(summary.rows.orders);
      expect(
        await scalar(again, "select length(obj_description('orders'::regclass, 'pg_class')) as n"),
      ).toBeGreaterThan(10);
    } finally {
      await again.close();
    }
  }, 180_000);
});
