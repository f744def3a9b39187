// `aishell backup create|list|verify|restore|prune` and aishelld's backup jobs: @aishell/backup (loaded on
// use) does the tools, the archive and the catalog; this module opens the sessions, reads what a backup
// records (server version, row counts, the schema model) in the snapshot the dump uses where the engine
// allows it, picks the scratch database a verify restores into, and compares schemas with @aishell/schema.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  BackupCatalog,
  BackupConnection,
  BackupEngine,
  BackupEntry,
  BackupProgress,
  BackupRun,
  BackupTable,
  RowCountDifference,
} from '@aishell/backup';
import type { ConnectionConfig, Queryable, SqlDialect } from '@aishell/pool';
import type { SchemaModel } from '@aishell/schema';
import { UsageError } from './errors.js';
import { type AishellPaths, resolvePaths } from './paths.js';
import { introspectOptionsLike, openScratch, type ScratchDatabase } from './scratch.js';
import type { Session } from './session.js';

type BackupModule = typeof import('@aishell/backup');

const loadBackup = (): Promise<BackupModule> => import('@aishell/backup');

/** Where the catalog is and where the tools are: shared by every backup operation. */
export interface BackupPlaceOptions {
  /** `--to <dir>` of create and list, `--dir` of the others: the catalog folder. @default paths.backupsDir */
  readonly dir?: string;
  /** @default resolvePaths(env) */
  readonly paths?: AishellPaths;
  /** The tools' environment, PATH and AISHELL_BACKUP_BIN (a folder searched first). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface BackupCreateOptions extends BackupPlaceOptions {
  /** `-c`: the connection to back up. @default the resolved default connection */
  readonly connection?: string;
  /** Opens a session (the CLI's way: vault, config, demo progress; the daemon's: its config and vault). */
  readonly openSession: (connection: string | undefined) => Promise<Session>;
  /** The daemon job taking it, recorded in the entry. */
  readonly job?: string;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
}

/** The catalog folder of these options. */
function catalogDir(options: BackupPlaceOptions): string {
  if (options.dir) return path.resolve(options.dir);
  return (options.paths ?? resolvePaths(options.env ?? process.env)).backupsDir;
}

async function openCatalog(
  options: BackupPlaceOptions,
): Promise<{ backup: BackupModule; catalog: BackupCatalog }> {
  const backup = await loadBackup();
  return { backup, catalog: new backup.BackupCatalog(catalogDir(options)) };
}

/** The tools' environment and the folder searched before PATH (AISHELL_BACKUP_BIN), as every verb passes them. */
function toolPlace(options: { env?: NodeJS.ProcessEnv }): { env: NodeJS.ProcessEnv; binDir?: string } {
  const env = options.env ?? process.env;
  return env.AISHELL_BACKUP_BIN ? { env, binDir: env.AISHELL_BACKUP_BIN } : { env };
}

/**
 * The catalog entry `id` whose archive passed its sha256 (verify and restore start so), and the engine
 * that restores it. @throws BACKUP_CHECKSUM for a damaged archive
 */
async function checkedEntry(
  options: BackupPlaceOptions & {
    id?: string;
    signal?: AbortSignal;
    onProgress?: (p: BackupProgress) => void;
  },
): Promise<{ backup: BackupModule; catalog: BackupCatalog; entry: BackupEntry; engine: BackupEngine }> {
  const { backup, catalog } = await openCatalog(options);
  const entry = await catalog.get(options.id);
  await checkArchive(backup, entry, options);
  return { backup, catalog, entry, engine: backup.RESTORE_ENGINE[entry.format] };
}

/** The connection as a tool takes it: pool's ConnectionConfig is that shape, the password non-enumerable. */
function toolConnection(config: ConnectionConfig): BackupConnection {
  return config as BackupConnection;
}

/** How an entry names its connection: the saved name, or the URL with no password in it at all. */
function connectionLabel(session: Session): string {
  if (session.target.name) return session.target.name;
  try {
    const u = new URL(session.target.url);
    u.password = '';
    for (const key of ['password', 'pwd', 'pass']) u.searchParams.delete(key);
    return u.toString();
  } catch {
    return session.target.url;
  }
}

