import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
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

// Needs the CLI and the daemon built (`pnpm nx build cli daemon`): `daemon start` runs aishelld beside the CLI.
describe('aishell metrics --daemon', () => {
  it("reads the running daemon's live figures, and the history once it has stopped", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const token = `metrics-cli-token-${process.pid}-0123456789`;
    const env = { ...tempHome(), AISHELL_DAEMON_TOKEN: token, AISHELL_DAEMON_ALLOW_URLS: 'sqlite::memory:' };
    // One statement run by the CLI, three through the daemon: all four in the history (docs/metrics.md).
    await runCli(['query', 'select 42 as answer', '-c', 'sqlite::memory:'], { env });
    const start = await runCli(['daemon', 'start', '--port', String(port)], { env });
    expect(start.code, start.stderr).toBe(0);
    try {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/v1/query`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ connection: 'sqlite::memory:', sql: `select ${i} as n, 'x' as tag` }),
        });
        expect(res.status).toBe(200);
      }
      const live = await runCli(['metrics', '--daemon', '--window', '1m', '--json'], { env });
      expect(live.code, live.stderr).toBe(0);
      const doc = JSON.parse(live.stdout);
      expect(doc).toMatchObject({ source: 'daemon', window: '1m', url: `http://127.0.0.1:${port}` });
      expect(doc.overall.count).toBeGreaterThanOrEqual(3);
      const shape = doc.top.find((t: { text?: string }) => t.text?.startsWith('SELECT'));
      expect(shape).toMatchObject({ count: 3, errors: 0 });
      for (const p of ['p50Millis', 'p90Millis', 'p99Millis', 'p999Millis'])
        expect(shape[p]).toBeGreaterThanOrEqual(0);

      const human = await runCli(['metrics', '--daemon', '--window', '1m'], { env });
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/last 1m: [3-9]\d* statements/);
      expect(human.stdout).toMatch(/p99\.9/);

      // A daemon that runs but refuses the token: an error to fix, not the history in its place.
      const wrong = await runCli(['metrics', '--daemon', '--json'], {
        env: { ...env, AISHELL_DAEMON_TOKEN: 'not-the-token-0123456789' },
      });
      expect(wrong.code).toBe(2);
      expect(`${wrong.stdout}${wrong.stderr}`).toMatch(/refused the token/);
      expect(`${wrong.stdout}${wrong.stderr}`).not.toContain('not-the-token-0123456789');
    } finally {
      await runCli(['daemon', 'stop'], { env });
    }
    const history = await runCli(['metrics', '--daemon', '--json'], { env });
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout)).toMatchObject({ source: 'history', statements: 4 });
  }, 60_000);
});
