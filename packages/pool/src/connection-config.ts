/** The engines @aishell/pool connects to. */
export type DialectName = 'postgres' | 'mysql' | 'sqlite' | 'pglite';

/** The SQL dialect an engine speaks (PGlite speaks PostgreSQL). */
export type SqlDialect = 'postgres' | 'mysql' | 'sqlite';

/**
 * A parsed connection URL. `password` is non-enumerable (as in pg) so that logging or
 * JSON-serialising a config never prints it.
 */
export interface ConnectionConfig {
  readonly dialect: DialectName;
  readonly sqlDialect: SqlDialect;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly database?: string;
  /** SQLite file or PGlite directory (absolute), or `':memory:'`. */
  readonly path?: string;
  /** Query parameters of the URL, e.g. `sslmode`. */
  readonly params: Readonly<Record<string, string>>;
  /** Non-enumerable. */
  readonly password?: string;
}
