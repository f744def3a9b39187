import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempHome } from './run-cli.js';
import { KEY, ShellTerminal } from './shell-terminal.js';

// The shell on the real PostgreSQL and MariaDB servers, through a pseudo-terminal: Ctrl-C cancels
// on the server, \copy goes out and back in, the prompt follows the transaction.
const open: ShellTerminal[] = [];
const suffix = `${process.pid}_${Date.now() % 100_000}`;
let pgAdmin: pg.Client;
let myAdmin: mysql.Connection;
let pgDb: string;
let myDb: string;

function shell(args: readonly string[], env: Record<string, string> = {}): ShellTerminal {
  const t = new ShellTerminal(args, { env: { ...tempHome(), ...env } });
  open.push(t);
  return t;
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition never held');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Statements of other sessions that are running and hold `marker`. */
async function pgRunning(marker: string): Promise<number> {
  const r = await pgAdmin.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()",
    [marker],
  );
  return r.rows[0].n;
}

async function myRunning(marker: string): Promise<number> {
  const [rows] = await myAdmin.query(
    "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE CONCAT('%', ?, '%') AND ID <> CONNECTION_ID()",
    [marker],
  );
  return Number((rows as { n: number }[])[0]?.n);
}

beforeAll(async () => {
  pgDb = await pgUrl();
  myDb = await mysqlUrl();
  pgAdmin = new pg.Client({ connectionString: pgDb });
  await pgAdmin.connect();
  myAdmin = await mysql.createConnection(myDb);
});

afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

afterAll(async () => {
  await pgAdmin?.query(`DROP TABLE IF EXISTS copy_src_${suffix}, copy_dst_${suffix}`);
  await myAdmin?.query(`DROP TABLE IF EXISTS tx_${suffix}`);
  await pgAdmin?.end();
  await myAdmin?.end();
});

describe('aishell -c <postgres url> on a terminal', () => {
  it('cancels select pg_sleep(30) on the server at Ctrl-C, and the next query answers', async () => {
    const marker = `shell_cancel_${suffix}`;
    const t = shell(['-c', pgDb]);
    await t.waitFor(/=> $/);
    await t.type(`select pg_sleep(30) as ${marker};`);
    t.write(KEY.enter);
    await until(async () => (await pgRunning(marker)) === 1);
    t.write(KEY.ctrlC);
    // A generous bound that still says the statement did not run its 30 seconds.
    await t.waitFor(/\ncancelled\n/, 15_000);
    expect(await pgRunning(marker)).toBe(0);
    await t.type('select 42 as next;');
    t.write(KEY.enter);
    await t.waitFor(/ next\s*\n-+\n\s+42\n\(1 row\)/);
  });

  it('opens on DATABASE_URL with no arguments, as psql and pgcli do', async () => {
    const t = shell([], { DATABASE_URL: pgDb });
    const database = new URL(pgDb).pathname.slice(1);
    await t.waitFor(`${database}=> `);
    await t.type('select current_database() as db;');
    t.write(KEY.enter);
    await t.waitFor(new RegExp(` db\\s*\\n-+\\n ${database}\\n`));
  });

  it('copies a query out to a CSV file and back into a table with the same row count', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-copy-'));
    const file = path.join(dir, 'rows.csv');
    await pgAdmin.query(
      `CREATE TABLE copy_src_${suffix} AS SELECT g AS id, 'name, "' || g || '"' AS name,
         CASE WHEN g % 5 = 0 THEN NULL ELSE g * 1.5 END AS score, CASE WHEN g % 7 = 0 THEN '' END AS note
       FROM generate_series(1, 2500) g`,
    );
    await pgAdmin.query(`CREATE TABLE copy_dst_${suffix} (LIKE copy_src_${suffix})`);
    const t = shell(['-c', pgDb]);
    await t.waitFor(/=> $/);
    await t.type(`\\copy (select * from copy_src_${suffix} order by id) to '${file}' csv header`);
    t.write(KEY.enter);
    await t.waitFor('COPY 2500');
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('id,name,score,note');
    await t.type(`\\copy copy_dst_${suffix} from '${file}' csv header`);
    t.write(KEY.enter);
    await t.waitFor(() => t.count('COPY 2500') === 2);
    const same = await pgAdmin.query(
      `SELECT count(*)::int AS n, count(d.score)::int AS scores, count(d.note)::int AS notes
       FROM copy_dst_${suffix} d JOIN copy_src_${suffix} s ON s.id = d.id
       WHERE s.name = d.name AND s.score IS NOT DISTINCT FROM d.score AND s.note IS NOT DISTINCT FROM d.note`,
    );
    // Every row came back whole: NULLs as NULLs, empty strings as empty strings, quotes and commas kept.
    expect(same.rows[0]).toEqual({ n: 2500, scores: 2000, notes: 357 });
  });
});

describe('aishell -c <postgres url> reading a script', () => {
  it('cancels the running statement on SIGINT and runs nothing after it (exit 130)', async () => {
    const marker = `shell_script_${suffix}`;
    const child = spawn(process.execPath, [BIN, '-c', pgDb], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...tempHome() },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end(`select pg_sleep(30) as ${marker};\nselect 'after' as next;\n`);
    await until(async () => (await pgRunning(marker)) === 1);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toMatch(/cancelled/);
    expect(stdout).not.toMatch(/after/);
    expect(await pgRunning(marker)).toBe(0);
  });
});

describe('aishell -c <mariadb url> on a terminal', () => {
  it('cancels SELECT SLEEP(30) with KILL QUERY at Ctrl-C, and the next query answers', async () => {
    const marker = `shell_cancel_${suffix}`;
    const t = shell(['-c', myDb]);
    await t.waitFor(/=> $/);
    await t.type(`SELECT SLEEP(30) AS ${marker};`);
    t.write(KEY.enter);
    await until(async () => (await myRunning(marker)) === 1);
    t.write(KEY.ctrlC);
    await t.waitFor(/\ncancelled\n/, 15_000);
    expect(await myRunning(marker)).toBe(0);
    await t.type('SELECT 42 AS next;');
    t.write(KEY.enter);
    await t.waitFor(/ next\s*\n-+\n\s+42\n\(1 row\)/);
  });

  it('keeps the transaction in the prompt after an error, as MariaDB keeps it open', async () => {
    const t = shell(['-c', myDb]);
    const database = new URL(myDb).pathname.slice(1);
    await t.waitFor(`${database}=> `);
    await t.type(`create table tx_${suffix} (x int);`);
    t.write(KEY.enter);
    await t.type('begin;');
    t.write(KEY.enter);
    await t.waitFor(`${database}=*> `);
    await t.type(`insert into tx_${suffix} values (1);`);
    t.write(KEY.enter);
    await t.type('select nothing_here;');
    t.write(KEY.enter);
    await t.waitFor(/ERROR: [^\n]*nothing_here[^\n]*\n(.*\n)*\S+=\*> $/);
    await t.type('rollback;');
    t.write(KEY.enter);
    await t.waitFor(new RegExp(`ROLLBACK[^\\n]*\\n(Time: [^\\n]*\\n)?${database}=> $`));
    const [rows] = await myAdmin.query(`SELECT COUNT(*) AS n FROM tx_${suffix}`);
    expect(Number((rows as { n: number }[])[0]?.n)).toBe(0);
  });
});
