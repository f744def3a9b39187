// One archive of one database, written under a partial name that the caller renames when it is
// complete. On failure or abort the partial file is removed (at once, synchronously, on abort: a CLI
// exits right after Ctrl-C).
import { rmSync } from 'node:fs';
import { abortedError, BackupError } from './errors.js';
import { withOptionFile } from './option-file.js';
import { dumpPglite } from './pglite-archive.js';
import { runTool } from './run-tool.js';
import { sha256File } from './sha256-file.js';
import { mysqlDumpArgs, mysqlToolEnv, pgDumpArgs, pgToolEnv } from './tool-args.js';
import { tableDoneReader } from './tool-progress.js';
import {
  type BackupTool,
  checkMysqlToolVersion,
  checkPgToolVersion,
  locateTool,
  parseMysqlServerVersion,
} from './tool-version.js';
import type { BackupConnection, BackupEngine, BackupFormat, BackupProgress, BackupRun } from './types.js';

/** The format each engine's backups take. */
export const BACKUP_FORMAT: Readonly<Record<BackupEngine, BackupFormat>> = {
  postgres: 'pg_dump-custom',
  mysql: 'sql',
  sqlite: 'sqlite',
  pglite: 'pglite-datadir',
};

/** What will write the archive, found and checked before anything starts. */
export interface DumpTool {
  /** `pg_dump`, `mariadb-dump`, `mysqldump`, `VACUUM INTO`, `PGlite dumpDataDir`. */
  readonly tool: string;
  /** The program, for the external tools. */
  readonly file?: string;
  readonly toolVersion: string;
}

