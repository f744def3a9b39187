import { isAbsolute, resolve } from 'node:path';
import type { ConnectionConfig, DialectName, SqlDialect } from './connection-config.js';
import { pgService } from './dialect/postgres/pg-service.js';
import { ConnectionUrlError } from './errors.js';
import { redactUrl } from './redact-url.js';

const SCHEMES: Readonly<Record<string, DialectName>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  pglite: 'pglite',
};

const SQL_DIALECT: Readonly<Record<DialectName, SqlDialect>> = {
  postgres: 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
  pglite: 'postgres',
};

export interface ParseConnectionUrlOptions {
  /** Environment for libpq variables and `MYSQL_PWD`. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Base of relative SQLite/PGlite paths. @default process.cwd() */
  cwd?: string;
}

interface Draft {
  host?: string | undefined;
  port?: number | undefined;
  user?: string | undefined;
  database?: string | undefined;
  path?: string | undefined;
  password?: string | undefined;
  params: Record<string, string>;
}

/**
 * Parses a connection URL of PRODUCT.md into a frozen {@link ConnectionConfig}.
 * libpq variables fill what a PostgreSQL URL leaves out (as psql does); `MYSQL_PWD` gives a MySQL
 * password. Saved connection names and `demo` are resolved by the engine, not here.
 * @throws ConnectionUrlError (`POOL_URL`) naming the bad part; the message never holds the password.
 * @example parseConnectionUrl('postgres://ann@db.local:5433/shop?sslmode=require')
 */
export function parseConnectionUrl(url: string, opts: ParseConnectionUrlOptions = {}): ConnectionConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const shown = redactUrl(url);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new ConnectionUrlError(
      'scheme',
      `connection URL has no scheme (expected postgres://, mysql://, sqlite:, pglite:): ${shown}`,
    );
  }
  const dialect = SCHEMES[scheme];
  if (dialect === undefined) {
    throw new ConnectionUrlError('scheme', `unknown scheme "${scheme}:" in connection URL ${shown}`);
  }
  const draft =
    dialect === 'sqlite' || dialect === 'pglite'
      ? parseFileUrl(url, scheme, shown, cwd)
      : parseServerUrl(url, dialect, shown);
  if (dialect === 'postgres') applyLibpqEnv(draft, env);
  if (dialect === 'mysql' && draft.password === undefined && env.MYSQL_PWD) draft.password = env.MYSQL_PWD;
  return freezeConfig(dialect, draft);
}

