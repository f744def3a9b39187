import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cache, createCache } from './index.js';

// A real three-master Redis Cluster of the machine's redis-server on loopback ports, in a temporary folder.
const redisServer = spawnSync('redis-server', ['--version']).status === 0;
const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-cluster-'));
const servers = new Map<number, ChildProcess>();
const run = randomBytes(4).toString('hex');
let ports: number[] = [];
let url = '';
const made: Cache[] = [];

/** A port free for Redis and for its cluster bus (port + 10000). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const ok = await Promise.all([port, port + 10000].map(canListen));
    if (ok.every(Boolean)) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function startServer(port: number): void {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      `nodes-${port}.conf`,
      '--cluster-node-timeout',
      '2000',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  servers.set(port, child);
}

async function stopServer(port: number): Promise<void> {
  const child = servers.get(port);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function cacheOn(name: string): Cache {
  const cache = createCache({
    url,
    namespace: `aishell-test-cluster-${run}-${name}`,
    commandTimeoutMillis: 1000,
  });
  made.push(cache);
  return cache;
}

beforeAll(async () => {
  if (!redisServer) return;
  ports = [];
  for (let i = 0; i < 3; i++) ports.push(await freePort());
  for (const port of ports) startServer(port);
  for (const port of ports) {
    for (let i = 0; i < 100 && !(await pingable(port)); i++) await sleep(50);
  }
  const created = spawnSync(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    { encoding: 'utf8' },
  );
  if (created.status !== 0)
    throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  for (const port of ports) {
    for (let i = 0; i < 200; i++) {
      const info = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' });
      if (info.stdout.includes('cluster_state:ok')) break;
      await sleep(50);
    }
  }
  url = `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`;
}, 60_000);

afterAll(async () => {
  for (const cache of made) await cache.close();
  for (const port of servers.keys()) await stopServer(port);
  rmSync(dir, { recursive: true, force: true });
});

function pingable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe.skipIf(!redisServer && process.env.CI !== 'true')(
  'the cache on a three-master Redis Cluster',
  () => {
    it('serves a hit and drops it on invalidation, every script on one slot', async () => {
      const cache = cacheOn('basic');
      expect(await cache.get('q1')).toBeNull();
      const ticket = await cache.begin(['orders', 'customers']);
      expect(await cache.set('q1', 'rows', { ttlSeconds: 30, tags: ['orders', 'customers'], ticket })).toBe(
        true,
      );
      expect((await cache.get('q1'))?.toString()).toBe('rows');
      expect(await cache.invalidateTags(['orders'])).toBe(1);
      expect(await cache.get('q1')).toBeNull();
    });

    it('drops a tag of thousands of entries in batches', async () => {
      const cache = cacheOn('large');
      for (let i = 0; i < 1200; i += 100)
        await Promise.all(
          Array.from({ length: 100 }, (_, j) =>
            cache.set(`q${i + j}`, 'v', { ttlSeconds: 60, tags: ['big'] }),
          ),
        );
      expect(await cache.invalidateTags(['big'])).toBe(1200);
      expect((await cache.stats()).keys).toBe(0);
    });

    it('refuses a fill that an invalidation overtook (the race of docs/cache.md)', async () => {
      const filler = cacheOn('race');
      const writer = cacheOn('race');
      const ticket = await filler.begin(['orders']);
      await writer.invalidateTags(['orders']);
      expect(await filler.set('q', 'stale', { ttlSeconds: 30, tags: ['orders'], ticket })).toBe(false);
      expect(await filler.get('q')).toBeNull();
    });

    it('keeps every key of a namespace in one hash slot', async () => {
      const cache = cacheOn('slot');
      await cache.set('a', 'v', { ttlSeconds: 30, tags: ['t1', 't2'] });
      await cache.set('b', 'v', { ttlSeconds: 30, tags: ['t3'] });
      const listed = [];
      for await (const entry of cache.entries()) listed.push(entry.key);
      expect(listed).toHaveLength(2);
      expect(listed.every((k) => k.startsWith(`{${cache.namespace}}:e:`))).toBe(true);
      expect(await cache.clear()).toBe(2);
    });

    // Last: it stops a master.
    it('fails fast with CACHE_UNAVAILABLE when the master of its slot stops, and never hangs', async () => {
      const cache = cacheOn('down');
      await cache.set('k', 'v', { ttlSeconds: 30, tags: ['t'] });
      const probe = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })));
      let owner: number | undefined;
      try {
        const slot = Number(await probe.call('CLUSTER', 'KEYSLOT', `{${cache.namespace}}`));
        const slots = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
        owner = slots.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
      } finally {
        probe.disconnect();
      }
      expect(owner).toBeDefined();
      await stopServer(owner as number);
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => cache.get('k')));
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        if (outcome.status === 'rejected')
          expect(outcome.reason).toMatchObject({ code: 'CACHE_UNAVAILABLE' });
      }
    });
  },
);
