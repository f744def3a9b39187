// An archive restored into a database: pg_restore, the mariadb/mysql client fed the SQL dump, a SQLite
// file copied into place, a PGlite folder loaded from its tarball. The caller decides whether the target
// may hold something (countObjects) and has closed its own connections to a SQLite or PGlite target.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { abortedError, BackupError } from './errors.js';
import { withOptionFile } from './option-file.js';
import { loadPgliteArchive } from './pglite-archive.js';
import { runTool } from './run-tool.js';
import { mysqlClientArgs, mysqlToolEnv, pgRestoreArgs, pgToolEnv } from './tool-args.js';
import { tableDoneReader } from './tool-progress.js';
import {
  type BackupTool,
  checkRestoreToolVersion,
  locateTool,
  parseMysqlServerVersion,
} from './tool-version.js';
import type { BackupConnection, BackupEngine, BackupEntry, BackupFormat, BackupProgress } from './types.js';

/** The engine each format restores into. */
export const RESTORE_ENGINE: Readonly<Record<BackupFormat, BackupEngine>> = {
  'pg_dump-custom': 'postgres',
  sql: 'mysql',
  sqlite: 'sqlite',
  'pglite-datadir': 'pglite',
};

export interface RestoreOptions {
  /** The backup: its format, the tool that wrote it and its tables (for progress). */
  readonly entry: Pick<BackupEntry, 'format' | 'tool' | 'toolVersion' | 'serverVersion' | 'tables'>;
  /** The archive (already checked against the catalog's sha256). */
  readonly archive: string;
  /** Where to restore: a server database (which must exist), a SQLite file or a PGlite folder. */
  readonly target: BackupConnection;
  /**
   * PostgreSQL: `--clean --if-exists`, each object of the archive dropped before it is created; SQLite
   * and PGlite: an existing file or folder is replaced. Only for a target the person confirmed. @default false
   */
  readonly replace?: boolean;
  /** PostgreSQL: `--no-owner --no-privileges` (a scratch server may lack the source's roles). @default false */
  readonly noOwner?: boolean;
  /** PostgreSQL: pg_restore's parallel jobs. @default 1 */
  readonly jobs?: number;
  /** A folder searched before PATH (AISHELL_BACKUP_BIN). */
  readonly binDir?: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * Restores an archive into `target`.
 * @returns the tool that restored it and its version
 * @throws BackupError BACKUP_BAD_OPTION (an archive of another engine), BACKUP_TOOL_MISSING, BACKUP_TOOL_TOO_OLD, BACKUP_TOOL_FAILED, BACKUP_ABORTED
 */
export async function restoreArchive(
  options: RestoreOptions,
): Promise<{ tool: string; toolVersion: string }> {
  const { entry, target, signal } = options;
  const engine = RESTORE_ENGINE[entry.format];
  if (target.dialect !== engine)
    throw new BackupError(
      'BACKUP_BAD_OPTION',
      `a ${entry.format} archive restores into ${engine}, not into ${target.dialect}`,
      {
        hint:
          entry.format === 'pglite-datadir'
            ? 'restore the demo into a PGlite folder (pglite:///path/to/dir); to move it to a server, dump it from there with pg_dump after restoring'
            : `pass --to a ${engine} connection`,
      },
    );
  const env = options.env ?? process.env;
  const where = {
    ...(options.binDir ? { binDir: options.binDir } : {}),
    ...(env.PATH ? { path: env.PATH } : {}),
  };
  const tablesTotal = entry.tables.length;
  let tablesDone = 0;
  let bytes = 0;
  const report = () => options.onProgress?.({ phase: 'restoring', bytes, tablesDone, tablesTotal });
  const onBytes = (n: number) => {
    bytes = n;
    report();
  };
  if (signal?.aborted) throw abortedError(signal, 'the restore');
  switch (entry.format) {
    case 'pg_dump-custom': {
      const found = await locateTool(['pg_restore'], where);
      checkRestoreToolVersion(found.version, entry.toolVersion);
      const done = tableDoneReader('pg_restore');
      await runTool({
        file: found.file,
        name: 'pg_restore',
        args: pgRestoreArgs(target.database ?? 'postgres', options.archive, {
          ...(options.jobs ? { jobs: options.jobs } : {}),
          ...(options.replace ? { clean: true } : {}),
          ...(options.noOwner ? { noOwner: true } : {}),
        }),
        env: pgToolEnv(target, env),
        onStderrLine: (line) => {
          if (!done(line)) return;
          tablesDone++;
          report();
        },
        ...(signal ? { signal } : {}),
      });
      return { tool: found.tool, toolVersion: found.version.version };
    }
    case 'sql': {
      // The dump's own family's client first: a MariaDB dump opens with MariaDB's sandbox-mode line.
      const mariadb = parseMysqlServerVersion(entry.serverVersion).flavor === 'mariadb';
      const order: BackupTool[] = mariadb ? ['mariadb', 'mysql'] : ['mysql', 'mariadb'];
      const found = await locateTool(order, where);
      if (!target.database)
        throw new BackupError('BACKUP_BAD_OPTION', 'the restore target names no database');
      const database = target.database;
      await withOptionFile(
        target.password,
        (optionFile) =>
          runTool({
            file: found.file,
            name: found.tool,
            args: mysqlClientArgs(target, database, optionFile),
            env: mysqlToolEnv(env),
            stdinFile: options.archive,
            onBytes,
            ...(signal ? { signal } : {}),
          }),
        signal ? { signal } : {},
      );
      return { tool: found.tool, toolVersion: found.version.version };
    }
    case 'sqlite': {
      const file = localPath(target, 'SQLite file');
      await replaceWith(file, options.replace === true, async (temp) => {
        await copyFile(options.archive, temp);
      });
      // A journal or write-ahead log of the file that was there would be replayed into the restored one.
      for (const suffix of ['-wal', '-shm', '-journal']) await rm(`${file}${suffix}`, { force: true });
      return { tool: 'file copy', toolVersion: '' };
    }
    case 'pglite-datadir': {
      const dir = localPath(target, 'PGlite folder');
      await replaceWith(dir, options.replace === true, (temp) => loadPgliteArchive(options.archive, temp));
      return { tool: 'PGlite loadDataDir', toolVersion: '' };
    }
  }
}

function localPath(target: BackupConnection, what: string): string {
  if (!target.path || target.path === ':memory:')
    throw new BackupError('BACKUP_BAD_OPTION', `restore needs a ${what} on disk, not an in-memory database`);
  return target.path;
}

/** Whether a file or folder exists and holds something (an empty folder or file does not count). */
async function occupied(place: string): Promise<boolean> {
  try {
    const s = await stat(place);
    if (s.isDirectory()) return (await readdir(place)).length > 0;
    return s.size > 0;
  } catch {
    return false;
  }
}

/**
 * Builds the new file or folder beside `place` under a temporary name, then puts it in place: a
 * restore that fails midway leaves what was there.
 */
async function replaceWith(
  place: string,
  replace: boolean,
  build: (temp: string) => Promise<void>,
): Promise<void> {
  if (!replace && (await occupied(place)))
    throw new BackupError('BACKUP_TARGET_NOT_EMPTY', `${place} already exists`, {
      hint: 'confirm with --yes to replace it',
    });
  const tag = randomBytes(4).toString('hex');
  const temp = `${place}.aishell-restore-${tag}`;
  const old = `${place}.aishell-old-${tag}`;
  await mkdir(path.dirname(place), { recursive: true });
  try {
    await build(temp);
    if (await exists(place)) await rename(place, old);
    await rename(temp, place);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => {});
    if (!(await exists(place)) && (await exists(old))) await rename(old, place).catch(() => {});
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}

async function exists(place: string): Promise<boolean> {
  return stat(place).then(
    () => true,
    () => false,
  );
}