function parseServerUrl(url: string, dialect: DialectName, shown: string): Draft {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // No `cause`: Node's "Invalid URL" error carries the raw input, password included.
    const part = diagnose(url);
    throw new ConnectionUrlError(part, `malformed ${part} in connection URL ${shown}`);
  }
  const draft: Draft = { params: {} };
  for (const [key, value] of parsed.searchParams) draft.params[key] = value;
  draft.host = nonEmpty(decodePart(parsed.hostname, 'host', shown).replace(/^\[(.*)\]$/, '$1'));
  if (parsed.port !== '') draft.port = Number(parsed.port);
  draft.user = nonEmpty(decodePart(parsed.username, 'user', shown));
  if (parsed.password !== '') draft.password = decodePart(parsed.password, 'password', shown);
  const db = decodePart(parsed.pathname.replace(/^\//, ''), 'database', shown);
  if (db.includes('/')) {
    throw new ConnectionUrlError('database', `database name may not contain "/" in connection URL ${shown}`);
  }
  draft.database = nonEmpty(db);
  // libpq allows ?host=/var/run/postgresql for a Unix socket and ?user=, ?dbname=, ?port=
  const q = draft.params;
  if (q.host !== undefined && draft.host === undefined) draft.host = q.host;
  if (q.user !== undefined && draft.user === undefined) draft.user = q.user;
  const dbParam = q.dbname ?? q.database;
  if (dbParam !== undefined && draft.database === undefined) draft.database = dbParam;
  if (q.port !== undefined && draft.port === undefined) draft.port = portOf(q.port, shown);
  if (q.password !== undefined && draft.password === undefined) draft.password = q.password;
  delete q.password;
  if (dialect === 'mysql' && draft.port === undefined) draft.port = 3306;
  return draft;
}

function parseFileUrl(url: string, scheme: string, shown: string, cwd: string): Draft {
  let rest = url.slice(scheme.length + 1);
  const draft: Draft = { params: {} };
  const q = rest.indexOf('?');
  if (q !== -1) {
    for (const [key, value] of new URLSearchParams(rest.slice(q + 1))) draft.params[key] = value;
    rest = rest.slice(0, q);
  }
  if (rest === ':memory:' || rest === '//:memory:' || rest === '///:memory:') {
    draft.path = ':memory:';
    return draft;
  }
  if (rest.startsWith('//')) {
    const authorityEnd = rest.indexOf('/', 2);
    const authority = authorityEnd === -1 ? rest.slice(2) : rest.slice(2, authorityEnd);
    if (authority !== '' && authority !== 'localhost') {
      throw new ConnectionUrlError(
        'host',
        `${scheme}: URLs take no host ("${authority.replace(/^.*@/, '')}"); use ${scheme}:///absolute/path or ${scheme}:relative/path in ${shown}`,
      );
    }
    rest = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  }
  const path = decodePart(rest, 'path', shown);
  if (path === '') throw new ConnectionUrlError('path', `${scheme}: URL has no path in ${shown}`);
  draft.path = isAbsolute(path) ? path : resolve(cwd, path);
  return draft;
}

function applyLibpqEnv(draft: Draft, env: NodeJS.ProcessEnv): void {
  // libpq's order: the URL, then the service file's entry (?service= or PGSERVICE), then the environment.
  const serviceName = draft.params.service ?? nonEmpty(env.PGSERVICE);
  if (serviceName !== undefined) {
    delete draft.params.service;
    const service = pgService(serviceName, env);
    draft.host ??= nonEmpty(service.host);
    if (draft.port === undefined && service.port) draft.port = portOf(service.port, 'the service file');
    draft.user ??= nonEmpty(service.user);
    draft.password ??= nonEmpty(service.password);
    draft.database ??= nonEmpty(service.dbname);
    if (draft.params.sslmode === undefined && service.sslmode) draft.params.sslmode = service.sslmode;
    if (draft.params.application_name === undefined && service.application_name)
      draft.params.application_name = service.application_name;
  }
  draft.host ??= nonEmpty(env.PGHOST);
  if (draft.port === undefined && env.PGPORT) draft.port = portOf(env.PGPORT, 'PGPORT');
  draft.user ??= nonEmpty(env.PGUSER);
  draft.password ??= nonEmpty(env.PGPASSWORD);
  draft.database ??= nonEmpty(env.PGDATABASE);
  if (draft.params.sslmode === undefined && env.PGSSLMODE) draft.params.sslmode = env.PGSSLMODE;
}

function freezeConfig(dialect: DialectName, draft: Draft): ConnectionConfig {
  const config: Record<string, unknown> = { dialect, sqlDialect: SQL_DIALECT[dialect] };
  for (const key of ['host', 'port', 'user', 'database', 'path'] as const) {
    if (draft[key] !== undefined) config[key] = draft[key];
  }
  config.params = Object.freeze({ ...draft.params });
  if (draft.password !== undefined) {
    Object.defineProperty(config, 'password', { value: draft.password, enumerable: false });
  }
  return Object.freeze(config) as unknown as ConnectionConfig;
}

/** Finds which part of a URL the WHATWG parser choked on, without ever quoting the password. */
function diagnose(url: string): string {
  const m = /^[^:]+:\/\/(?:(.*)@)?([^/?#]*)/.exec(url);
  if (!m) return 'url';
  const hostPort = m[2] ?? '';
  const portMatch = /:([^:\]]*)$/.exec(hostPort);
  if (portMatch && !hostPort.endsWith(']') && !/^\d{1,5}$/.test(portMatch[1] ?? '')) return 'port';
  if (portMatch && Number(portMatch[1]) > 65535) return 'port';
  if (hostPort.replace(/:\d+$/, '') === '' && m[1] !== undefined) return 'host';
  if (/[\s<>^`{|}]/.test(hostPort)) return 'host';
  return 'url';
}

function decodePart(value: string, part: string, shown: string): string {
  try {
    return decodeURIComponent(value);
  } catch (cause) {
    throw new ConnectionUrlError(
      part,
      `malformed percent-encoding in the ${part} of connection URL ${shown}`,
      {
        cause,
      },
    );
  }
}

function portOf(value: string, where: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new ConnectionUrlError('port', `invalid port "${value}" in ${where}`);
  }
  return port;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
