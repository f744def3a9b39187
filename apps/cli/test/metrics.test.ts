import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

describe('aishell metrics', () => {
  it('reports counts, errors and latency percentiles of the queries run before', async () => {
    const env = tempHome();
    const db = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-cli-metrics-')), 'm.db')}`;
    const empty = await runCli(['metrics', '--json'], { env });
    expect(JSON.parse(empty.stdout)).toMatchObject({ statements: 0, cacheHitRate: null });
    await runCli(
      ['query', "create table m (id int, pw text); insert into m values (1, 'p4ssw0rd-literal')", '-c', db],
      { env },
    );
    for (let i = 0; i < 3; i++)
      await runCli(['query', `select id from m where id = ${i}`, '-c', db], { env });
    const failed = await runCli(['query', 'select nope from m', '-c', db], { env });
    expect(failed.code, failed.stderr).toBe(4);

    const r = await runCli(['metrics', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ statements: 6, errors: 1, cached: 0, cacheHitRate: null });
    for (const p of ['p50Ms', 'p95Ms', 'p99Ms', 'maxMs']) expect(doc.latency[p]).toBeGreaterThan(0);
    expect(doc.latency.p50Ms).toBeLessThanOrEqual(doc.latency.p99Ms);
    expect(doc.latency.p99Ms).toBeLessThanOrEqual(doc.latency.maxMs);
    // The three selects differ only in a literal: one shape, counted three times.
    const shape = doc.top.find((t: { count: number; normalized: string }) =>
      t.normalized.startsWith('SELECT id FROM m'),
    );
    expect(shape).toMatchObject({ count: 3, errors: 0 });
    const file = path.join(env.XDG_STATE_HOME as string, 'aishell', 'metrics.ndjson');
    expect(readFileSync(file, 'utf8')).not.toContain('p4ssw0rd');

    const human = await runCli(['metrics'], { env });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/6 statements/);
    expect(human.stdout).toMatch(/p95/);
    expect(human.stdout).toMatch(/SELECT id FROM m/);
  });

  it('filters with --since and rejects a malformed one with exit 2', async () => {
    const env = tempHome();
    await runCli(['query', 'select 1', '-c', 'sqlite::memory:'], { env });
    expect(
      JSON.parse((await runCli(['metrics', '--since', '1h', '--json'], { env })).stdout).statements,
    ).toBe(1);
    expect(
      JSON.parse((await runCli(['metrics', '--since', '2999-01-01', '--json'], { env })).stdout).statements,
    ).toBe(0);
    const bad = await runCli(['metrics', '--since', 'yesterday-ish'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since/);
  });

  it('records nothing with AISHELL_HISTORY=off', async () => {
    const env: Record<string, string> = { ...tempHome(), AISHELL_HISTORY: 'off' };
    await runCli(['query', 'select 1', '-c', 'sqlite::memory:'], { env });
    expect(existsSync(path.join(env.XDG_STATE_HOME as string, 'aishell', 'metrics.ndjson'))).toBe(false);
  });
});
