// Scratch databases: where `schema diff` loads a schema file and `migrate test` tries migrations, so that
// neither touches a database the person named. PostgreSQL: an embedded PGlite by default (nothing to set
// up), or a database of its own on a server given with --scratch. MySQL/MariaDB: a server given with
// --scratch. SQLite: a file in a temporary folder. Each is one connection (SET lock_timeout and USE stay
// in force from one statement to the next) and is dropped by `close`, which never throws.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, type Pool, parseConnectionUrl, redactUrl, type SqlDialect } from '@aishell/pool';
import type { SchemaModel } from '@aishell/schema';
import { ScratchCopyError, UsageError } from './errors.js';

/** One scratch database, on one connection. */
export interface ScratchDatabase extends AsyncDisposable {
  readonly dialect: SqlDialect;
  /** Where it lives, for messages: `PGlite (in memory)`, `aishell_scratch_1a2b3c on postgres://host:5432`. */
  readonly label: string;
  /** The scratch database's name on a server (`aishell_scratch_<random>`), else null. */
  readonly database: string | null;
  readonly pool: Pool;
  /** `run` as @aishell/schema takes it: one statement on the scratch's one connection. */
  run(sql: string, params?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** Closes the connection and drops the database (or the file). Idempotent; never throws. */
  close(): Promise<void>;
}

export interface OpenScratchOptions {
  readonly dialect: SqlDialect;
  /**
   * `--scratch <url>`: a PostgreSQL or MySQL/MariaDB server where aishell may create and drop a database of
   * its own. @default PGlite in memory for PostgreSQL, a temporary file for SQLite; MySQL needs one
   */
  readonly url?: string;
  readonly signal?: AbortSignal;
}

/** Names every scratch database on a server starts with (`aishell_scratch_<12 hex digits>`). */
export const SCRATCH_PREFIX = 'aishell_scratch_';

/** Scratch databases not yet closed, so that an interrupted command can drop them all (`closeAllScratch`). */
const open = new Set<ScratchDatabase>();

/**
 * Opens a scratch database for `dialect`.
 * @example await using scratch = await openScratch({ dialect: 'postgres' }); await scratch.run('create table t (id int)');
 * @throws UsageError for MySQL without a URL, or a URL of another dialect; the pool's ConnectError when the server cannot be reached
 */
export async function openScratch(options: OpenScratchOptions): Promise<ScratchDatabase> {
  const { dialect, url } = options;
  if (url !== undefined) {
    const config = parseConnectionUrl(url);
    if (config.sqlDialect !== dialect)
      throw new UsageError(
        `--scratch ${redactUrl(url)} is a ${config.sqlDialect} server; this needs ${dialect}`,
      );
    if (config.dialect === 'postgres' || config.dialect === 'mysql') return serverScratch(url, dialect);
    return track(fileScratch(url, dialect, null, `${config.dialect} ${config.path ?? ''}`.trim()));
  }
  if (dialect === 'postgres')
    return track(fileScratch('pglite::memory:', dialect, null, 'PGlite (in memory)'));
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'aishell-scratch-'));
    const scratch = fileScratch(
      `sqlite:${join(dir, 'scratch.db')}`,
      dialect,
      null,
      'a temporary SQLite file',
    );
    return track({
      ...scratch,
      close: async () => {
        await scratch.close();
        await rm(dir, { recursive: true, force: true }).catch(() => {});
      },
    });
  }
  throw new UsageError('a MySQL/MariaDB scratch database needs a server: pass --scratch mysql://user@host', {
    hint: 'aishell creates a database named aishell_scratch_<random> there and always drops it afterwards',
  });
}

/** Drops every scratch database still open (after Ctrl-C, before the process exits); resolves with how many. */
export async function closeAllScratch(): Promise<number> {
  const all = [...open];
  await Promise.all(all.map((s) => s.close()));
  return all.length;
}

function track(scratch: ScratchDatabase): ScratchDatabase {
  let closed: Promise<void> | undefined;
  const tracked: ScratchDatabase = {
    ...scratch,
    close: () => {
      closed ??= scratch.close().finally(() => open.delete(tracked));
      return closed;
    },
    [Symbol.asyncDispose]: () => tracked.close(),
  };
  open.add(tracked);
  return tracked;
}

function runOn(pool: Pool): ScratchDatabase['run'] {
  return async (sql, params) => {
    const result = await pool.query(sql, params ?? []);
    return { rows: result.rows as Record<string, unknown>[] };
  };
}

