// aishelld with a backup job every second (croner's six fields) on a PostgreSQL database of this file's
// own: /metrics shows the job's last success and duration, the catalog holds its backups (pruned to
// `keep`), a failing job is counted as such, and a bad cron expression stops the daemon from starting.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Session } from '@aishell/engine';
import { pgUrl, suffix } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type DaemonServer } from './server.js';

const database = `aishell_test_h14_${suffix()}`;
let adminUrl: string;
let url: string;

async function exec(connection: string, statements: readonly string[]): Promise<void> {
  const session = await Session.open({ connection, history: false, warm: false });
  try {
    for (const sql of statements) await session.run(sql, { confirmed: true });
  } finally {
    await session.close();
  }
}

function homeWith(config: unknown): NodeJS.ProcessEnv & { XDG_DATA_HOME: string } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'aishelld-backup-'));
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_STATE_HOME: path.join(home, 'state'),
    AISHELL_DAEMON_TOKEN: 'a-test-token-that-is-long-enough-for-aishelld',
  };
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'aishell'), { recursive: true });
  writeFileSync(path.join(env.XDG_CONFIG_HOME, 'aishell', 'config.json'), JSON.stringify(config));
  return env;
}

async function metricsOf(app: DaemonServer): Promise<string> {
  const port = (app.server.address() as net.AddressInfo).port;
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: 'Bearer a-test-token-that-is-long-enough-for-aishelld' },
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one sample of the exposition, or undefined. */
function sample(text: string, name: string, job: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{job="${job}"}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  const u = new URL(await pgUrl());
  u.pathname = '/postgres';
  adminUrl = u.toString();
  await exec(adminUrl, [`create database "${database}"`]);
  u.pathname = `/${database}`;
  url = u.toString();
  await exec(url, [
    'create table events (id int primary key, at timestamptz default now())',
    'insert into events (id) select generate_series(1, 100)',
  ]);
});

afterAll(async () => {
  await exec(adminUrl, [`drop database if exists "${database}" with (force)`]);
});

describe("aishelld's backup jobs", () => {
  it('runs a job every second and shows its last success and duration in /metrics', async () => {
    const env = homeWith({
      backups: {
        jobs: [
          { name: 'every-second', connection: url, schedule: '* * * * * *', keep: 2 },
          { name: 'broken', connection: `${url}_missing`, schedule: '* * * * * *' },
        ],
      },
    });
    const startedAt = Date.now() / 1000;
    const app = await buildServer({ env, processMetrics: false, logLevel: 'silent' });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const text = await eventually(
        () => metricsOf(app),
        (t) =>
          (sample(t, 'aishell_backup_last_success_timestamp_seconds', 'every-second') ?? 0) > startedAt &&
          /aishell_backup_runs_total\{job="every-second",outcome="success"\} [3-9]/.test(t) &&
          /aishell_backup_runs_total\{job="broken",outcome="failure"\} [1-9]/.test(t),
      );
      const success = sample(text, 'aishell_backup_last_success_timestamp_seconds', 'every-second') ?? 0;
      expect(success).toBeGreaterThan(startedAt);
      expect(success).toBeLessThanOrEqual(Date.now() / 1000);
      expect(sample(text, 'aishell_backup_last_duration_seconds', 'every-second')).toBeGreaterThan(0);
      expect(sample(text, 'aishell_backup_last_size_bytes', 'every-second')).toBeGreaterThan(0);
      expect(text).toMatch(/aishell_backup_runs_total\{job="every-second",outcome="success"\} [3-9]/);
      // A job that cannot connect: counted, and never a success.
      expect(text).toMatch(/aishell_backup_runs_total\{job="broken",outcome="failure"\} [1-9]/);
      expect(sample(text, 'aishell_backup_last_success_timestamp_seconds', 'broken')).toBe(0);
      expect(sample(text, 'aishell_backup_last_failure_timestamp_seconds', 'broken')).toBeGreaterThan(
        startedAt,
      );
    } finally {
      await app.close();
    }
    const catalog = path.join(env.XDG_DATA_HOME, 'aishell', 'backups');
    const files = readdirSync(catalog);
    // keep: 2, and nothing partial left by the run close() stopped.
    expect(files.filter((f) => f.endsWith('.schema.json'))).toHaveLength(2);
    expect(files.filter((f) => f.endsWith('.dump'))).toHaveLength(2);
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);

    // A restart reads the last success from the catalog instead of starting from 0.
    const again = await buildServer({
      env: homeWithCatalogOf(env),
      processMetrics: false,
      logLevel: 'silent',
    });
    try {
      await again.listen({ host: '127.0.0.1', port: 0 });
      const text = await metricsOf(again);
      expect(sample(text, 'aishell_backup_last_success_timestamp_seconds', 'every-second')).toBeGreaterThan(
        startedAt,
      );
    } finally {
      await again.close();
    }
  }, 60_000);

  it('refuses to start with a schedule that is not a cron expression, naming the job', async () => {
    const env = homeWith({
      backups: { jobs: [{ name: 'nightly', connection: url, schedule: 'every night' }] },
    });
    await expect(buildServer({ env, processMetrics: false, logLevel: 'silent' })).rejects.toMatchObject({
      code: 'DAEMON_CONFIG',
      message: expect.stringContaining(
        'backups.jobs "nightly": schedule "every night" is not a cron expression',
      ),
    });
  });

  it('refuses a misspelt key of a job (the config is strict)', async () => {
    const env = homeWith({
      backups: { jobs: [{ name: 'nightly', connection: url, schedule: '@daily', kepe: 3 }] },
    });
    await expect(buildServer({ env, processMetrics: false, logLevel: 'silent' })).rejects.toMatchObject({
      code: 'ENGINE_CONFIG',
    });
  });
});

/** The same home, with the job paused far in the future: only what the catalog says is shown. */
function homeWithCatalogOf(env: NodeJS.ProcessEnv & { XDG_DATA_HOME: string }): NodeJS.ProcessEnv {
  const config = { backups: { jobs: [{ name: 'every-second', connection: url, schedule: '0 0 1 1 *' }] } };
  writeFileSync(path.join(env.XDG_CONFIG_HOME ?? '', 'aishell', 'config.json'), JSON.stringify(config));
  return env;
}
