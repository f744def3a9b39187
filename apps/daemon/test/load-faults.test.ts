import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgUrl } from '@aishell/testing';
import { describe, expect, it } from 'vitest';

// The built binary under load and faults, loopback only (needs `pnpm nx build daemon`). Bounded: each
// test runs its clients for a fixed time, every request has a deadline, and the daemon is killed in
// `finally` should a test fail midway.
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/aishelld.js');
const TOKEN = `load-test-token-${process.pid}-0123456789`;
/** RSS growth allowed over 10 s of load after the warm-up (docs/daemon.md, "Under load"). */
const RSS_BOUND_BYTES = 64 * 1024 * 1024;
/** No request may take longer than this: one that does counts as hung. */
const REQUEST_DEADLINE_MILLIS = 15_000;

interface Daemon {
  child: ChildProcessWithoutNullStreams;
  base: string;
  exit: Promise<number | null>;
  stderr: () => string;
}

async function startDaemon(allowUrl: string): Promise<Daemon> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'aishelld-load-'));
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AISHELL_|XDG_|NODE_OPTIONS$|VITEST|REDIS_URL$)/.test(k)),
  );
  const child = spawn(process.execPath, [BIN, '--port', '0'], {
    env: {
      ...inherited,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_STATE_HOME: path.join(home, 'state'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      AISHELL_DAEMON_TOKEN: TOKEN,
      AISHELL_DAEMON_ALLOW_URLS: allowUrl,
      AISHELL_HISTORY: 'off',
      AISHELL_LOG_LEVEL: 'warn',
    },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // At warn the daemon logs no line per request (10 s of load would fill the pipe) nor its listening
  // line: the port it was given (--port 0) is read from /proc, then /health polled.
  let base = '';
  await expect
    .poll(
      async () => {
        const port = listeningPort(child.pid as number);
        if (!port) return false;
        base = `http://127.0.0.1:${port}`;
        return (await fetch(`${base}/health`).catch(() => undefined))?.status === 200;
      },
      { timeout: 20_000, interval: 100 },
    )
    .toBe(true);
  return { child, base, exit, stderr: () => stderr };
}

/** The TCP port a process listens on, from /proc (Linux): its socket inodes matched in /proc/net/tcp. */
function listeningPort(pid: number): number | undefined {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter((i): i is string => i !== undefined),
    );
  } catch {
    return undefined;
  }
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // state 0A = LISTEN
    if (cols[3] === '0A' && inodes.has(cols[9] ?? ''))
      return Number.parseInt(cols[1]?.split(':')[1] ?? '', 16);
  }
  return undefined;
}

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

interface Outcome {
  status: number | 'network' | 'hung';
  code?: string;
  sentAt: number;
  doneAt: number;
}

async function post(base: string, body: unknown): Promise<Outcome> {
  const sentAt = performance.now();
  try {
    const res = await fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_DEADLINE_MILLIS),
    });
    const doc = (await res.json()) as { error?: { code?: string } };
    return {
      status: res.status,
      ...(doc.error?.code ? { code: doc.error.code } : {}),
      sentAt,
      doneAt: performance.now(),
    };
  } catch (error) {
    const timeout = (error as { name?: string }).name === 'TimeoutError';
    return { status: timeout ? 'hung' : 'network', sentAt, doneAt: performance.now() };
  }
}

/** `clients` loops sending `body` until `millis` have passed; every outcome. */
async function load(base: string, clients: number, millis: number, body: unknown): Promise<Outcome[]> {
  const until = performance.now() + millis;
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) outcomes.push(await post(base, body));
    }),
  );
  return outcomes;
}

async function stop(daemon: Daemon): Promise<void> {
  if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGKILL');
  await daemon.exit;
}

async function pgWith(applicationName: string): Promise<{ url: string; allow: string }> {
  const url = new URL(await pgUrl());
  url.searchParams.set('application_name', applicationName);
  return { url: url.toString(), allow: `${url.protocol}//${url.host}/` };
}

