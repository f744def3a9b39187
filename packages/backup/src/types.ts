/** The engines a backup is taken from, spelled as @aishell/pool's dialect names. */
export type BackupEngine = 'postgres' | 'mysql' | 'sqlite' | 'pglite';

/** Every engine, in a stable order. */
export const BACKUP_ENGINES: readonly BackupEngine[] = ['postgres', 'mysql', 'sqlite', 'pglite'];

/**
 * What an archive holds, which decides how it is restored:
 * `pg_dump-custom` (pg_dump -Fc, restored with pg_restore), `sql` (mariadb-dump/mysqldump output, fed to
 * the mariadb/mysql client), `sqlite` (a database file written by VACUUM INTO), `pglite-datadir` (a
 * gzipped tarball of PGlite's data folder, from its own dumpDataDir).
 */
export type BackupFormat = 'pg_dump-custom' | 'sql' | 'sqlite' | 'pglite-datadir';

/** A table and its row count when the backup was taken. */
export interface BackupTable {
  /** `schema.table` on PostgreSQL and PGlite, the table's name on MySQL/MariaDB and SQLite. */
  readonly name: string;
  readonly rows: number;
}

/** One backup in the catalog (`backup list --json`'s entries, `backup create --json`'s document). */
export interface BackupEntry {
  /** `<database>-<UTC time>-<4 hex digits>`, e.g. `shop-20260114T031500Z-9f3a`: unique, sortable, a file name. */
  readonly id: string;
  /** The archive, absolute. */
  readonly path: string;
  readonly engine: BackupEngine;
  readonly format: BackupFormat;
  /** The server's version as it reports it (`15.20`, `10.11.19-MariaDB`, SQLite's `3.46.1`). */
  readonly serverVersion: string;
  /** The database backed up (a file's or folder's base name for SQLite and PGlite). */
  readonly database: string;
  /** The connection it was taken from: a saved name, or the URL without its password. */
  readonly connection: string;
  readonly sizeBytes: number;
  /** Hex sha256 of the archive's bytes, computed while they were written. */
  readonly sha256: string;
  /** ISO 8601, UTC, when the dump started. */
  readonly createdAt: string;
  readonly durationMs: number;
  /** `pg_dump`, `mariadb-dump`, `mysqldump`, `VACUUM INTO`, `PGlite dumpDataDir`. */
  readonly tool: string;
  readonly toolVersion: string;
  /** Every table with its row count at backup time, sorted by name. */
  readonly tables: readonly BackupTable[];
  /** The daemon job that took it, if a job did. */
  readonly job?: string;
}

/** Where a tool connects: @aishell/pool's ConnectionConfig, structurally (the password non-enumerable there). */
export interface BackupConnection {
  readonly dialect: BackupEngine;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly database?: string;
  /** SQLite file or PGlite folder. */
  readonly path?: string;
  /** The URL's query parameters (`sslmode`, `sslrootcert`, ...). */
  readonly params: Readonly<Record<string, string>>;
  readonly password?: string;
}

/** What a long operation reports as it goes (for a progress line on a terminal). */
export interface BackupProgress {
  readonly phase: 'counting' | 'dumping' | 'checksum' | 'restoring' | 'comparing';
  /** Bytes written (dumping) or read (checksum, restoring) so far. */
  readonly bytes: number;
  /** Tables whose data the tool has finished, when the tool says so (pg_dump, pg_restore, mariadb-dump). */
  readonly tablesDone: number;
  readonly tablesTotal: number;
}

/** Runs one query and resolves with its rows (as engine hands it in, backed by a pool). */
export type BackupRun = (
  sql: string,
  params?: readonly unknown[],
) => Promise<{ readonly rows: readonly Record<string, unknown>[] }>;