/** The database's name as the entry records it (a file's or folder's base name for SQLite and PGlite). */
function databaseName(config: ConnectionConfig): string {
  if (config.dialect === 'sqlite' || config.dialect === 'pglite')
    return path.basename(config.path ?? 'memory').replace(/\.(db|sqlite3?)$/i, '');
  return config.database ?? (config.dialect === 'postgres' ? (config.user ?? 'postgres') : '');
}

/**
 * A `run` on a pool or one lent connection, as @aishell/backup and @aishell/schema take it. Queries go
 * one after the other: introspection sends its catalog queries at once, and one connection (the one that
 * holds the dump's snapshot) answers one at a time.
 */
function runOn(conn: Queryable, signal: AbortSignal | undefined): BackupRun {
  let last: Promise<unknown> = Promise.resolve();
  return (sql, params) => {
    const next = last.then(async () => {
      const r = await conn.query(sql, params ?? [], signal ? { signal } : {});
      return { rows: r.rows as Record<string, unknown>[] };
    });
    last = next.catch(() => {});
    return next;
  };
}

async function serverVersion(
  run: BackupRun,
  dialect: ConnectionConfig['dialect'],
): Promise<{ serverVersion: string; serverVersionNum?: number }> {
  if (dialect === 'postgres' || dialect === 'pglite') {
    const { rows } = await run(
      "select current_setting('server_version') as v, current_setting('server_version_num')::int as n",
    );
    return { serverVersion: String(rows[0]?.v ?? ''), serverVersionNum: Number(rows[0]?.n ?? 0) };
  }
  const { rows } = await run(dialect === 'mysql' ? 'select version() as v' : 'select sqlite_version() as v');
  return { serverVersion: String(rows[0]?.v ?? '') };
}

const SCHEMA_DIALECT: Readonly<Record<ConnectionConfig['dialect'], SqlDialect>> = {
  postgres: 'postgres',
  pglite: 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
};

/** An absolute file path as a URL of `scheme` (each segment percent-encoded, so `?` or `%` stay in the path). */
function fileUrl(scheme: 'sqlite' | 'pglite', file: string, query = ''): string {
  return `${scheme}://${file.split('/').map(encodeURIComponent).join('/')}${query}`;
}

/**
 * Backs up one database into the catalog and returns its entry. The tool is found and its version
 * checked first; the row counts and the schema model are read in the snapshot the dump reads
 * (PostgreSQL: pg_export_snapshot() handed to pg_dump --snapshot; SQLite: from the copy itself; PGlite:
 * before the dump, nobody else can write it meanwhile; MySQL/MariaDB: a consistent snapshot just before
 * the dump's own). The archive is written under a partial name and renamed when complete; the entry is
 * written last. On failure or abort nothing is left in the catalog or on disk.
 * @example const entry = await backupCreate({ connection: 'prod', openSession });
 */
