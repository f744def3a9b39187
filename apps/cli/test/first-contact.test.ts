import { spawn } from 'node:child_process';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, tempHome } from './run-cli.js';

const marker = `epipe_${Math.random().toString(36).slice(2, 8)}`;

/** Runs aishell with stdout read until `lines` lines arrived, then closed, as `| head -n` does. */
function runIntoHead(
  args: readonly string[],
  lines: number,
  env: Record<string, string>,
): Promise<{ code: number | null; signal: string | null; stderr: string; head: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let head = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      head += d;
      if (head.split('\n').length > lines) child.stdout.destroy();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`aishell ${args.join(' ')} did not end after its reader left\n${stderr}`));
    }, 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, head });
    });
  });
}

describe('a closed stdout (| head)', () => {
  let url: string;
  beforeAll(async () => {
    url = await pgUrl();
  });

  it('ends a table quietly with exit 0', async () => {
    const env = tempHome();
    const r = await runIntoHead(['query', 'select g from generate_series(1, 200000) g', '-c', url], 3, env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each(['ndjson', 'csv'])('stops a %s stream and cancels its query on the server', async (format) => {
    const env = tempHome();
    const sql = `select g as ${marker} from generate_series(1, 100000000) g`;
    const started = Date.now();
    const r = await runIntoHead(['query', sql, '-c', url, '--format', format], 3, env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // A hundred million rows would take minutes: the command ended because its reader did.
    expect(Date.now() - started).toBeLessThan(20_000);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "select count(*)::int as n from pg_stat_activity where query like $1 and state = 'active' and pid <> pg_backend_pid()",
        [`%${marker}%`],
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });
});

describe("psql's conventions", () => {
  it('uses PostgreSQL from libpq variables when nothing else names a connection', async () => {
    const u = new URL(await pgUrl());
    const env = {
      ...tempHome(),
      PGHOST: u.hostname,
      PGPORT: u.port || '5432',
      PGUSER: decodeURIComponent(u.username),
      PGDATABASE: u.pathname.slice(1),
    };
    const r = await runCli(['query', 'select current_user as u, current_database() as d', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual([{ u: env.PGUSER, d: env.PGDATABASE }]);
    expect(r.stderr).not.toMatch(/demo/);
  });

  it('says on stderr, not under --json, that the demo is used because nothing else is configured', async () => {
    const env = tempHome();
    const plain = await runCli(['query', 'select 1 as one'], { env, timeoutMs: 120_000 });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/using the embedded demo database \(no connection is configured/);
    const json = await runCli(['query', 'select 1 as one', '--json'], { env });
    expect(json.stderr).not.toMatch(/demo/);
    expect(JSON.parse(json.stdout).rows).toEqual([{ one: 1 }]);
    const named = await runCli(['query', 'select 1 as one', '-c', 'demo'], { env });
    expect(named.stderr).not.toMatch(/using the embedded demo/);
  }, 180_000);

  it('suggests -c demo after demo --reset when the default connection is another one', async () => {
    const env = tempHome();
    const url = await pgUrl();
    expect((await runCli(['connect', url, '--name', 'mine', '--default'], { env })).code).toBe(0);
    const reset = await runCli(['demo', '--reset'], { env, timeoutMs: 120_000 });
    expect(reset.code, reset.stderr).toBe(0);
    const suggested = /Try: \S+ (query "select \* from customers limit 5" -c demo)/.exec(reset.stdout);
    expect(suggested, reset.stdout).not.toBeNull();
    const tried = await runCli(['query', 'select * from customers limit 5', '-c', 'demo', '--json'], { env });
    expect(JSON.parse(tried.stdout).rowCount).toBe(5);
  }, 180_000);
});

describe('files named in words', () => {
  it('answers \\i of a missing file as other commands do', async () => {
    const r = await runCli(['shell', '-c', 'sqlite::memory:'], { input: '\\i nofile.sql\n\\q\n' });
    expect(r.stdout + r.stderr).toMatch(/cannot read nofile\.sql: no such file/);
    expect(r.stdout + r.stderr).not.toMatch(/ENOENT/);
  });
});
