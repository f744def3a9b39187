// SQLite's conditions provoked on real files: an index that disagrees with its table, a file that is
// not a database at all, rows without their parent, and a file mostly free pages.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHealth } from './check-health.js';
import { healthExitCode } from './health-exit-code.js';
import { expectValidReport } from './test-support/report-shape.js';
import { type Runner, sqliteRunner } from './test-support/runners.js';
import type { HealthCheckResult } from './types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'aishell-health-'));
let files = 0;
const fresh = () => path.join(dir, `db-${++files}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(runner: Runner, name: string): Promise<HealthCheckResult> {
  const [result] = (await checkHealth(runner.run, 'sqlite', { only: [name] })).checks;
  if (!result) throw new Error(`no result for ${name}`);
  return result;
}

async function runFix(runner: Runner, fix: string | null): Promise<void> {
  expect(fix).toEqual(expect.any(String));
  for (const statement of String(fix).split(/;\s*/).filter(Boolean)) await runner.run(statement);
}

describe('checkHealth on SQLite', () => {
  it('finds nothing wrong with a healthy file', async () => {
    const db = sqliteRunner(fresh());
    db.db.exec('create table t (id integer primary key, v text); insert into t (v) values (1), (2)');
    const report = await checkHealth(db.run, 'sqlite');
    const checks = expectValidReport(report, 'sqlite');
    expect(report.server).toEqual({ flavor: 'sqlite', version: expect.stringMatching(/^3\.\d+/) });
    expect(Object.values(checks).map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    expect(healthExitCode(report)).toBe(0);
    await db.close();
  });

  it('reports an index that disagrees with its table as critical and clears after the REINDEX it names', async () => {
    const file = fresh();
    const setup = sqliteRunner(file);
    setup.db.exec('create table t (a integer, b text); create index t_a on t (a)');
    const insert = setup.db.prepare('insert into t values (?, ?)');
    for (let i = 0; i < 50; i++) insert.run(i, `b${i}`);
    // Rewrite the index's definition behind SQLite's back: its entries no longer match it.
    setup.db.unsafeMode(true);
    setup.db.pragma('writable_schema = ON');
    setup.db.prepare("update sqlite_schema set sql = 'CREATE INDEX t_a ON t (b)' where name = 't_a'").run();
    await setup.close();

    const db = sqliteRunner(file);
    const fired = await check(db, 'integrity');
    expect(fired.status).toBe('crit');
    expect(fired.value).toBeGreaterThanOrEqual(50);
    expect(fired.objects).toHaveLength(10);
    expect(fired.moreObjects).toBe((fired.value ?? 0) - 10);
    expect(fired.objects[0]?.message).toMatch(/missing from index t_a/);
    expect(fired.fix).toBe('REINDEX "t_a";');

    await runFix(db, fired.fix);
    expect(await check(db, 'integrity')).toMatchObject({ status: 'ok', value: 0 });
    await db.close();
  });

  it('reports a file that is not a database as critical without failing the other checks', async () => {
    const file = fresh();
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const db = sqliteRunner(file);
    const report = await checkHealth(db.run, 'sqlite');
    const checks = expectValidReport(report, 'sqlite');
    expect(checks.integrity).toMatchObject({ status: 'crit', fix: expect.stringMatching(/\.recover/) });
    expect(checks.integrity?.reason).toMatch(/cannot be read: file is not a database/);
    expect(checks.foreign_keys?.status).toBe('skipped');
    expect(checks.free_pages?.status).toBe('skipped');
    expect(healthExitCode(report)).toBe(9);
    await db.close();
  });

  it('reports rows without their parent and clears after deleting them as its fix says', async () => {
    const db = sqliteRunner(fresh());
    db.db.exec(`pragma foreign_keys = off;
      create table parent (id integer primary key);
      create table child (id integer primary key, parent_id integer references parent (id));
      insert into parent values (1);
      insert into child values (1, 1), (2, 7), (3, 8)`);
    const fired = await check(db, 'foreign_keys');
    expect(fired).toMatchObject({ status: 'crit', value: 2 });
    expect(fired.objects).toEqual([
      expect.objectContaining({
        table: 'child',
        columns: 'parent_id',
        parent: 'parent',
        parentColumns: 'id',
        violations: 2,
      }),
    ]);
    expect(fired.fix).toBe(
      `DELETE FROM "child" WHERE rowid IN (SELECT rowid FROM pragma_foreign_key_check('child') WHERE fkid = 0);`,
    );

    await runFix(db, fired.fix);
    expect(await check(db, 'foreign_keys')).toMatchObject({ status: 'ok', value: 0 });
    expect(db.db.prepare('select id from child').pluck().all()).toEqual([1]);
    await db.close();
  });

  it('reports a file mostly made of free pages and clears after VACUUM', async () => {
    const db = sqliteRunner(fresh());
    db.db.exec(`create table big (v blob);
      insert into big with recursive n(i) as (select 1 union all select i + 1 from n where i < 500)
      select randomblob(4000) from n`);
    db.db.exec('delete from big');
    const fired = await check(db, 'free_pages');
    expect(fired.status).toBe('warn');
    expect(fired.value).toBeGreaterThan(0.9);
    expect(fired.fix).toBe('VACUUM;');
    await runFix(db, fired.fix);
    expect(await check(db, 'free_pages')).toMatchObject({ status: 'ok', value: 0 });
    await db.close();
  });
});
