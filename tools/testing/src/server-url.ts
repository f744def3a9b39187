// Real servers for integration tests: environment variable first, then this machine's local default,
// then testcontainers (for developers who have Docker). Under CI=true a missing server is an error,
// never a skip.
import net from 'node:net';

export type ServerKind = 'postgres' | 'mysql' | 'redis';

const DB = 'aishell_test';

interface ServerSpec {
  /** The environment variable that names the server. */
  env: string;
  /** This machine's default when the variable is unset. */
  local: string;
  port: number;
  /** The image testcontainers starts when nothing answers. */
  image: string;
}

const SPECS: Record<ServerKind, ServerSpec> = {
  postgres: {
    env: 'AISHELL_TEST_PG_URL',
    local: `postgres://postgres@127.0.0.1:5432/${DB}`,
    port: 5432,
    image: 'postgres:16-alpine',
  },
  mysql: {
    env: 'AISHELL_TEST_MYSQL_URL',
    local: `mysql://root@127.0.0.1:3306/${DB}`,
    port: 3306,
    image: 'mariadb:11',
  },
  redis: {
    env: 'AISHELL_TEST_REDIS_URL',
    local: 'redis://127.0.0.1:6379/15',
    port: 6379,
    image: 'redis:7-alpine',
  },
};

const resolved = new Map<ServerKind, Promise<string>>();

function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function ensureDatabase(kind: ServerKind, url: string): Promise<void> {
  const u = new URL(url);
  const db = decodeURIComponent(u.pathname.slice(1));
  if (!db) return;
  if (kind === 'postgres') {
    const { default: pg } = await import('pg');
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [db]);
      if (!rowCount)
        await client.query(`create database "${db.replaceAll('"', '""')}"`).catch((e: unknown) => {
          if ((e as { code?: unknown }).code !== '42P04') throw e;
        });
    } finally {
      await client.end();
    }
  } else if (kind === 'mysql') {
    const mysql = await import('mysql2/promise');
    const admin = new URL(url);
    admin.pathname = '/';
    const conn = await mysql.createConnection(admin.toString());
    try {
      await conn.query(`create database if not exists \`${db.replaceAll('`', '``')}\``);
    } finally {
      await conn.end();
    }
  }
}

async function fromContainer(kind: ServerKind): Promise<string> {
  const spec = SPECS[kind];
  const { GenericContainer, Wait } = await import('testcontainers');
  let container = new GenericContainer(spec.image).withExposedPorts(spec.port);
  if (kind === 'postgres')
    container = container
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: DB })
      .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2));
  if (kind === 'mysql')
    container = container
      .withEnvironment({ MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1', MARIADB_DATABASE: DB })
      .withWaitStrategy(Wait.forLogMessage(/ready for connections/, 2));
  const started = await container.start();
  const host = started.getHost();
  const port = started.getMappedPort(spec.port);
  if (kind === 'postgres') return `postgres://postgres@${host}:${port}/${DB}`;
  if (kind === 'mysql') return `mysql://root@${host}:${port}/${DB}`;
  return `redis://${host}:${port}/15`;
}

/** The URL of a real server of this kind for tests, creating the test database where needed. */
export function serverUrl(kind: ServerKind): Promise<string> {
  let p = resolved.get(kind);
  if (!p) {
    p = (async () => {
      const spec = SPECS[kind];
      const fromEnv = process.env[spec.env];
      const candidate = fromEnv || spec.local;
      const u = new URL(candidate);
      if (await reachable(u.hostname, Number(u.port) || spec.port)) {
        await ensureDatabase(kind, candidate);
        return candidate;
      }
      if (fromEnv || process.env.CI === 'true') {
        throw new Error(
          `${kind} test server at ${u.hostname}:${u.port || spec.port} does not answer (${fromEnv ? spec.env : 'local default'}); under CI=true this is a failure`,
        );
      }
      try {
        return await fromContainer(kind);
      } catch (cause) {
        throw new Error(
          `no ${kind} server: set ${spec.env}, start one locally, or run Docker for testcontainers`,
          { cause },
        );
      }
    })();
    resolved.set(kind, p);
  }
  return p;
}

export const pgUrl = (): Promise<string> => serverUrl('postgres');
export const mysqlUrl = (): Promise<string> => serverUrl('mysql');
export const redisUrl = (): Promise<string> => serverUrl('redis');
