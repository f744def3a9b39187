import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_DEMO_SIZES,
  DEMO_ROWS_PER_STATEMENT,
  DEMO_SEED,
  type DemoData,
  demoDataStatements,
  generateDemoData,
} from './demo-data.js';
import { DemoOptionsError } from './demo-errors.js';

const small = { customers: 60, orders: 400, reviews: 50, supportTickets: 20 };

function sha256(statements: readonly string[]): string {
  const hash = createHash('sha256');
  for (const sql of statements) hash.update(sql).update('\0');
  return hash.digest('hex');
}

describe('demoDataStatements', () => {
  /** The default demo, generated once for the tests that only read it. */
  let demo: DemoData;
  let statements: string[];

  beforeAll(async () => {
    demo = await generateDemoData();
    statements = demo.statements.map((s) => s.sql);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('generates byte-identical statements for the same seed', async () => {
    const again = await demoDataStatements({ seed: DEMO_SEED });
    expect(sha256(again)).toBe(sha256(statements));
  });

  it('still generates the demo data documented in docs/demo.md', async () => {
    // A change here changes every demo database created from now on: if it is intended, update
    // the hash and the figures in docs/demo.md.
    expect(sha256(statements)).toBe('a6be0c43ed5119e2b6727f35a446d1587580ede63be4b106e13408693839e977');
  });

  it('generates different data for another seed', async () => {
    const base = statements;
    const other = await demoDataStatements({ seed: DEMO_SEED + 1 });
    expect(sha256(other)).not.toBe(sha256(base));
    // The fixed catalog stays the same; the people and orders change.
    expect(other[0]).toBe(base[0]);
    const customers = (list: readonly string[]) => list.find((s) => s.startsWith('INSERT INTO customers'));
    expect(customers(other)).not.toBe(customers(base));
  });

  it('does not depend on the clock or the time zone', async () => {
    const before = sha256(await demoDataStatements({ sizes: small }));
    const tz = process.env.TZ;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-02-03T04:05:06Z'));
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      expect(new Date().getUTCFullYear()).toBe(2031);
      expect(sha256(await demoDataStatements({ sizes: small }))).toBe(before);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('puts at most DEMO_ROWS_PER_STATEMENT rows in one INSERT', async () => {
    const inserts = demo.statements.filter((s) => s.table !== null);
    for (const { sql } of inserts) {
      const rows = sql.split('\n').length - 1;
      expect(rows).toBeGreaterThan(0);
      expect(rows).toBeLessThanOrEqual(DEMO_ROWS_PER_STATEMENT);
    }
    const orderStatements = inserts.filter((s) => s.table === 'orders');
    expect(orderStatements).toHaveLength(Math.ceil(DEFAULT_DEMO_SIZES.orders / DEMO_ROWS_PER_STATEMENT));
  });

  it('generates the requested number of rows', async () => {
    const data = await generateDemoData({ sizes: small });
    expect(data.rows).toMatchObject({
      customers: 60,
      orders: 400,
      reviews: 50,
      support_tickets: 20,
      employees: 25,
      categories: 10,
    });
    expect(data.rows.order_items).toBeGreaterThanOrEqual(400);
    expect(data.rows.order_items).toBeLessThanOrEqual(2000);
  });

  it('ends by moving every id sequence past the generated ids', async () => {
    const smallDemo = await demoDataStatements({ sizes: small });
    expect(smallDemo.at(-1)).toBe("SELECT setval(pg_get_serial_sequence('support_tickets', 'id'), 20, true)");
    expect(smallDemo).toContain("SELECT setval(pg_get_serial_sequence('customers', 'id'), 60, true)");
  });

  it('escapes quotes in text values', async () => {
    const products = statements.find((s) => s.startsWith('INSERT INTO products')) ?? '';
    expect(products).toContain("'Chef''s Knife 8-inch'");
  });

  it('rejects sizes that are negative or not whole numbers', async () => {
    await expect(demoDataStatements({ sizes: { orders: -1 } })).rejects.toMatchObject({
      code: 'DEMO_OPTIONS',
      option: 'sizes.orders',
    });
    await expect(demoDataStatements({ sizes: { reviews: 2.5 } })).rejects.toBeInstanceOf(DemoOptionsError);
    await expect(demoDataStatements({ seed: Number.NaN })).rejects.toMatchObject({ option: 'seed' });
  });

  it('refuses orders without customers to place them', async () => {
    await expect(demoDataStatements({ sizes: { customers: 0 } })).rejects.toMatchObject({
      code: 'DEMO_OPTIONS',
      option: 'sizes.customers',
    });
    const empty = await generateDemoData({
      sizes: { customers: 0, orders: 0, reviews: 0, supportTickets: 0 },
    });
    expect(empty.rows.customers).toBe(0);
    expect(empty.statements.some((s) => s.table === 'customers')).toBe(false);
  });
});
