// The argv and environment of each tool. Connection details go where no process listing shows the
// password: PostgreSQL's through libpq's environment (PGPASSWORD among them), MySQL's password through a
// 0600 option file (option-file.ts). Argv holds flags, host names and database names only.
import type { BackupConnection } from './types.js';

/** libpq's environment variable for each URL parameter a PostgreSQL connection may carry. */
const LIBPQ_PARAMS: Readonly<Record<string, string>> = {
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslcrl: 'PGSSLCRL',
  application_name: 'PGAPPNAME',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  options: 'PGOPTIONS',
  target_session_attrs: 'PGTARGETSESSIONATTRS',
  channel_binding: 'PGCHANNELBINDING',
  gssencmode: 'PGGSSENCMODE',
};

/** Inherited libpq variables a tool keeps: where .pgpass and the service file are, not what to connect to. */
const KEPT_LIBPQ = new Set(['PGPASSFILE', 'PGSERVICEFILE', 'PGSYSCONFDIR', 'PGSSLKEYLOGFILE']);

/**
 * The environment of pg_dump/pg_restore for `connection`: the parent's, without libpq variables that
 * could point elsewhere, plus the connection's host, port, user and password (PGPASSWORD) and its TLS
 * parameters. Without a password libpq falls back to ~/.pgpass, as psql does.
 */
export function pgToolEnv(
  connection: BackupConnection,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (/^PG[A-Z_]+$/.test(key) && !KEPT_LIBPQ.has(key)) continue;
    env[key] = value;
  }
  if (connection.host) env.PGHOST = connection.host;
  if (connection.port) env.PGPORT = String(connection.port);
  if (connection.user) env.PGUSER = connection.user;
  if (connection.password !== undefined) env.PGPASSWORD = connection.password;
  env.PGAPPNAME = 'aishell-backup';
  for (const [param, value] of Object.entries(connection.params)) {
    const name = LIBPQ_PARAMS[param];
    if (name) env[name] = value;
  }
  return env;
}

/** `--dbname` as a conninfo string, so that a database name holding `=` or starting with `postgres://` stays a name. */
export function pgDbnameArg(database: string): string {
  return `--dbname=dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * pg_dump's argv: the custom format (one compressed file that pg_restore can reorder, filter and restore
 * in parallel), to stdout, verbose (each table's data announced on stderr), never prompting. `--jobs`
 * needs the directory format and is not used: the archive stays one file, streamed and hashed as written.
 * `snapshot`: an exported snapshot (pg_export_snapshot()), so the dump sees what the row counts saw.
 */
export function pgDumpArgs(connection: BackupConnection, options: { snapshot?: string } = {}): string[] {
  return [
    '--format=custom',
    '--verbose',
    '--no-password',
    ...(options.snapshot ? [`--snapshot=${options.snapshot}`] : []),
    pgDbnameArg(connection.database ?? 'postgres'),
  ];
}

export interface PgRestoreArgOptions {
  /** Parallel jobs (custom-format archives allow it). @default 1 */
  readonly jobs?: number;
  /** Drop the archive's objects before creating them (`--clean --if-exists`): a confirmed restore over tables. */
  readonly clean?: boolean;
  /**
   * `--no-owner --no-privileges`: objects belong to the restoring user (a scratch server may lack the
   * source's roles). @default false
   */
  readonly noOwner?: boolean;
}

/** pg_restore's argv: into `database`, stopping at the first error, verbose (each table's data announced). */
export function pgRestoreArgs(
  database: string,
  archive: string,
  options: PgRestoreArgOptions = {},
): string[] {
  return [
    '--verbose',
    '--no-password',
    '--exit-on-error',
    ...(options.jobs && options.jobs > 1 ? [`--jobs=${options.jobs}`] : []),
    ...(options.clean ? ['--clean', '--if-exists'] : []),
    ...(options.noOwner ? ['--no-owner', '--no-privileges'] : []),
    pgDbnameArg(database),
    archive,
  ];
}

/** The parent's environment without MYSQL_PWD: the option file carries the password. */
export function mysqlToolEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && key !== 'MYSQL_PWD') env[key] = value;
  }
  return env;
}

/** Host, port and user: `--defaults-extra-file` first, as MySQL's clients require. */
function mysqlConnectionArgs(connection: BackupConnection, optionFile: string | undefined): string[] {
  return [
    ...(optionFile ? [`--defaults-extra-file=${optionFile}`] : []),
    ...(connection.host ? [`--host=${connection.host}`] : []),
    ...(connection.port ? [`--port=${connection.port}`] : []),
    ...(connection.user ? [`--user=${connection.user}`] : []),
  ];
}

/**
 * mariadb-dump/mysqldump's argv: one consistent InnoDB snapshot (`--single-transaction`, no table locks),
 * routines, triggers and events, binary columns as hex (the dump stays text), without `--databases` (the
 * dump holds no CREATE DATABASE or USE, so it restores into any database: the scratch of `verify`).
 */
export function mysqlDumpArgs(connection: BackupConnection, optionFile: string | undefined): string[] {
  return [
    ...mysqlConnectionArgs(connection, optionFile),
    '--single-transaction',
    '--routines',
    '--triggers',
    '--events',
    '--hex-blob',
    '--default-character-set=utf8mb4',
    '--verbose',
    '--',
    connection.database ?? '',
  ];
}

/** The mariadb/mysql client's argv to run a dump (its stdin) into `database`. */
export function mysqlClientArgs(
  connection: BackupConnection,
  database: string,
  optionFile: string | undefined,
): string[] {
  return [
    ...mysqlConnectionArgs(connection, optionFile),
    '--default-character-set=utf8mb4',
    `--database=${database}`,
  ];
}