function fileScratch(
  url: string,
  dialect: SqlDialect,
  database: string | null,
  label: string,
): ScratchDatabase {
  const pool = createPool(url, { max: 1 });
  const close = () => pool.close().catch(() => {});
  return { dialect, label, database, pool, run: runOn(pool), close, [Symbol.asyncDispose]: close };
}

function withDatabase(url: string, database: string | null): string {
  const u = new URL(url);
  u.pathname = database === null ? '' : `/${database}`;
  return u.toString();
}

/** CREATE DATABASE on the server, a pool of one on it; `close` drops it (WITH (FORCE) on PostgreSQL 13+). */
async function serverScratch(url: string, dialect: SqlDialect): Promise<ScratchDatabase> {
  const name = `${SCRATCH_PREFIX}${randomBytes(6).toString('hex')}`;
  // The server's maintenance database: the one named in the URL may be the scratch's template or absent.
  const admin = createPool(withDatabase(url, dialect === 'postgres' ? 'postgres' : null), { max: 1 });
  const quoted = dialect === 'postgres' ? `"${name}"` : `\`${name}\``;
  try {
    await admin.query(`CREATE DATABASE ${quoted}`);
  } catch (error) {
    await admin.close().catch(() => {});
    throw error;
  }
  const pool = createPool(withDatabase(url, name), { max: 1 });
  // MySQL's DROP DATABASE waits for a statement still running on the scratch: its connection is killed first.
  let connectionId: number | undefined;
  if (dialect === 'mysql') {
    try {
      const r = await pool.query('SELECT CONNECTION_ID() AS id');
      connectionId = Number((r.rows[0] as { id: unknown }).id);
    } catch (error) {
      await pool.close().catch(() => {});
      await admin.query(`DROP DATABASE IF EXISTS ${quoted}`).catch(() => {});
      await admin.close().catch(() => {});
      throw error;
    }
  }
  const host = redactUrl(withDatabase(url, null));
  const scratch: ScratchDatabase = {
    dialect,
    label: `${name} on ${host}`,
    database: name,
    pool,
    run: runOn(pool),
    close: async () => {
      // Dropped first, so that a statement still running there (after Ctrl-C) cannot hold the drop up:
      // WITH (FORCE) ends the scratch's sessions on PostgreSQL 13+, MySQL's is killed.
      if (dialect === 'postgres')
        await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`).catch(() => {});
      else {
        if (connectionId !== undefined) await admin.query(`KILL ${connectionId}`).catch(() => {});
        await admin.query(`DROP DATABASE IF EXISTS ${quoted}`).catch(() => {});
      }
      await pool.close().catch(() => {});
      await admin.close().catch(() => {});
    },
    [Symbol.asyncDispose]: () => scratch.close(),
  };
  return track(scratch);
}

/**
 * Copies a schema (not its data) into a scratch database: the differ's plan from what the empty scratch
 * holds to `model`, run statement by statement. What the differ cannot plan is returned, not left out.
 * @returns the kinds and names of objects that were not copied (`unsupported`)
 */
export async function copySchema(
  scratch: ScratchDatabase,
  model: SchemaModel,
  options: { signal?: AbortSignal } = {},
): Promise<{ unsupported: { kind: string; name: string; message: string }[] }> {
  const { diffSchemas, introspectSchema, planSteps } = await import('@aishell/schema');
  const empty = await introspectSchema(
    scratch.run,
    model.dialect,
    introspectOptionsLike(model, options.signal),
  );
  // Not online: nothing reads the scratch while it is built, so the direct forms (one statement each) do.
  const plan = diffSchemas(empty, model, { online: false });
  for (const step of planSteps(plan)) {
    options.signal?.throwIfAborted();
    try {
      await scratch.run(step.sql);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ScratchCopyError(
        `cannot copy the schema into ${scratch.label}: ${reason}\n  in: ${oneLine(step.sql)}`,
        {
          cause: error,
        },
      );
    }
  }
  return { unsupported: plan.unsupported.map((u) => ({ kind: u.kind, name: u.name, message: u.message })) };
}

/** Introspection options that read a scratch the way `model` was read (its schemas, its privileges). */
export function introspectOptionsLike(
  model: SchemaModel,
  signal?: AbortSignal,
): { schemas?: string[]; privileges?: boolean; signal?: AbortSignal } {
  const out: { schemas?: string[]; privileges?: boolean; signal?: AbortSignal } = {};
  if (model.dialect === 'postgres') {
    if (model.schemaFilter !== null) out.schemas = [...model.schemaFilter];
    if (model.privileges) out.privileges = true;
  }
  if (signal) out.signal = signal;
  return out;
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