describe('aishelld under load', () => {
  it('answers 32 concurrent clients for 10 s with 0 errors, its RSS within 64 MiB of before', async () => {
    const pg = await pgWith('aishelld_load');
    const daemon = await startDaemon(pg.allow);
    try {
      const body = { connection: pg.url, sql: 'select 1 as one' };
      // Warm-up (JIT, pool, parser), then the RSS the bound is measured from.
      const warm = await load(daemon.base, 32, 1500, body);
      expect(warm.filter((o) => o.status !== 200)).toEqual([]);
      const before = rssBytes(daemon.child.pid as number);
      const outcomes = await load(daemon.base, 32, 10_000, body);
      const after = rssBytes(daemon.child.pid as number);
      expect(outcomes.length).toBeGreaterThan(1000);
      expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
      expect(after - before).toBeLessThan(RSS_BOUND_BYTES);
    } finally {
      await stop(daemon);
    }
  }, 60_000);

  it('fails the requests in flight with 502 when PostgreSQL kills its backends, then recovers; nothing hangs', async () => {
    const pg = await pgWith('aishelld_fault');
    const killer = await pgWith('aishelld_killer');
    const daemon = await startDaemon(pg.allow);
    try {
      const database = new URL(pg.url).pathname.slice(1);
      const body = { connection: pg.url, sql: 'select pg_sleep(0.2) as slept' };
      const running = load(daemon.base, 16, 6000, body);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      // Only this test's own backends: this database, this application_name.
      const kill = await fetch(`${daemon.base}/v1/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          connection: killer.url,
          sql: 'select count(pg_terminate_backend(pid)) as killed from pg_stat_activity where datname = $1 and application_name = $2',
          params: [database, 'aishelld_fault'],
          confirm: true,
        }),
      });
      const killed = (await kill.json()) as { rows: { killed: string | number }[] };
      expect(kill.status).toBe(200);
      expect(Number(killed.rows[0]?.killed)).toBeGreaterThan(0);
      const outcomes = await running;
      expect(outcomes.filter((o) => o.status === 'hung' || o.status === 'network')).toEqual([]);
      const failed = outcomes.filter((o) => o.status !== 200);
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) {
        expect(f.status).toBe(502);
        expect(f.code).toBe('POOL_CONNECTION_LOST');
      }
      // The pool recovered: the requests after the kill succeed, and the last second had no failure.
      const last = Math.max(...outcomes.map((o) => o.doneAt));
      expect(outcomes.filter((o) => o.sentAt > last - 1000 && o.status !== 200)).toEqual([]);
      for (let i = 0; i < 20; i++) expect((await post(daemon.base, body)).status).toBe(200);
    } finally {
      await stop(daemon);
    }
  }, 60_000);

  it('on SIGTERM under load finishes the requests in flight, refuses new ones, and exits 0 in time', async () => {
    const pg = await pgWith('aishelld_term');
    const daemon = await startDaemon(pg.allow);
    try {
      const body = { connection: pg.url, sql: 'select pg_sleep(1) as slept' };
      const running = load(daemon.base, 16, 4000, body);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const termAt = performance.now();
      daemon.child.kill('SIGTERM');
      const outcomes = await running;
      const code = await Promise.race([
        daemon.exit,
        new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 30_000)),
      ]);
      expect(code).toBe(0);
      expect(outcomes.filter((o) => o.status === 'hung')).toEqual([]);
      // Sent well before the signal (the server had them): all answered 200, none cut off.
      const inFlight = outcomes.filter((o) => o.sentAt < termAt - 200 && o.doneAt > termAt);
      expect(inFlight.length).toBeGreaterThan(0);
      expect(inFlight.filter((o) => o.status !== 200)).toEqual([]);
      // Sent after it: refused (503 while closing, then no listener at all), never run.
      const late = outcomes.filter((o) => o.sentAt > termAt + 50);
      expect(late.length).toBeGreaterThan(0);
      for (const o of late) {
        expect(o.status === 'network' || (o.status === 503 && o.code === 'DAEMON_SHUTTING_DOWN')).toBe(true);
      }
    } finally {
      await stop(daemon);
    }
  }, 60_000);
});
