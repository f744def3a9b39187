import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

// The demo shop in a fresh data folder (created by the first command), and a small SQLite file.
const env = tempHome();
const sqlite = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-ask-')), 'shop.db')}`;
const long = { env, timeoutMs: 300_000 };

beforeAll(async () => {
  const demo = await runCli(['demo', '--json'], long);
  expect(demo.code, demo.stderr).toBe(0);
  for (const sql of [
    'create table items (id integer primary key, name text not null, colour text not null, price real not null)',
    "insert into items values (1, 'apple', 'red', 1.5), (2, 'pear', 'green', 2.25), (3, 'cherry', 'red', 4.0)",
  ]) {
    const r = await runCli(['query', sql, '-c', sqlite, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
  }
}, 320_000);

describe('aishell ask', () => {
  it('answers "show me all users" on the demo with the JSON of PRODUCT.md', async () => {
    const r = await runCli(['ask', 'show me all users', '--json'], long);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const count = JSON.parse(
      (await runCli(['query', 'select count(*) as n from customers', '--json'], long)).stdout,
    );
    expect(doc).toMatchObject({
      question: 'show me all users',
      sql: 'SELECT * FROM "customers"',
      params: [],
      engine: 'offline',
      tables: ['customers'],
    });
    expect(typeof doc.explanation).toBe('string');
    expect(doc.confidence).toBeGreaterThanOrEqual(0.5);
    expect(doc.result).toMatchObject({ command: 'SELECT', rowCount: count.rows[0].n, cached: false });
  }, 120_000);

  it('shows SQL with a bound parameter and no result on --dry-run', async () => {
    const r = await runCli(['ask', 'find customers who spent over $1000', '--dry-run', '--json'], long);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.params).toEqual([1000]);
    expect(doc.sql).toContain('$1');
    expect(doc.sql).not.toContain('1000');
    expect(doc.tables).toEqual(['customers', 'orders']);
    expect(doc).not.toHaveProperty('result');
  }, 120_000);

  it('refuses "delete all customers" with exit 4, NL_NO_TRANSLATION, a hint and suggestions', async () => {
    const r = await runCli(['ask', 'delete all customers', '--json'], long);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.code).toBe('NL_NO_TRANSLATION');
    expect(doc.error.hint).toMatch(/SQL/);
    expect(doc.error.suggestions.length).toBeGreaterThan(0);
  }, 120_000);

  it('writes ? placeholders for SQLite and returns the matching rows', async () => {
    const r = await runCli(['ask', 'red items over 2', '-c', sqlite, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.sql).toBe('SELECT * FROM "items" WHERE "colour" = ? AND "price" > ?');
    expect(doc.params).toEqual(['red', 2]);
    expect(doc.result.rows).toEqual([{ id: 3, name: 'cherry', colour: 'red', price: 4 }]);
  });

  it('prints the SQL and its explanation before the rows with --explain', async () => {
    const r = await runCli(['ask', 'items with a price over 2', '-c', sqlite, '--explain'], { env });
    expect(r.code, r.stderr).toBe(0);
    const sqlAt = r.stdout.indexOf('SELECT * FROM "items" WHERE "price" > ?');
    expect(sqlAt).toBe(0);
    expect(r.stdout).toContain('-- params: [2]');
    expect(r.stdout.indexOf('cherry')).toBeGreaterThan(sqlAt);
  });

  it('rejects a provider that is not available with a usage error', async () => {
    const r = await runCli(['ask', 'items', '-c', sqlite, '--provider', 'openai', '--json'], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('ENGINE_USAGE');
  });
});
