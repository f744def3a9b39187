import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from 'ioredis';

/** A real Redis Cluster of the machine's redis-server, started by `startRedisCluster`. */
export interface RedisCluster {
  /** `redis+cluster://127.0.0.1:<port>,...`, as aishell takes it. */
  readonly url: string;
  readonly ports: readonly number[];
  /** The port of the master that serves the hash slot of `key` (a hash tag such as `{ns}` counts alone). */
  masterOf(key: string): Promise<number>;
  /** Kills the server on `port` (SIGKILL: as a crash or a vanished host would). */
  stop(port: number): Promise<void>;
  /** Kills every server and removes the temporary folder. A second call is harmless. */
  close(): Promise<void>;
}

/** Whether the machine has redis-server and redis-cli (the cluster tests skip without them, unless CI=true). */
export function redisClusterAvailable(): boolean {
  return (
    spawnSync('redis-server', ['--version']).status === 0 &&
    spawnSync('redis-cli', ['--version']).status === 0
  );
}

/**
 * Starts `masters` redis-server processes with cluster-enabled on free loopback ports (the bus port, +10000,
 * free too) in a temporary folder, and joins them with `redis-cli --cluster create ... --cluster-replicas 0
 * --cluster-yes`; resolves once every node reports cluster_state:ok.
 */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-cluster-'));
  const servers = new Map<number, ChildProcess>();
  const stop = async (port: number): Promise<void> => {
    const child = servers.get(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const close = async (): Promise<void> => {
    for (const port of servers.keys()) await stop(port);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    while (ports.length < masters) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    for (const port of ports) {
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
    for (const port of ports) {
      for (let i = 0; i < 100 && !(await reachable(port)); i++) await sleep(50);
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
    return {
      url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
      ports,
      async masterOf(key) {
        const probe = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })));
        try {
          const slot = Number(await probe.call('CLUSTER', 'KEYSLOT', key));
          const slots = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
          const owner = slots.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
          if (owner === undefined) throw new Error(`no master serves slot ${slot}`);
          return owner;
        } finally {
          probe.disconnect();
        }
      },
      stop,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

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

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
