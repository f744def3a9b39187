// What aishelld costs over calling PostgreSQL directly: queries per second of `SELECT 1` through
// POST /v1/query (keep-alive, undici, 32 concurrent requests) divided by pg.Pool of the daemon's pool
// size (10) with 32 concurrent callers, in the same run, interleaved segment by segment so that the
// drift of a shared machine cancels. Goal: queryOverheadRatio >= 0.5. Also p99Ms of the daemon's
// answers, and where the rest goes: GET /health at the same concurrency (HTTP and JSON alone), pg.Pool
// doing what each request does at the database (SELECT 1 then DISCARD ALL on one checked-out
// connection: the daemon's per-request isolation; in two round trips, and pipelined in one as the
// daemon sends them), and the daemon's own CPU time per query.
// Needs the daemon built (`pnpm nx build daemon`); loopback only.
// Usage: pnpm bench daemon [--json] [--segment-ms 1000] [--rounds 5]
// The last line printed is one JSON object of figures.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
import { Pool as HttpPool } from 'undici';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(args[i + 1]);
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
};
const SEGMENT_MS = flag('segment-ms', 1000);
const ROUNDS = flag('rounds', 5);
const CONCURRENCY = 32;
/** The daemon's pool size (the pool's default max). */
const POOL_SIZE = 10;
const TOKEN = `bench-daemon-token-${process.pid}-0123456789`;
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apps/daemon/bin/aishelld.js');
const DIST = path.resolve(path.dirname(BIN), '../dist/run-daemon.js');

type Run = () => Promise<void>;

interface Segment {
  requests: number;
  millis: number;
  latencies: number[];
}

async function segment(run: Run, ms: number, keepLatencies: boolean): Promise<Segment> {
  const started = performance.now();
  const deadline = started + ms;
  let requests = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await run();
        if (keepLatencies) latencies.push(performance.now() - t);
        requests++;
      }
    }),
  );
  return { requests, millis: performance.now() - started, latencies };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** User plus system CPU time of a process, in microseconds (Linux /proc; clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function startDaemon(allow: string): Promise<{ child: ChildProcess; base: string }> {
  if (!existsSync(DIST)) {
    console.error('the daemon is not built: run `pnpm nx build daemon` first');
    process.exit(2);
  }
  const port = await freePort();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AISHELL_|NODE_OPTIONS$|REDIS_URL$)/.test(k)),
  );
  const child = spawn(process.execPath, [BIN, '--port', String(port)], {
    env: {
      ...inherited,
      AISHELL_DAEMON_TOKEN: TOKEN,
      AISHELL_DAEMON_ALLOW_URLS: allow,
      AISHELL_HISTORY: 'off',
      AISHELL_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('aishelld did not answer /health within 20 s');
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const qps = (segments: Segment[]): number =>
  (segments.reduce((n, s) => n + s.requests, 0) * 1000) / segments.reduce((n, s) => n + s.millis, 0);

async function main(): Promise<void> {
  const started = performance.now();
  const url = new URL(await pgUrl());
  url.searchParams.set('application_name', 'aishelld_bench');
  const { child, base } = await startDaemon(`${url.protocol}//${url.host}/`);
  const direct = new pg.Pool({ connectionString: url.toString(), max: POOL_SIZE });
  const http = new HttpPool(base, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 });
  const body = JSON.stringify({ connection: url.toString(), sql: 'SELECT 1' });
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  try {
    const sides: Record<string, Run> = {
      pg: async () => {
        await direct.query('SELECT 1');
      },
      daemon: async () => {
        const res = await http.request({ path: '/v1/query', method: 'POST', headers, body });
        const doc = (await res.body.json()) as { rows?: unknown[] };
        if (res.statusCode !== 200 || !doc.rows) throw new Error(`POST /v1/query answered ${res.statusCode}`);
      },
      health: async () => {
        const res = await http.request({ path: '/health', method: 'GET' });
        await res.body.json();
      },
      pgIsolated: async () => {
        const client = await direct.connect();
        try {
          await client.query('SELECT 1');
          await client.query('DISCARD ALL');
        } finally {
          client.release();
        }
      },
      // What the daemon sends since session 6: the statement and DISCARD ALL written together (pg's
      // pipeline mode), one round trip.
      pgPipelined: async () => {
        const client = (await direct.connect()) as pg.PoolClient & { pipeline: boolean };
        try {
          client.pipeline = true;
          await Promise.all([client.query('SELECT 1'), client.query('DISCARD ALL')]);
        } finally {
          client.pipeline = false;
          client.release();
        }
      },
    };
    const names = Object.keys(sides);
    for (const n of names) await segment(sides[n] as Run, 300, false); // warm-up
    const segments: Record<string, Segment[]> = Object.fromEntries(names.map((n) => [n, []]));
    let daemonCpu = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < names.length; k++) {
        const n = names[(k + r) % names.length] as string;
        const cpuBefore = n === 'daemon' ? cpuMicros(child.pid as number) : 0;
        segments[n]?.push(await segment(sides[n] as Run, SEGMENT_MS, n === 'daemon'));
        if (n === 'daemon') daemonCpu += cpuMicros(child.pid as number) - cpuBefore;
      }
    }
    const latencies = (segments.daemon ?? []).flatMap((s) => s.latencies).sort((a, b) => a - b);
    const daemonQps = qps(segments.daemon ?? []);
    const pgQps = qps(segments.pg ?? []);
    const figures: Record<string, number> = {
      queryOverheadRatio: round2(daemonQps / pgQps),
      p99Ms: round2(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
      p50Ms: round2(latencies[Math.floor(latencies.length * 0.5)] ?? 0),
      daemonQps: Math.round(daemonQps),
      pgPoolQps: Math.round(pgQps),
      healthQps: Math.round(qps(segments.health ?? [])),
      pgIsolatedQps: Math.round(qps(segments.pgIsolated ?? [])),
      isolationRatio: round2(qps(segments.pgIsolated ?? []) / pgQps),
      pgPipelinedQps: Math.round(qps(segments.pgPipelined ?? [])),
      pipelinedIsolationRatio: round2(qps(segments.pgPipelined ?? []) / pgQps),
      daemonCpuMicrosPerQuery: Math.round(
        daemonCpu / (segments.daemon ?? []).reduce((n, s) => n + s.requests, 0),
      ),
      concurrency: CONCURRENCY,
      poolSize: POOL_SIZE,
      durationSeconds: round2((performance.now() - started) / 1000),
    };
    for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(24)} ${v}`);
    console.log(JSON.stringify(figures));
  } finally {
    await http.close();
    await direct.end();
    child.kill('SIGTERM');
  }
}

await main();
