import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pgUrl } from '@aishell/testing';
import { describe, expect, it } from 'vitest';
import { buildServer, type DaemonServer } from './server.js';

/** A fresh home whose daemon may open `allowUrls` (the environment override of docs/daemon.md). */
function tempEnv(allowUrls: readonly string[] = ['sqlite::memory:']): NodeJS.ProcessEnv & {
  XDG_CONFIG_HOME: string;
} {
  const home = mkdtempSync(path.join(os.tmpdir(), 'aishelld-life-'));
  return {
    AISHELL_DAEMON_ALLOW_URLS: allowUrls.join(' '),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_STATE_HOME: path.join(home, 'state'),
  };
}

/** The allowlist prefix of a server URL: its scheme, host and port. */
function serverPrefix(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/`;
}

async function listen(app: DaemonServer): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
}

function post(base: string, token: string, body: unknown): Promise<Response> {
  return fetch(`${base}/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

describe('the token file', () => {
  it('is created on first start with mode 0600 and authenticates requests, and only its path is logged', async () => {
    const env = tempEnv();
    const lines: string[] = [];
    const app = await buildServer({
      env,
      processMetrics: false,
      logDestination: { write: (l: string) => void lines.push(l) },
    });
    try {
      const file = path.join(env.XDG_CONFIG_HOME, 'aishell', 'daemon-token');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      const token = readFileSync(file, 'utf8').trim();
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      const base = await listen(app);
      const res = await post(base, token, { connection: 'sqlite::memory:', sql: 'select 1 as one' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { rows: unknown }).rows).toEqual([{ one: 1 }]);
      const log = lines.join('');
      expect(log).toContain(file);
      expect(log).not.toContain(token);
    } finally {
      await app.close();
    }
  });

  it('is not needed when AISHELL_DAEMON_TOKEN is set, which then is the token', async () => {
    const env = { ...tempEnv(), AISHELL_DAEMON_TOKEN: 'env-token-0123456789abcdef' };
    const app = await buildServer({ env, processMetrics: false, logLevel: 'silent' });
    try {
      expect(() => statSync(path.join(env.XDG_CONFIG_HOME, 'aishell', 'daemon-token'))).toThrow();
      const base = await listen(app);
      expect(
        (await post(base, 'env-token-0123456789abcdef', { connection: 'sqlite::memory:', sql: 'select 1' }))
          .status,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('shutdown', () => {
  it('finishes a request in flight, then refuses new connections', async () => {
    const token = 'shutdown-token-0123456789';
    const connection = await pgUrl();
    const env = tempEnv([serverPrefix(connection)]);
    const app = await buildServer({ token, env, processMetrics: false, logLevel: 'silent' });
    const base = await listen(app);
    // Open the session first, so that the slow statement is surely running when close() starts.
    expect((await post(base, token, { connection, sql: 'select 1' })).status).toBe(200);
    const inFlight = post(base, token, { connection, sql: 'select pg_sleep(0.8) as slept, 42 as answer' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closed = app.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rows: { answer: number }[] }).rows[0]?.answer).toBe(42);
    await closed;
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });
});
