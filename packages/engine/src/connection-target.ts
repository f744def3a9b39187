import { type AishellConfig, savedConnection } from './config.js';
import { UnknownConnectionError } from './errors.js';
import type { AishellPaths } from './paths.js';

/** Where the connection came from, in the order PRODUCT.md resolves it. */
export type ConnectionSource = 'flag' | 'AISHELL_CONNECTION' | 'DATABASE_URL' | 'config' | 'libpq' | 'demo';

/** libpq variables that name a server: with one of them set, aishell talks to PostgreSQL as psql would. */
export const LIBPQ_TARGET_VARIABLES = ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGSERVICE'] as const;

/** A resolved connection: a URL (possibly still holding a `vault:<entry>` password) and how it was found. */
export interface ConnectionTarget {
  /** The saved connection's name, `demo`, or null for a URL given directly. */
  readonly name: string | null;
  readonly url: string;
  readonly source: ConnectionSource;
  readonly isDemo: boolean;
  /** Vault entry that holds the password of a saved connection. */
  readonly passwordEntry?: string;
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:/i;

/** The URL of the embedded demo database. */
export function demoUrl(paths: AishellPaths): string {
  return `pglite://${paths.demoDir}`;
}

/**
 * Resolve `-c <name|url>`: explicit value, then AISHELL_CONNECTION, then DATABASE_URL, then the config's
 * default, then PostgreSQL from libpq variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGSERVICE), then the
 * embedded demo.
 */
export function resolveConnectionTarget(
  explicit: string | undefined,
  context: { env: NodeJS.ProcessEnv; config: AishellConfig; paths: AishellPaths },
): ConnectionTarget {
  const { env, config, paths } = context;
  const pick = (): { value: string; source: ConnectionSource } => {
    if (explicit) return { value: explicit, source: 'flag' };
    if (env.AISHELL_CONNECTION) return { value: env.AISHELL_CONNECTION, source: 'AISHELL_CONNECTION' };
    if (env.DATABASE_URL) return { value: env.DATABASE_URL, source: 'DATABASE_URL' };
    if (config.defaultConnection) return { value: config.defaultConnection, source: 'config' };
    // The URL holds nothing: the pool fills host, port, user, database and password from the variables.
    if (LIBPQ_TARGET_VARIABLES.some((name) => env[name])) return { value: 'postgres://', source: 'libpq' };
    return { value: 'demo', source: 'demo' };
  };
  const { value, source } = pick();
  const saved = savedConnection(config, value);
  if (saved) {
    return {
      name: value,
      url: saved.url,
      source,
      isDemo: false,
      ...(saved.passwordEntry ? { passwordEntry: saved.passwordEntry } : {}),
    };
  }
  if (value === 'demo') return { name: 'demo', url: demoUrl(paths), source, isDemo: true };
  if (URL_LIKE.test(value)) return { name: null, url: value, source, isDemo: false };
  throw new UnknownConnectionError(value);
}