export async function backupCreate(options: BackupCreateOptions): Promise<BackupEntry> {
  const { backup, catalog } = await openCatalog(options);
  const { signal } = options;
  const { env, binDir } = toolPlace(options);
  const started = Date.now();
  let session: Session | undefined = await options.openSession(options.connection);
  try {
    const config = session.connectionConfig;
    const engine = config.dialect;
    const connection = toolConnection(config);
    const label = connectionLabel(session);
    if ((engine === 'sqlite' || engine === 'pglite') && (config.path ?? ':memory:') === ':memory:')
      throw new UsageError(
        `an in-memory ${engine === 'sqlite' ? 'SQLite' : 'PGlite'} database cannot be backed up`,
      );
    const pool = session.pool;
    const version = await pool.withConnection(
      (conn) => serverVersion(runOn(conn, signal), engine),
      signal ? { signal } : {},
    );
    const tool = await backup.dumpTool(engine, {
      ...version,
      ...(binDir ? { binDir } : {}),
      env,
    });
    await catalog.ensure();
    const database = databaseName(config);
    const createdAt = new Date();
    const id = backup.newBackupId(database, createdAt);
    const format = backup.BACKUP_FORMAT[engine];
    const partial = catalog.partialPath(id, format);
    const schema = await import('@aishell/schema');
    const dialect = SCHEMA_DIALECT[engine];
    const report = (p: BackupProgress) => options.onProgress?.(p);
    const counting = (done: number, total: number) =>
      report({ phase: 'counting', bytes: 0, tablesDone: done, tablesTotal: total });
    const read = async (run: BackupRun) => {
      const tables = await backup.countRows(run, engine, {
        ...(signal ? { signal } : {}),
        onTable: counting,
      });
      const model = await schema.introspectSchema(run, dialect, signal ? { signal } : {});
      return { tables, model };
    };
    const dump = (tablesTotal: number, extra: { snapshot?: string; run?: BackupRun } = {}) =>
      backup.dumpDatabase({
        connection,
        file: partial,
        tool,
        tablesTotal,
        env,
        ...extra,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(signal ? { signal } : {}),
      });

    let tables: BackupTable[];
    let model: SchemaModel;
    let dumped: Awaited<ReturnType<BackupModule['dumpDatabase']>>;
    if (engine === 'postgres' || engine === 'mysql') {
      ({ tables, model, dumped } = await pool.withConnection(
        async (conn) => {
          const run = runOn(conn, signal);
          let snapshot: string | undefined;
          if (engine === 'postgres') {
            await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
            // A standby cannot export one: the counts are then read just before the dump.
            snapshot = await run('select pg_export_snapshot() as s').then(
              (r) => String(r.rows[0]?.s),
              async () => {
                await conn.query('ROLLBACK');
                await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
                return undefined;
              },
            );
          } else {
            await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
          }
          try {
            const seen = await read(run);
            if (engine === 'mysql') await conn.query('COMMIT');
            // PostgreSQL: the transaction holds the snapshot open until pg_dump has finished with it.
            const out = await dump(seen.tables.length, snapshot ? { snapshot } : {});
            return { ...seen, dumped: out };
          } finally {
            await conn.query('ROLLBACK').catch(() => {});
          }
        },
        signal ? { signal } : {},
      ));
    } else if (engine === 'sqlite') {
      // VACUUM INTO cannot run inside a transaction: the copy itself is read afterwards, read-only.
      dumped = await dump(0, { run: runOn(pool, signal) });
      const { createPool } = await import('@aishell/pool');
      const copy = createPool(fileUrl('sqlite', partial, '?mode=ro'), { max: 1 });
      try {
        ({ tables, model } = await read(runOn(copy, signal)));
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      } finally {
        await copy.close();
      }
    } else {
      // PGlite: read through the session, then closed, since PGlite opens the folder itself to dump it.
      ({ tables, model } = await read(runOn(pool, signal)));
      await session.close();
      session = undefined;
      dumped = await dump(tables.length);
    }
    const entry: BackupEntry = {
      id,
      path: catalog.archivePath(id, dumped.format),
      engine,
      format: dumped.format,
      serverVersion: version.serverVersion,
      database,
      connection: label,
      sizeBytes: dumped.sizeBytes,
      sha256: dumped.sha256,
      createdAt: createdAt.toISOString(),
      durationMs: Date.now() - started,
      tool: tool.tool,
      toolVersion: tool.toolVersion,
      tables,
      ...(options.job ? { job: options.job } : {}),
    };
    if (signal?.aborted) {
      rmSync(partial, { force: true });
      throw new backup.BackupError('BACKUP_ABORTED', 'the backup stopped before it was added to the catalog');
    }
    return await catalog.commit(entry, partial, model);
  } finally {
    await session?.close();
  }
}

/** The catalog's backups, oldest first. */
export async function backupList(options: BackupPlaceOptions = {}): Promise<BackupEntry[]> {
  const { catalog } = await openCatalog(options);
  return catalog.list();
}

/**
 * The archive's sha256 against the catalog's, before anything reads it further.
 * @throws BackupError BACKUP_CHECKSUM when the archive is missing, of another size, or changed
 */
