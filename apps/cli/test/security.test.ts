import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

const suffix = Math.random().toString(36).slice(2, 8);

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = path.join(dir, name);
    out = statSync(full).isDirectory() ? [...out, ...filesUnder(full)] : [...out, full];
  }
  return out;
}

let pg: string;
let my: string;
beforeAll(async () => {
  pg = await pgUrl();
  my = await mysqlUrl();
});

describe('aishell query --read-only', () => {
  it.each([
    ['postgres', 'COMMIT; INSERT INTO ro_cli_probe VALUES (99)'],
    ['postgres', 'SET transaction_read_only = off; INSERT INTO ro_cli_probe VALUES (99)'],
    ['mysql', 'BEGIN; INSERT INTO ro_cli_probe VALUES (99)'],
    ['sqlite', 'PRAGMA query_only = 0; INSERT INTO ro_cli_probe VALUES (99)'],
  ])('refuses an escape on %s with exit 5 and sends nothing: %s', async (engine, sql) => {
    const env = tempHome();
    const url = engine === 'postgres' ? pg : engine === 'mysql' ? my : `sqlite://${env.HOME as string}/ro.db`;
    const table = `ro_cli_probe`;
    const own = sql.replaceAll(table, `${table}_${suffix}_${engine}`);
    const name = `${table}_${suffix}_${engine}`;
    expect((await runCli(['query', `create table ${name} (a int)`, '-c', url], { env })).code).toBe(0);
    try {
      const r = await runCli(['query', own, '-c', url, '--read-only', '--yes', '--json'], { env });
      expect(r.code).toBe(5);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'SAFETY_READ_ONLY' });
      const count = await runCli(['query', `select count(*) as n from ${name}`, '-c', url, '--json'], {
        env,
      });
      expect(JSON.parse(count.stdout).rows[0].n).toBe(0);
    } finally {
      await runCli(['query', `drop table ${name}`, '-c', url, '--yes'], { env });
    }
  });
});

describe('SQL input', () => {
  const url = 'sqlite::memory:';

  it('reads stdin with --file -', async () => {
    const r = await runCli(['query', '-c', url, '--file', '-', '--json'], { input: 'select 41 + 1 as n' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual([{ n: 42 }]);
  });

  it('reads the file given with --file even when stdin has data', async () => {
    const env = tempHome();
    const file = path.join(env.HOME as string, 'q.sql');
    writeFileSync(file, 'select 7 as n');
    const r = await runCli(['query', '-c', url, '--file', file, '--json'], { input: 'select 1 as n', env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual([{ n: 7 }]);
  });

  it('reads the argument even when stdin has data, and stdin when there is no argument', async () => {
    const arg = await runCli(['query', 'select 3 as n', '-c', url, '--json'], { input: 'select 1 as n' });
    expect(JSON.parse(arg.stdout).rows).toEqual([{ n: 3 }]);
    const piped = await runCli(['query', '-c', url, '--json'], { input: 'select 5 as n;\nselect 6 as m' });
    expect(piped.code, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout).results.map((x: { rows: unknown[] }) => x.rows)).toEqual([
      [{ n: 5 }],
      [{ m: 6 }],
    ]);
  });

  it('names a missing file in words, without an errno code', async () => {
    const r = await runCli(['query', '-c', url, '--file', '/nonexistent/q.sql']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('aishell: cannot read /nonexistent/q.sql: no such file');
  });
});

describe('CSV output', () => {
  const sql = "select '=1+1' as f, '+cmd' as p, -5 as n, '@SUM(A1)' as a, 'plain' as t";

  it('is raw by default: the file holds what the database holds', async () => {
    const r = await runCli(['query', sql, '-c', 'sqlite::memory:', '--format', 'csv']);
    expect(r.stdout).toBe('f,p,n,a,t\n=1+1,+cmd,-5,@SUM(A1),plain\n');
  });

  it('neutralizes spreadsheet formulas with --csv-safe and keeps numbers', async () => {
    const r = await runCli(['query', sql, '-c', 'sqlite::memory:', '--format', 'csv', '--csv-safe']);
    expect(r.stdout).toBe("f,p,n,a,t\n'=1+1,'+cmd,-5,'@SUM(A1),plain\n");
  });
});

describe('costly bad input', () => {
  it('answers a URL with 100,000 letters quickly with exit 3', async () => {
    const started = Date.now();
    const r = await runCli([
      'query',
      '-c',
      `postgres://postgres@127.0.0.1:1/${'a'.repeat(100_000)}`,
      'select 1',
    ]);
    expect(r.code).toBe(3);
    // It took 74 s with the quadratic password mask; start-up and the refused connect take well under 10.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('secrets in the metrics history', () => {
  it.each([
    [
      'postgres',
      (pw: string) => `create role aishell_sec_${suffix} password '${pw}'`,
      (): string => `drop role aishell_sec_${suffix}`,
    ],
    [
      'postgres',
      (pw: string) => `create role aishell_alt_${suffix}; alter role aishell_alt_${suffix} password '${pw}'`,
      (): string => `drop role aishell_alt_${suffix}`,
    ],
    [
      'mysql',
      (pw: string) => `create user 'aishell_sec_${suffix}'@'localhost' identified by '${pw}'`,
      (): string => `drop user 'aishell_sec_${suffix}'@'localhost'`,
    ],
    ['sqlite', (pw: string) => `select '${pw}' as secret /* ${pw} */`, undefined],
  ] as const)(
    'keeps no literal of a %s statement anywhere under the XDG folders',
    async (engine, make, undo) => {
      const env = tempHome();
      const secret = `Sup3rSecret${suffix}X`;
      const url = engine === 'postgres' ? pg : engine === 'mysql' ? my : 'sqlite::memory:';
      const r = await runCli(['query', make(secret), '-c', url, '--yes'], { env });
      if (undo) await runCli(['query', undo(), '-c', url, '--yes'], { env });
      expect(r.code, r.stderr).toBe(0);
      const files = filesUnder(env.HOME as string);
      expect(files.some((f) => f.endsWith('metrics.ndjson'))).toBe(true);
      for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
    },
  );
});
