// `aishell schema diff <from> <to>`: each side is a connection (read where it is) or a schema file (loaded
// into a scratch database first); @aishell/schema plans the migration from one to the other, and with
// `applyCheck` the plan is tried on a scratch copy of `from` and must leave nothing to do.
import { readFile } from 'node:fs/promises';
import { parseConnectionUrl, type SqlDialect } from '@aishell/pool';
import type { ApplyCheckResult, DiffOptions, PlanStatement, SchemaModel, SchemaPlan } from '@aishell/schema';
import { UsageError } from './errors.js';
import { copySchema, introspectOptionsLike, openScratch, type ScratchDatabase } from './scratch.js';
import type { Session } from './session.js';

/** Where a schema comes from: a connection (name, URL, `demo`) or a schema file. */
export type SchemaSource =
  | { readonly kind: 'connection'; readonly connection: string }
  | { readonly kind: 'file'; readonly path: string };

/**
 * An argument of `schema diff` as a source: a path ending in `.sql` (or `-` for stdin is not taken: two
 * sides cannot share it) is a schema file, anything else a connection.
 */
export function schemaSource(argument: string): SchemaSource {
  return /\.sql$/i.test(argument)
    ? { kind: 'file', path: argument }
    : { kind: 'connection', connection: argument };
}

export interface SchemaDiffOptions {
  readonly from: SchemaSource;
  readonly to: SchemaSource;
  /** Opens a session on a connection (the CLI's way: vault, config, demo progress). */
  readonly openSession: (connection: string) => Promise<Session>;
  /** `--scratch <url>`: where schema files are loaded and the apply-check runs. @default PGlite for PostgreSQL */
  readonly scratch?: string;
  /** The dialect of two schema files. @default the scratch URL's, else postgres */
  readonly dialect?: SqlDialect;
  /** `--schema`: PostgreSQL schemas to compare. @default every non-system schema */
  readonly schemas?: readonly string[];
  /** `--privileges`: compare grants too. @default false */
  readonly privileges?: boolean;
  /** `--rename old=new`: renames asked for; never guessed. */
  readonly renames?: Readonly<Record<string, string>>;
  /** `--offline`: the direct forms instead of the online ones. @default false */
  readonly offline?: boolean;
  /** `--apply-check`: try the plan on a scratch copy of `from`. @default false */
  readonly applyCheck?: boolean;
  readonly signal?: AbortSignal;
}

/** Where one side was read. */
export interface SchemaSideInfo {
  readonly source: SchemaSource;
  /** `postgres 15.20 (server)`, `PGlite (in memory)`, ... */
  readonly readFrom: string;
  /** Statements loaded from the file (files only). */
  readonly statements?: number;
}

export interface SchemaDiffResult {
  readonly dialect: SqlDialect;
  readonly plan: SchemaPlan;
  /** The statements that drop data (a table, a column, a narrowing type change): non-empty exits 5 without --unsafe. */
  readonly dataLoss: readonly PlanStatement[];
  readonly applyCheck: ApplyCheckResult | null;
  /** The plan as a script psql or the mysql client runs: hazards as comments, the unsupported listed first. */
  readonly script: string;
  readonly from: SchemaSideInfo;
  readonly to: SchemaSideInfo;
  /** Things a person should know about the comparison itself (versions that differ, ...). */
  readonly warnings: readonly string[];
}

interface ReadSide {
  model: SchemaModel;
  info: SchemaSideInfo;
  /** The scratch a file was loaded into, kept open for the apply-check. */
  scratch: ScratchDatabase | null;
}

/**
 * Reads both sides, plans `from` -> `to`, and with `applyCheck` tries the plan. Every scratch database is
 * dropped before this returns or throws.
 * @example const r = await schemaDiff({ from: schemaSource('prod'), to: schemaSource('schema.sql'), openSession });
 * @throws UsageError (two files of different dialects, a MySQL file without --scratch), SchemaError (SCHEMA_LOAD names the statement)
 */
