import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { type AishellConfig, parseConnectionUrl } from '@aishell/engine';
import { DaemonConfigError, DaemonConnectionNotAllowedError, DaemonNoSuchDatabaseError } from './errors.js';

/** Replaces the config's `daemon.allowUrls`: URL prefixes separated by white space. */
export const DAEMON_ALLOW_URLS_ENV = 'AISHELL_DAEMON_ALLOW_URLS';
/** Replaces the config's `daemon.allowFolders`: absolute folders separated by `path.delimiter` (`:`), as PATH. */
export const DAEMON_ALLOW_FOLDERS_ENV = 'AISHELL_DAEMON_ALLOW_FOLDERS';

/** What the daemon may open besides saved connections and `demo` (config.json's `daemon` section). */
export interface ConnectionAllowlist {
  /**
   * Network URL prefixes without a password: `postgres://db.internal:5432/` allows every database and user
   * on that host and port, `postgres://app@db.internal/shop?sslmode=require` only user `app`, database
   * `shop`, over TLS. `sqlite::memory:` and `pglite::memory:` allow in-memory databases.
   * @default []
   */
  readonly allowUrls: readonly string[];
  /** Folders whose existing SQLite files and PGlite databases may be opened (symlinks resolved). @default [] */
  readonly allowFolders: readonly string[];
}

/** The allowlist: each list from its environment variable if set, else the config's `daemon` section, else empty. */
export function allowlistFrom(env: NodeJS.ProcessEnv, config: AishellConfig): ConnectionAllowlist {
  const urls = env[DAEMON_ALLOW_URLS_ENV];
  const folders = env[DAEMON_ALLOW_FOLDERS_ENV];
  return {
    allowUrls:
      urls === undefined ? (config.daemon?.allowUrls ?? []) : urls.split(/\s+/).filter((u) => u !== ''),
    allowFolders:
      folders === undefined
        ? (config.daemon?.allowFolders ?? [])
        : folders.split(path.delimiter).filter((f) => f.trim() !== ''),
  };
}

type ParsedUrl = ReturnType<typeof parseConnectionUrl>;

/** One parsed `allowUrls` entry: what a URL must match, part by part. */
interface AllowedUrl {
  readonly dialect: ParsedUrl['dialect'];
  /** An in-memory entry (`sqlite::memory:`, `pglite::memory:`). */
  readonly memory: boolean;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly user: string | undefined;
  readonly database: string | undefined;
  readonly params: Readonly<Record<string, string>>;
}

const DEFAULT_PORT: Partial<Record<ParsedUrl['dialect'], number>> = { postgres: 5432, mysql: 3306 };

function portOf(config: { dialect: ParsedUrl['dialect']; port?: number | undefined }): number | undefined {
  return config.port ?? DEFAULT_PORT[config.dialect];
}

function parseAllowedUrl(entry: string, where: string): AllowedUrl {
  let parsed: ParsedUrl;
  try {
    // No environment: an entry means what it says, not what PGHOST makes of it.
    parsed = parseConnectionUrl(entry, { env: {} });
  } catch (cause) {
    throw new DaemonConfigError(`${where}: ${(cause as Error).message}`, { cause });
  }
  if (parsed.password !== undefined) {
    throw new DaemonConfigError(`${where} holds a password: allowUrls entries are prefixes without secrets`);
  }
  const file = parsed.dialect === 'sqlite' || parsed.dialect === 'pglite';
  if (file && parsed.path !== ':memory:') {
    throw new DaemonConfigError(
      `${where} names a ${parsed.dialect}: file: list its folder in daemon.allowFolders instead`,
    );
  }
  if (!file && parsed.host === undefined) throw new DaemonConfigError(`${where} names no host`);
  return {
    dialect: parsed.dialect,
    memory: file,
    host: parsed.host?.toLowerCase(),
    port: file ? undefined : portOf(parsed),
    user: parsed.user,
    database: parsed.database,
    params: parsed.params,
  };
}

function matches(allowed: AllowedUrl, url: ParsedUrl): boolean {
  if (allowed.dialect !== url.dialect) return false;
  if (allowed.memory) return url.path === ':memory:';
  // The effective destination, as the driver will connect to it (libpq variables and ?host= applied).
  if (url.host === undefined || url.host.toLowerCase() !== allowed.host) return false;
  if (portOf(url) !== allowed.port) return false;
  if (allowed.user !== undefined && url.user !== allowed.user) return false;
  if (allowed.database !== undefined && url.database !== allowed.database) return false;
  return Object.entries(allowed.params).every(([key, value]) => url.params[key] === value);
}

