import { mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const suffix = Math.random().toString(36).slice(2, 8);
const parents = `cli_n1_parents_${suffix}`;
const children = `cli_n1_children_${suffix}`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-cli-n1-'));
const logCopy = path.join(dir, 'postgresql.log');
let client: pg.Client;

/** The server's log: the collector's current file, else Debian's pg_ctlcluster log (its stderr). */
async function postgresLogFile(): Promise<string> {
  const { rows } = await client.query(
    "select pg_current_logfile() as current, current_setting('data_directory') as data, current_setting('cluster_name') as cluster",
  );
  const row = rows[0] as { current: string | null; data: string; cluster: string };
  const candidates = [
    row.current === null ? undefined : path.resolve(row.data, row.current),
    `/var/log/postgresql/postgresql-${row.cluster.replace('/', '-')}.log`,
  ].filter((c): c is string => c !== undefined);
  for (const candidate of candidates) {
    const handle = await open(candidate, 'r').catch(() => undefined);
    if (handle === undefined) continue;
    await handle.close();
    return candidate;
  }
  throw new Error(`the PostgreSQL server log is not readable here (looked at ${candidates.join(', ')})`);
}

// A real log: this session logs its statements (log_statement = all, for the session only) while it
// reads 12 parents and then each parent's children one query at a time.
beforeAll(async () => {
  client = new pg.Client({ connectionString: await pgUrl() });
  await client.connect();
  await client.query(`create table ${parents} (id integer primary key)`);
  await client.query(`create table ${children} (id integer primary key, parent_id integer, v text)`);
  await client.query(`insert into ${parents} select g from generate_series(1, 12) g`);
  await client.query(`insert into ${children} select g, g, 'c' || g from generate_series(1, 12) g`);
  const log = await postgresLogFile();
  const handle = await open(log, 'r');
  const start = (await handle.stat()).size;
  await client.query("set log_statement = 'all'");
  try {
    const { rows } = await client.query(`select id from ${parents} order by id`);
    for (const row of rows) {
      await client.query(`select v from ${children} where parent_id = $1 and v <> 'hunter2'`, [row.id]);
    }
  } finally {
    await client.query('reset log_statement');
  }
  const size = (await handle.stat()).size;
  const buffer = Buffer.alloc(size - start);
  await handle.read(buffer, 0, buffer.length, start);
  await handle.close();
  writeFileSync(logCopy, buffer);
}, 60_000);

afterAll(async () => {
  await client.query(`drop table if exists ${children}, ${parents}`);
  await client.end();
});

describe('aishell analyze n-plus-one', { timeout: 120_000 }, () => {
  it('prints one JSON document with the N+1 of a real PostgreSQL log', async () => {
    const r = await runCli(['analyze', 'n-plus-one', '--log', logCopy, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      format: string;
      statements: number;
      unparsed: number;
      findings: Record<string, unknown>[];
    };
    expect(doc).toMatchObject({ format: 'postgres', unparsed: 0 });
    expect(doc.statements).toBeGreaterThanOrEqual(13);
    const ours = doc.findings.filter((f) => String(f.normalized).includes(suffix));
    expect(ours).toEqual([
      expect.objectContaining({
        normalized: `SELECT v FROM ${children} WHERE parent_id = $1 AND v <> $2`,
        count: 12,
        sessions: 1,
        hint: expect.stringContaining('JOIN'),
      }),
    ]);
    expect(r.stdout).not.toContain('hunter2');
  });

  it('names the format it detected and shows literals only under --verbose', async () => {
    const plain = await runCli(['analyze', 'n-plus-one', '--log', logCopy]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('a PostgreSQL log (stderr format)');
    expect(plain.stdout).toContain(`SELECT v FROM ${children} WHERE parent_id = $1 AND v <> $2`);
    expect(plain.stdout).not.toContain('hunter2');

    const verbose = await runCli(['analyze', 'n-plus-one', '--log', logCopy, '--verbose']);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toContain(
      `example: select v from ${children} where parent_id = $1 and v <> 'hunter2' -- parameters: $1 = '1'`,
    );
  });

  it('exits 0 with an empty list when nothing reaches the threshold', async () => {
    const r = await runCli(['analyze', 'n-plus-one', '--log', logCopy, '--threshold', '13', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { findings: { normalized: string }[] };
    expect(doc.findings.filter((f) => f.normalized.includes(suffix))).toEqual([]);
  });

  it('exits 2 with one line for a missing file, a bad --format and a file that is no log', async () => {
    const missing = await runCli(['analyze', 'n-plus-one', '--log', path.join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringContaining('no such file')]);

    const json = await runCli(['analyze', 'n-plus-one', '--log', path.join(dir, 'nope.log'), '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'ENGINE_USAGE' } });

    const badFormat = await runCli(['analyze', 'n-plus-one', '--log', logCopy, '--format', 'oracle']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).not.toMatch(/\n\s+at /);

    const notALog = path.join(dir, 'notes.txt');
    writeFileSync(notALog, 'shopping list\nmilk\n');
    const unknown = await runCli(['analyze', 'n-plus-one', '--log', notALog]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/cannot tell the format/);
  });

  it('documents itself with examples in --help', async () => {
    const r = await runCli(['analyze', 'n-plus-one', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--log/);
    expect(r.stdout).toMatch(/EXAMPLES/);
    expect(r.stdout).toMatch(/--threshold.*\n?.*10|default: 10/);
  });
});