export async function schemaDiff(options: SchemaDiffOptions): Promise<SchemaDiffResult> {
  const schema = await import('@aishell/schema');
  const scratches: ScratchDatabase[] = [];
  const sessions: Session[] = [];
  const { signal } = options;
  const introspectOptions = {
    ...(options.schemas && options.schemas.length > 0 ? { schemas: [...options.schemas] } : {}),
    ...(options.privileges ? { privileges: true } : {}),
    ...(signal ? { signal } : {}),
  };
  const warnings: string[] = [];
  // The pool's own reading of the URL (pglite: is PostgreSQL), asked only when both sides are files: then the
  // scratch is opened anyway, and a malformed URL is the same POOL_URL usage error it would give there.
  const scratchDialect = () => (options.scratch ? parseConnectionUrl(options.scratch).sqlDialect : undefined);
  try {
    // Connections first: a file's dialect is the other side's.
    const connected = new Map<'from' | 'to', { session: Session; dialect: SqlDialect }>();
    for (const side of ['from', 'to'] as const) {
      const source = options[side];
      if (source.kind !== 'connection') continue;
      const session = await options.openSession(source.connection);
      sessions.push(session);
      connected.set(side, { session, dialect: session.sqlDialect });
    }
    const dialects = new Set([...connected.values()].map((c) => c.dialect));
    if (dialects.size > 1)
      throw new UsageError(`cannot diff a ${[...dialects].join(' schema against a ')} schema`);
    const dialect: SqlDialect = [...dialects][0] ?? options.dialect ?? scratchDialect() ?? 'postgres';
    const guessed = dialects.size === 0 && !options.dialect && !scratchDialect();
    if (options.dialect && options.dialect !== dialect)
      throw new UsageError(`--dialect ${options.dialect}, but the connection is ${dialect}`);

    const read = async (side: 'from' | 'to'): Promise<ReadSide> => {
      const source = options[side];
      const conn = connected.get(side);
      if (conn) {
        const run = (sql: string, params?: readonly unknown[]) =>
          conn.session.pool.query(sql, params ?? [], signal ? { signal } : {});
        const model = await schema.introspectSchema(run, dialect, introspectOptions);
        return {
          model,
          info: { source, readFrom: describeModel(model, conn.session.dialect) },
          scratch: null,
        };
      }
      if (source.kind !== 'file') throw new Error('unreachable');
      const text = await readSchemaFile(source.path);
      const scratch = await openScratch({ dialect, ...(options.scratch ? { url: options.scratch } : {}) });
      scratches.push(scratch);
      const loaded = await schema
        .loadSchemaScript(scratch.run, text, dialect, { name: source.path, ...(signal ? { signal } : {}) })
        .catch((error: unknown) => {
          if (guessed && error instanceof schema.SchemaError && error.code === 'SCHEMA_LOAD')
            error.hint = `${source.path} was read as PostgreSQL (nothing said otherwise): MySQL/MariaDB files need --scratch mysql://user@host, SQLite files --dialect sqlite`;
          throw error;
        });
      const model = await schema.introspectSchema(scratch.run, dialect, introspectOptions);
      return {
        model,
        info: { source, readFrom: scratch.label, statements: loaded.statements },
        scratch,
      };
    };
    const from = await read('from');
    const to = await read('to');
    versionWarning(from.model, to.model, warnings);

    const diff: DiffOptions = {
      ...(options.renames ? { renames: { ...options.renames } } : {}),
      ...(options.offline ? { online: false } : {}),
    };
    const plan = schema.diffSchemas(from.model, to.model, diff);

    let applyCheck: ApplyCheckResult | null = null;
    if (options.applyCheck) {
      let target = from.scratch;
      if (target === null) {
        // `from` is a live database: the plan runs on a copy of its schema, never on it.
        target = await openScratch({ dialect, ...(options.scratch ? { url: options.scratch } : {}) });
        scratches.push(target);
        const copied = await copySchema(target, from.model, signal ? { signal } : {});
        if (copied.unsupported.length > 0)
          warnings.push(
            `the scratch copy of ${sideName(options.from)} lacks what the differ cannot plan: ${copied.unsupported
              .map((u) => `${u.kind} ${u.name}`)
              .join(', ')}`,
          );
      }
      const check = target;
      applyCheck = await schema.applyCheck(check.run, plan, to.model, {
        introspect: () =>
          schema.introspectSchema(check.run, dialect, introspectOptionsLike(to.model, signal)),
        ...(options.offline ? { diff: { online: false } } : {}),
        ...(signal ? { signal } : {}),
      });
    }
    return {
      dialect,
      plan,
      dataLoss: schema.dataLoss(plan),
      applyCheck,
      script: schema.renderPlan(plan),
      from: from.info,
      to: to.info,
      warnings,
    };
  } finally {
    await Promise.all([...scratches.map((s) => s.close()), ...sessions.map((s) => s.close())]);
  }
}

function sideName(source: SchemaSource): string {
  return source.kind === 'file' ? source.path : source.connection;
}

/** A schema file's text; a missing one is a usage error naming it (never a stack trace). */
async function readSchemaFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`cannot read ${path}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`cannot read ${path}: it is a folder, not a schema file`);
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

function describeModel(model: SchemaModel, driver: string): string {
  if (model.dialect === 'postgres') {
    const v = model.serverVersion;
    return `${driver === 'pglite' ? 'PGlite' : 'PostgreSQL'} ${Math.floor(v / 10000)}.${v % 10000}`;
  }
  if (model.dialect === 'mysql')
    return `${model.flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${model.serverVersion}`;
  return 'SQLite';
}

/** PostgreSQL prints view definitions differently across major versions: say so when the two differ. */
function versionWarning(from: SchemaModel, to: SchemaModel, warnings: string[]): void {
  if (from.dialect !== 'postgres' || to.dialect !== 'postgres') return;
  const a = Math.floor(from.serverVersion / 10000);
  const b = Math.floor(to.serverVersion / 10000);
  if (a !== b)
    warnings.push(
      `the two schemas were read on PostgreSQL ${a} and ${b}: view and function definitions may print differently across versions; pass --scratch <url> of a server of the database's major version to compare like with like`,
    );
}