async function checkArchive(
  backup: BackupModule,
  entry: BackupEntry,
  options: { signal?: AbortSignal; onProgress?: (p: BackupProgress) => void },
): Promise<void> {
  let actual: { sha256: string; bytes: number };
  try {
    actual = await backup.sha256File(entry.path, {
      ...(options.signal ? { signal: options.signal } : {}),
      onBytes: (bytes) => options.onProgress?.({ phase: 'checksum', bytes, tablesDone: 0, tablesTotal: 0 }),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'BACKUP_ABORTED') throw error;
    throw new backup.BackupError(
      'BACKUP_CHECKSUM',
      `the archive of ${entry.id} cannot be read: ${entry.path}`,
      {
        cause: error,
      },
    );
  }
  if (actual.sha256 !== entry.sha256 || actual.bytes !== entry.sizeBytes)
    throw new backup.BackupError(
      'BACKUP_CHECKSUM',
      `the archive of ${entry.id} is damaged: its sha256 is ${actual.sha256.slice(0, 16)}… (${actual.bytes} bytes), ` +
        `the catalog recorded ${entry.sha256.slice(0, 16)}… (${entry.sizeBytes} bytes); nothing was restored`,
      { hint: 'restore another backup (aishell backup list), and find what changed the file' },
    );
}

export interface BackupVerifyOptions extends BackupPlaceOptions {
  /** The backup. @default the latest */
  readonly id?: string;
  /**
   * `--scratch <url|name>`: the server where the scratch database `aishell_scratch_<random>` is created,
   * restored into and dropped. @default PostgreSQL and MySQL: `connection`, else the server the backup was
   * taken from (its recorded connection); SQLite and PGlite: a temporary file or folder
   */
  readonly scratch?: string;
  /** `-c`: a server for the scratch database when `scratch` is not given. */
  readonly connection?: string;
  /** Opens a session on a connection (only to learn where the scratch server is and its password). */
  readonly openSession: (connection: string | undefined) => Promise<Session>;
  /** pg_restore's parallel jobs. @default 1 */
  readonly jobs?: number;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
}

/** What `backup verify` found. */
export interface BackupVerifyResult {
  readonly id: string;
  /** True when the checksum, the schema and every row count matched. */
  readonly ok: boolean;
  readonly sha256: string;
  /** Where the copy was restored (dropped since): `aishell_scratch_1a2b3c on postgres://host:5432`. */
  readonly scratch: string;
  /** Tables and rows in the restored copy. */
  readonly tables: readonly BackupTable[];
  /** Tables whose row count differs from the catalog's. */
  readonly rowDifferences: readonly RowCountDifference[];
  /**
   * What the schema differ would change to turn the schema recorded at backup time into the restored
   * one (empty: the same); null when the backup recorded no schema.
   */
  readonly schemaDifferences: readonly string[] | null;
  readonly durationMs: number;
}

/**
 * Verifies a backup: its sha256 first (a damaged archive is refused, BACKUP_CHECKSUM), then a restore
 * into a scratch database (never the source), whose schema is compared with the one recorded at backup
 * time and whose row counts are compared with the catalog's. The scratch is always dropped.
 */
export async function backupVerify(options: BackupVerifyOptions): Promise<BackupVerifyResult> {
  const { signal } = options;
  const { env, binDir } = toolPlace(options);
  const started = Date.now();
  const { backup, catalog, entry, engine } = await checkedEntry(options);
  const dialect = SCHEMA_DIALECT[engine];
  const temps: string[] = [];
  // Ctrl-C: the CLI exits as soon as the scratch databases are dropped; temporary folders go at once.
  const removeTemps = () => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  };
  signal?.addEventListener('abort', removeTemps, { once: true });
  let scratch: ScratchDatabase | undefined;
  try {
    let target: BackupConnection;
    if (engine === 'postgres' || engine === 'mysql') {
      const server = options.scratch ?? options.connection ?? entry.connection;
      const where = await options.openSession(server);
      const config = where.connectionConfig;
      await where.close();
      if (config.dialect !== engine)
        throw new UsageError(
          `backup ${entry.id} is a ${engine} archive: its scratch database needs a ${engine} server, not ${config.dialect}`,
          {
            hint: `pass --scratch ${engine}://user@host (aishell creates aishell_scratch_<random> there and drops it)`,
          },
        );
      scratch = await openScratch({ dialect, url: urlOf(config), ...(signal ? { signal } : {}) });
      // The server's connection on the scratch database, the password kept non-enumerable.
      target = Object.defineProperty(
        { ...toolConnection(config), database: scratch.database ?? '' },
        'password',
        {
          value: config.password,
          enumerable: false,
        },
      );
    } else {
      const dir = await mkdtemp(path.join(tmpdir(), 'aishell-verify-'));
      temps.push(dir);
      const place = path.join(dir, engine === 'sqlite' ? 'verify.db' : 'verify');
      target = { dialect: engine, path: place, params: {} };
    }
    await backup.restoreArchive({
      entry,
      archive: entry.path,
      target,
      noOwner: true,
      replace: false,
      env,
      ...(binDir ? { binDir } : {}),
      ...(options.jobs ? { jobs: options.jobs } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(signal ? { signal } : {}),
    });
    if (!scratch) {
      const place = target.path ?? '';
      scratch = await openScratch({
        dialect,
        url: fileUrl(engine === 'sqlite' ? 'sqlite' : 'pglite', place),
        ...(signal ? { signal } : {}),
      });
    }
    options.onProgress?.({ phase: 'comparing', bytes: 0, tablesDone: 0, tablesTotal: entry.tables.length });
    const tables = await backup.countRows(scratch.run, engine, signal ? { signal } : {});
    const rowDifferences = backup.compareRowCounts(entry.tables, tables);
    const recorded = (await catalog.schema(entry.id)) as SchemaModel | undefined;
    let schemaDifferences: string[] | null = null;
    if (recorded) {
      const schema = await import('@aishell/schema');
      const restored = await schema.introspectSchema(
        scratch.run,
        dialect,
        introspectOptionsLike(recorded, signal),
      );
      const plan = schema.diffSchemas(recorded, restored, { online: false });
      schemaDifferences = [
        ...plan.statements.map((s) => s.sql),
        ...plan.unsupported.map((u) => `${u.kind} ${u.name}: ${u.message}`),
      ];
    }
    return {
      id: entry.id,
      ok: rowDifferences.length === 0 && (schemaDifferences?.length ?? 0) === 0,
      sha256: entry.sha256,
      scratch: scratch.label,
      tables,
      rowDifferences,
      schemaDifferences,
      durationMs: Date.now() - started,
    };
  } finally {
    signal?.removeEventListener('abort', removeTemps);
    await scratch?.close();
    await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** A server URL of a parsed connection, password included (for openScratch, which takes a URL). */
function urlOf(config: ConnectionConfig): string {
  const u = new URL(`${config.dialect === 'postgres' ? 'postgres' : 'mysql'}://host`);
  u.hostname = config.host?.startsWith('/') ? '' : (config.host ?? 'localhost');
  if (config.port) u.port = String(config.port);
  if (config.user) u.username = encodeURIComponent(config.user);
  if (config.password !== undefined) u.password = encodeURIComponent(config.password);
  u.pathname = `/${encodeURIComponent(config.database ?? '')}`;
  for (const [key, value] of Object.entries(config.params)) u.searchParams.set(key, value);
  if (config.host?.startsWith('/')) u.searchParams.set('host', config.host);
  return u.toString();
}

export interface BackupRestoreOptions extends BackupPlaceOptions {
  readonly id: string;
  /** `--to <conn>`: where to restore (a database that exists on a server, a SQLite file, a PGlite folder). */
  readonly to: string;
  readonly openSession: (connection: string | undefined) => Promise<Session>;
  /** `--yes`: the target may hold tables (PostgreSQL: the archive's objects are dropped first). @default false */
  readonly confirmed?: boolean;
  /** pg_restore's parallel jobs. @default 1 */
  readonly jobs?: number;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
}

/** What `backup restore` did. */
export interface BackupRestoreResult {
  readonly id: string;
  /** The target: its saved name, or its URL without a password. */
  readonly target: string;
  /** Tables and rows in the target after the restore. */
  readonly tables: readonly BackupTable[];
  /** Tables whose rows differ from the catalog's (a target that held other rows under the same names). */
  readonly rowDifferences: readonly RowCountDifference[];
  /** Whether the target held tables, views or the like before (then only with `confirmed`). */
  readonly replaced: boolean;
  readonly durationMs: number;
}

/**
 * Restores a backup into `to`: the sha256 first, then the target must be empty unless confirmed
 * (BACKUP_TARGET_NOT_EMPTY, nothing restored), then the archive's own tool; the target's row counts are
 * read back and compared with the catalog's.
 */
export async function backupRestore(options: BackupRestoreOptions): Promise<BackupRestoreResult> {
  const { signal } = options;
  const { env, binDir } = toolPlace(options);
  const started = Date.now();
  const { backup, entry, engine } = await checkedEntry(options);
  let session = await options.openSession(options.to);
  let label: string;
  let config: ConnectionConfig;
  let objects: number;
  try {
    config = session.connectionConfig;
    label = connectionLabel(session);
    if (config.dialect !== engine)
      throw new backup.BackupError(
        'BACKUP_BAD_OPTION',
        `backup ${entry.id} is a ${entry.format} archive of ${entry.engine}: it restores into ${engine}, not into ${config.dialect}`,
      );
    if ((engine === 'sqlite' || engine === 'pglite') && (config.path ?? ':memory:') === ':memory:')
      throw new UsageError(
        'restore into an in-memory database is lost when aishell exits: name a file or folder',
      );
    objects = await backup.countObjects(runOn(session.pool, signal), engine);
  } finally {
    await session.close();
  }
  if (objects > 0 && !options.confirmed)
    throw new backup.BackupError(
      'BACKUP_TARGET_NOT_EMPTY',
      `${label} is not empty (${objects} tables, views or sequences): nothing was restored`,
      {
        hint:
          engine === 'postgres'
            ? "re-run with --yes to drop and recreate the backup's objects there (others stay), or restore into an empty database"
            : 're-run with --yes to replace them, or restore into an empty database',
      },
    );
  await backup.restoreArchive({
    entry,
    archive: entry.path,
    target: toolConnection(config),
    // SQLite and PGlite: the file or folder is put in place (it was checked empty, or confirmed).
    replace: engine === 'sqlite' || engine === 'pglite' || objects > 0,
    env,
    ...(binDir ? { binDir } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(signal ? { signal } : {}),
  });
  session = await options.openSession(options.to);
  try {
    const tables = await backup.countRows(runOn(session.pool, signal), engine, signal ? { signal } : {});
    const restored = new Set(entry.tables.map((t) => t.name));
    return {
      id: entry.id,
      target: label,
      tables,
      rowDifferences: backup.compareRowCounts(
        entry.tables,
        tables.filter((t) => restored.has(t.name)),
      ),
      replaced: objects > 0,
      durationMs: Date.now() - started,
    };
  } finally {
    await session.close();
  }
}

export interface BackupPruneOptions extends BackupPlaceOptions {
  /** `--keep N`: backups kept per connection and database, the newest. */
  readonly keep: number;
  /** `--keep-days D`: also kept, every backup younger than this. */
  readonly keepDays?: number;
  /** Only these backups are considered (a daemon job prunes its own database's). */
  readonly filter?: (entry: BackupEntry) => boolean;
  /** `--dry-run`: say what would go, remove nothing. @default false */
  readonly dryRun?: boolean;
  /** @default now */
  readonly now?: Date;
}

/** What `backup prune` removed (or would remove, with `dryRun`) and kept. */
export interface BackupPruneResult {
  readonly removed: readonly BackupEntry[];
  readonly kept: readonly BackupEntry[];
  readonly dryRun: boolean;
}

/** Removes old backups from the catalog and disk: per database the newest `keep`, plus those younger than `keepDays`, stay. */
export async function backupPrune(options: BackupPruneOptions): Promise<BackupPruneResult> {
  const { backup, catalog } = await openCatalog(options);
  const all = await catalog.list();
  const considered = options.filter ? all.filter(options.filter) : all;
  const { keep, remove } = backup.selectPrune(considered, {
    keep: options.keep,
    ...(options.keepDays !== undefined ? { keepDays: options.keepDays } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  if (!options.dryRun) for (const entry of remove) await catalog.remove(entry);
  const others = all.filter((e) => !considered.includes(e));
  return { removed: remove, kept: [...others, ...keep], dryRun: options.dryRun === true };
}