export interface DumpToolOptions {
  /** As the server reports it: `15.20`, `10.11.19-MariaDB-0+deb12u1`, SQLite's `3.46.1`. */
  readonly serverVersion: string;
  /** PostgreSQL's `server_version_num`. */
  readonly serverVersionNum?: number;
  /** A folder searched before PATH (AISHELL_BACKUP_BIN). */
  readonly binDir?: string;
  /** @default process.env (its PATH) */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Finds the tool for `engine` and checks that it is not older than the server: pg_dump for PostgreSQL;
 * for MySQL/MariaDB the server's own family's first (mariadb-dump then mysqldump on MariaDB, mysqldump
 * then mariadb-dump on MySQL).
 * @throws BackupError BACKUP_TOOL_MISSING, BACKUP_TOOL_TOO_OLD (with what to install)
 */
export async function dumpTool(engine: BackupEngine, options: DumpToolOptions): Promise<DumpTool> {
  const env = options.env ?? process.env;
  const where = {
    ...(options.binDir ? { binDir: options.binDir } : {}),
    ...(env.PATH ? { path: env.PATH } : {}),
  };
  switch (engine) {
    case 'postgres': {
      const found = await locateTool(['pg_dump'], where);
      checkPgToolVersion('pg_dump', found.version, options.serverVersionNum ?? 0);
      return { tool: found.tool, file: found.file, toolVersion: found.version.version };
    }
    case 'mysql': {
      const flavor = parseMysqlServerVersion(options.serverVersion).flavor;
      const order: BackupTool[] =
        flavor === 'mariadb' ? ['mariadb-dump', 'mysqldump'] : ['mysqldump', 'mariadb-dump'];
      const found = await locateTool(order, where);
      checkMysqlToolVersion(found.tool, found.version, options.serverVersion);
      return { tool: found.tool, file: found.file, toolVersion: found.version.version };
    }
    case 'sqlite':
      return { tool: 'VACUUM INTO', toolVersion: options.serverVersion };
    case 'pglite':
      return { tool: 'PGlite dumpDataDir', toolVersion: options.serverVersion };
  }
}

export interface DumpOptions {
  readonly connection: BackupConnection;
  /** The partial archive to write (must not exist); removed on failure or abort. */
  readonly file: string;
  /** From `dumpTool`. */
  readonly tool: DumpTool;
  /** PostgreSQL: an exported snapshot (pg_export_snapshot()) the dump reads, held open by the caller. */
  readonly snapshot?: string;
  /** SQLite: runs `VACUUM INTO` on the source (the caller's pool). */
  readonly run?: BackupRun;
  /** Tables in the database, for progress. @default 0 */
  readonly tablesTotal?: number;
  /** The environment the tool inherits (without libpq's connection variables and MYSQL_PWD). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
}

/** What `dumpDatabase` wrote. */
export interface DumpResult {
  readonly format: BackupFormat;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * Writes one archive of the connection's database to `file`: pg_dump's custom format, mariadb-dump or
 * mysqldump's SQL, SQLite's VACUUM INTO (a consistent copy made by SQLite itself, as the online backup
 * API makes one), or PGlite's data-folder tarball. The sha256 is computed as the bytes are written.
 * @throws BackupError BACKUP_TOOL_FAILED (the tool's last words), BACKUP_ABORTED
 */
export async function dumpDatabase(options: DumpOptions): Promise<DumpResult> {
  const { connection, file, signal } = options;
  const format = BACKUP_FORMAT[connection.dialect];
  const removePartial = () => rmSync(file, { force: true, recursive: true });
  signal?.addEventListener('abort', removePartial, { once: true });
  const total = options.tablesTotal ?? 0;
  let tablesDone = 0;
  let bytes = 0;
  const report = () => options.onProgress?.({ phase: 'dumping', bytes, tablesDone, tablesTotal: total });
  try {
    if (signal?.aborted) throw abortedError(signal, 'the backup');
    let written: { sha256: string; bytes: number };
    switch (connection.dialect) {
      case 'postgres':
      case 'mysql': {
        const { tool } = options;
        if (!tool.file) throw new BackupError('BACKUP_TOOL_MISSING', `${tool.tool} was not located`);
        const done = tableDoneReader(tool.tool);
        const onStderrLine = (line: string) => {
          if (!done(line)) return;
          tablesDone++;
          report();
        };
        const onBytes = (n: number) => {
          bytes = n;
          report();
        };
        const common = {
          file: tool.file,
          name: tool.tool,
          stdoutFile: file,
          onStderrLine,
          onBytes,
          ...(signal ? { signal } : {}),
        };
        written =
          connection.dialect === 'postgres'
            ? await runTool({
                ...common,
                args: pgDumpArgs(connection, options.snapshot ? { snapshot: options.snapshot } : {}),
                env: pgToolEnv(connection, options.env),
              })
            : await withOptionFile(
                connection.password,
                (optionFile) =>
                  runTool({
                    ...common,
                    args: mysqlDumpArgs(connection, optionFile),
                    env: mysqlToolEnv(options.env),
                  }),
                signal ? { signal } : {},
              );
        break;
      }
      case 'sqlite': {
        if (!options.run)
          throw new BackupError('BACKUP_BAD_OPTION', 'a SQLite backup needs the source connection (run)');
        if (!connection.path || connection.path === ':memory:')
          throw new BackupError(
            'BACKUP_BAD_OPTION',
            'an in-memory SQLite database cannot be backed up: it has no file',
          );
        report();
        await options.run(`VACUUM INTO '${file.replace(/'/g, "''")}'`);
        written = await sha256File(file, signal ? { signal } : {});
        break;
      }
      case 'pglite': {
        if (!connection.path || connection.path === ':memory:')
          throw new BackupError(
            'BACKUP_BAD_OPTION',
            'an in-memory PGlite database cannot be backed up: it has no folder',
          );
        report();
        written = await dumpPglite(connection.path, file);
        break;
      }
    }
    if (signal?.aborted) throw abortedError(signal, 'the backup');
    bytes = written.bytes;
    tablesDone = total;
    report();
    return { format, sha256: written.sha256, sizeBytes: written.bytes };
  } catch (error) {
    removePartial();
    if (signal?.aborted) throw abortedError(signal, 'the backup');
    if (error instanceof BackupError) throw error;
    throw new BackupError('BACKUP_TOOL_FAILED', `the backup failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    signal?.removeEventListener('abort', removePartial);
  }
}