/** `inner` is `outer` or lies below it (both real, absolute paths). */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : `${outer}${path.sep}`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** The URL of `realPath` in `scheme`, its parts percent-encoded so the pool decodes exactly that path back. */
function fileUrl(scheme: 'sqlite' | 'pglite', realPath: string, params: Record<string, string>): string {
  const encoded = realPath.split(path.sep).map(encodeURIComponent).join('/');
  const query = new URLSearchParams(params).toString();
  return `${scheme}://${encoded}${query ? `?${query}` : ''}`;
}

/**
 * Decides which URLs a daemon request may open: network URLs under an `allowUrls` prefix (compared part
 * by part after parsing: scheme, effective host, port, user, database, parameters; never the password),
 * and existing SQLite files or PGlite databases whose real path lies inside an `allowFolders` folder.
 * Saved connections and `demo` are not asked about: the daemon serves them always.
 */
export class ConnectionPolicy {
  readonly #urls: readonly AllowedUrl[];
  readonly #folders: readonly string[];
  readonly #env: NodeJS.ProcessEnv;

  /** @throws DaemonConfigError for an entry that is not a URL prefix or an absolute folder */
  constructor(allowlist: ConnectionAllowlist, options: { env: NodeJS.ProcessEnv }) {
    this.#urls = allowlist.allowUrls.map((entry, i) => parseAllowedUrl(entry, `daemon.allowUrls[${i}]`));
    for (const [i, folder] of allowlist.allowFolders.entries()) {
      if (!path.isAbsolute(folder))
        throw new DaemonConfigError(`daemon.allowFolders[${i}] is not an absolute path: ${folder}`);
    }
    this.#folders = allowlist.allowFolders.map((folder) => path.resolve(folder));
    this.#env = options.env;
  }

  /**
   * The URL to open for `url`, or a refusal. A file URL comes back naming the file's real path, and a
   * SQLite one with `mode=rw` unless `mode=ro`, so the driver can neither follow a symlink swapped in
   * afterwards nor create a file.
   * @throws DaemonConnectionNotAllowedError (one message whatever the reason), DaemonNoSuchDatabaseError
   *   for a missing database inside an allowed folder, POOL_URL for a malformed URL
   */
  async admit(url: string): Promise<string> {
    const parsed = parseConnectionUrl(url, { env: this.#env });
    if (parsed.dialect !== 'sqlite' && parsed.dialect !== 'pglite') {
      if (this.#urls.some((allowed) => matches(allowed, parsed))) return url;
      throw new DaemonConnectionNotAllowedError();
    }
    if (parsed.path === undefined || parsed.path === ':memory:') {
      if (this.#urls.some((allowed) => matches(allowed, parsed))) return url;
      throw new DaemonConnectionNotAllowedError();
    }
    const real = await this.#realInside(parsed.path);
    if (real === undefined) throw new DaemonConnectionNotAllowedError();
    if (parsed.dialect === 'sqlite') {
      if (!real.exists || !(await stat(real.path)).isFile())
        throw new DaemonNoSuchDatabaseError('sqlite', real.path);
      const mode = parsed.params.mode === 'ro' ? 'ro' : 'rw';
      return fileUrl('sqlite', real.path, { ...parsed.params, mode });
    }
    // A folder without PG_VERSION is no database yet: PGlite would create one in it.
    if (!real.exists || !(await exists(path.join(real.path, 'PG_VERSION'))))
      throw new DaemonNoSuchDatabaseError('pglite', real.path);
    return fileUrl('pglite', real.path, { ...parsed.params });
  }

  /**
   * The real path of `file` if it lies inside an allowed folder; `exists: false` when it does not exist
   * but would lie inside one. Undefined otherwise, the same whether or not `file` exists.
   */
  async #realInside(file: string): Promise<{ path: string; exists: boolean } | undefined> {
    const folders = (
      await Promise.all(this.#folders.map((folder) => realpath(folder).catch(() => undefined)))
    ).filter((folder): folder is string => folder !== undefined);
    if (folders.length === 0) return undefined;
    const inside = (candidate: string): boolean => folders.some((folder) => within(candidate, folder));
    try {
      const real = await realpath(file);
      return inside(real) ? { path: real, exists: true } : undefined;
    } catch {
      // Missing (or unreadable). Where it would be is known only without `..`, which may cross a symlink.
      if (file.split(path.sep).some((part) => part === '..' || part === '.')) return undefined;
      let ancestor = path.dirname(file);
      const rest = [path.basename(file)];
      for (;;) {
        try {
          const where = path.join(await realpath(ancestor), ...rest);
          return inside(where) ? { path: where, exists: false } : undefined;
        } catch {
          const up = path.dirname(ancestor);
          if (up === ancestor) return undefined;
          rest.unshift(path.basename(ancestor));
          ancestor = up;
        }
      }
    }
  }
}
