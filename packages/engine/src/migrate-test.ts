// `aishell migrate test <files or folders> -c <conn>`: a trial run of migrations on a scratch copy of the
// target's schema (and, with --with-sample N, N rows per table), never on the target. Each migration, in
// its tool's order: up statement by statement (duration, the locks each took, ACCESS EXCLUSIVE on a table
// that holds rows flagged), the schema read; its down, which must bring the schema back; up again, which
// must give the same schema. The scratch database is always dropped.

import { performance } from 'node:perf_hooks';
import type { MigrationFile, MigrationTool, SkipReason } from '@aishell/lint';
import type { SqlDialect } from '@aishell/pool';
import type { SchemaModel } from '@aishell/schema';
import { splitStatements } from '@aishell/sql';
import { EngineError, UsageError } from './errors.js';
import { readMigrationPaths } from './migrate-lint.js';
import {
  type HeldLock,
  heldLocks,
  type LockTaken,
  newLocks,
  type RelationBefore,
  relationsBefore,
  targetRowEstimates,
} from './migrate-test-locks.js';
import { copySample, type SampleCopy } from './migrate-test-sample.js';
import {
  refusesTransaction,
  type TransactionMode,
  transactionControl,
  transactionMode,
} from './migrate-test-transactions.js';
import { copySchema, introspectOptionsLike, openScratch, type ScratchDatabase } from './scratch.js';
import type { Session } from './session.js';

export type { LockMode, LockTaken, RelationKind } from './migrate-test-locks.js';
export type { SampleCopy } from './migrate-test-sample.js';

export interface MigrateTestOptions {
  /** Migration files and folders, as the person named them (reports name files under these). */
  readonly paths: readonly string[];
  /** The target: its catalog is read (and, with `withSample`, `SELECT ... LIMIT N` of each table); nothing else. */
  readonly session: Session;
  /** `--scratch <url>`: a server where a database `aishell_scratch_<random>` is created and dropped. @default PGlite (PostgreSQL), a temporary file (SQLite); MySQL needs one */
  readonly scratch?: string;
  /** `--with-sample N`: copy the first N rows of every table into the scratch. @default 0 (schema only) */
  readonly withSample?: number;
  /** Where relative paths start. @default process.cwd() */
  readonly cwd?: string;
  /** Progress, for a person watching (the CLI prints it on a terminal). */
  readonly onProgress?: (event: MigrateTestProgress) => void;
  /** Aborts between statements and cancels the one running (PostgreSQL and MySQL servers); the scratch is dropped. */
  readonly signal?: AbortSignal;
}

/** What `migrateTest` is doing now. */
export type MigrateTestProgress =
  | { readonly phase: 'scratch'; readonly scratch: string; readonly database: string | null }
  | { readonly phase: 'schema' }
  | { readonly phase: 'sample'; readonly table: string; readonly done: number; readonly total: number }
  | {
      readonly phase: 'migration';
      readonly file: string;
      readonly index: number;
      readonly total: number;
      readonly direction: MigrationDirection;
    };

/** `up`, `down`, then `redo` (up once more, after the down). */
export type MigrationDirection = 'up' | 'down' | 'redo';

export type { TransactionMode } from './migrate-test-transactions.js';

/** A statement took ACCESS EXCLUSIVE on a table that already held rows: reads and writes of it wait. */
export interface StatementFlag {
  readonly code: 'ACCESS_EXCLUSIVE_ON_TABLE_WITH_ROWS';
  readonly relation: string;
  readonly rows: number;
  /** `scratch`: rows counted in the scratch (the sample, or rows earlier migrations wrote); `target-estimate`: the target's pg_class.reltuples. */
  readonly rowsSource: 'scratch' | 'target-estimate';
  readonly message: string;
}

export interface StatementReport {
  /** 1-based, within its part. */
  readonly index: number;
  /** 1-based line in `file` where the statement starts. */
  readonly line: number;
  readonly sql: string;
  readonly durationMs: number;
  /** The relation locks it took, or null where they cannot be observed (see `DirectionReport.locksObserved`). */
  readonly locks: readonly LockTaken[] | null;
  readonly flagged: readonly StatementFlag[];
  /** The database's error when it refused the statement (the last of its part then), else null. */
  readonly error: { readonly message: string; readonly sqlState: string | null } | null;
}

/** One direction of one migration, as it ran. */
export interface DirectionReport {
  /** The file that holds this part (golang-migrate's `.down.sql`, Flyway's `U` file, or the migration itself). */
  readonly file: string;
  readonly transaction: TransactionMode;
  readonly durationMs: number;
  /** The statements that ran, the failing one last. */
  readonly statements: readonly StatementReport[];
}

/** A difference a check found: a statement that would remove it, or (sql null) one the differ cannot plan. */
export interface CheckResidue {
  readonly check: 'downRestores' | 'upRepeatable';
  readonly sql: string | null;
  readonly message: string;
}

export interface MigrationChecks {
  /** The schema after the down equals the schema before the up; null when there is no down or it did not run. */
  readonly downRestores: boolean | null;
  /** Up again after the down gives the same schema as the first up; null when it did not run. */
  readonly upRepeatable: boolean | null;
  readonly residue: readonly CheckResidue[];
}

export type MigrationStatus = 'ok' | 'flagged' | 'failed' | 'not-run';

export interface MigrationReport {
  /** The migration's (up) file. */
  readonly file: string;
  readonly tool: MigrationTool;
  readonly version: string | null;
  readonly name: string;
  /** `ok`; `flagged` (a statement took ACCESS EXCLUSIVE on a table with rows); `failed` (a statement or a check); `not-run` (after a failure). */
  readonly status: MigrationStatus;
  readonly up: DirectionReport | null;
  /** Null when the migration has no down (Prisma, plain files, a missing down file, an empty section) or it did not run. */
  readonly down: DirectionReport | null;
  readonly hasDown: boolean;
  /** Up once more after the down (its statements are the up's; flags are reported on the first run only). */
  readonly redo: DirectionReport | null;
  readonly checks: MigrationChecks;
  /** What a person should know: no down, how a residue was repaired, why the run stopped. */
  readonly notes: readonly string[];
}

/** The statement the database refused; later migrations did not run. */
export interface MigrateTestFailure {
  /** The file that holds the statement. */
  readonly file: string;
  /** The migration it belongs to (its up file). */
  readonly migration: string;
  readonly direction: MigrationDirection;
  /** 1-based index of the statement in its part. */
  readonly statement: number;
  readonly line: number;
  readonly sql: string;
  readonly message: string;
  readonly sqlState: string | null;
}

/** The document of `aishell migrate test --json`. */
export interface MigrateTestResult {
  readonly dialect: SqlDialect;
  /** Where the trial ran: `PGlite (in memory)`, `aishell_scratch_1a2b3c on postgres://host:5432`. */
  readonly scratch: string;
  /** The scratch database's name on a server, else null (it is dropped when this returns). */
  readonly scratchDatabase: string | null;
  /** Whether statements' locks could be read, and why not. */
  readonly locks: { readonly observed: boolean; readonly note: string | null };
  /** Rows copied with --with-sample, or null. */
  readonly sample: SampleCopy | null;
  /** What the scratch copy of the schema lacks (the differ cannot plan it). */
  readonly unsupported: readonly { readonly kind: string; readonly name: string; readonly message: string }[];
  readonly migrations: readonly MigrationReport[];
  /** Files the layout left out (down and undo files are read as their migration's down). */
  readonly skipped: readonly { readonly path: string; readonly reason: SkipReason }[];
  readonly failed: MigrateTestFailure | null;
  readonly summary: {
    readonly migrations: number;
    readonly ok: number;
    readonly flagged: number;
    readonly failed: number;
    readonly notRun: number;
    readonly withoutDown: number;
  };
  /** 0 every migration ok, 4 a statement or a check failed, 8 only flagged statements. */
  readonly exitCode: 0 | 4 | 8;
}

const LOCKS_NOT_OBSERVED: Readonly<Record<SqlDialect, string | null>> = {
  postgres: null,
  mysql:
    'MySQL/MariaDB commit every DDL statement by itself and release its metadata lock when it ends, so the locks a statement took cannot be read afterwards; none are reported',
  sqlite: 'SQLite locks the whole database file, not tables; no locks are reported',
};

/**
 * Tries migrations on a scratch copy of the target's schema: up, check, down, check, up again, check.
 * The target is only read. The scratch database is dropped before this returns or throws.
 * @example const r = await migrateTest({ paths: ['db/migrations'], session }); process.exitCode = r.exitCode;
 * @throws UsageError (a path that does not exist, no migrations), ScratchCopyError (the schema or the rows
 * cannot be copied), EngineError ENGINE_ABORTED when `signal` fires
 */
export async function migrateTest(options: MigrateTestOptions): Promise<MigrateTestResult> {
  const { session, signal } = options;
  const files = await readMigrationPaths(options.paths, 'test', options.cwd);
  const { migrationFiles } = await import('@aishell/lint');
  const layout = migrationFiles(files);
  if (layout.files.length === 0)
    throw new UsageError(`no migrations to test in ${options.paths.join(', ')} (only down or undo files)`);
  const sample = options.withSample ?? 0;
  if (!Number.isInteger(sample) || sample < 0)
    throw new UsageError(`--with-sample ${sample}: expected a whole number of rows per table`);

  const dialect = session.sqlDialect;
  const schema = await import('@aishell/schema');
  const target = (sql: string, params?: readonly unknown[]) =>
    session.pool.query(sql, params ?? [], signal ? { signal } : {});
  try {
    const model = await schema.introspectSchema(target, dialect, signal ? { signal } : {});
    const estimates = dialect === 'postgres' ? await targetRowEstimates(target) : new Map<string, number>();
    const scratch = await openScratch({
      dialect,
      ...(options.scratch ? { url: options.scratch } : {}),
      ...(signal ? { signal } : {}),
    });
    try {
      options.onProgress?.({ phase: 'scratch', scratch: scratch.label, database: scratch.database });
      options.onProgress?.({ phase: 'schema' });
      const copied = await copySchema(scratch, model, signal ? { signal } : {});
      const sampled =
        sample > 0
          ? await copySample(target, scratch, model, sample, {
              ...(signal ? { signal } : {}),
              onTable: (table, done, total) => options.onProgress?.({ phase: 'sample', table, done, total }),
            })
          : null;
      const trial = new Trial(scratch, model, estimates, layout.files.length, options);
      const migrations: MigrationReport[] = [];
      for (const [i, file] of layout.files.entries()) {
        if (trial.stopped) migrations.push(notRun(file));
        else migrations.push(await trial.migration(file, i));
      }
      const count = (s: MigrationStatus) => migrations.filter((m) => m.status === s).length;
      const summary = {
        migrations: migrations.length,
        ok: count('ok'),
        flagged: count('flagged'),
        failed: count('failed'),
        notRun: count('not-run'),
        withoutDown: migrations.filter((m) => !m.hasDown).length,
      };
      const note = LOCKS_NOT_OBSERVED[dialect];
      return {
        dialect,
        scratch: scratch.label,
        scratchDatabase: scratch.database,
        locks: { observed: note === null, note },
        sample: sampled,
        unsupported: copied.unsupported,
        migrations,
        skipped: layout.skipped,
        failed: trial.failure,
        summary,
        exitCode: summary.failed > 0 ? 4 : summary.flagged > 0 ? 8 : 0,
      };
    } finally {
      await scratch.close();
    }
  } catch (error) {
    if (signal?.aborted)
      throw new EngineError('ENGINE_ABORTED', 'migrate test was interrupted', { cause: error });
    throw error;
  }
}

/** A part of a file (an up or down section) as the runner sends it. */
interface Part {
  readonly file: string;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** The layout says it must not run in a transaction (dbmate `transaction:false`, goose `NO TRANSACTION`). */
  readonly noTransaction: boolean;
}

/** A refused statement, before it is named in the document. */
interface PartFailure {
  readonly statement: StatementReport;
  readonly message: string;
  readonly sqlState: string | null;
}

/** The tools whose files say when they must not run in a transaction. */
const TRANSACTION_TOOLS: ReadonlySet<MigrationTool> = new Set(['dbmate', 'goose']);

/** The run over one scratch database: migrations in order, until one fails. */
class Trial {
  readonly #scratch: ScratchDatabase;
  readonly #model: SchemaModel;
  readonly #estimates: ReadonlyMap<string, number>;
  readonly #total: number;
  readonly #options: MigrateTestOptions;
  failure: MigrateTestFailure | null = null;
  stopped = false;
  /** The scratch's schema as last read (after the previous migration), so it is not read twice. */
  #current: SchemaModel | null = null;

  constructor(
    scratch: ScratchDatabase,
    model: SchemaModel,
    estimates: ReadonlyMap<string, number>,
    total: number,
    options: MigrateTestOptions,
  ) {
    this.#scratch = scratch;
    this.#model = model;
    this.#estimates = estimates;
    this.#total = total;
    this.#options = options;
  }

  get #signal(): AbortSignal | undefined {
    return this.#options.signal;
  }

  async #read(): Promise<SchemaModel> {
    const { introspectSchema } = await import('@aishell/schema');
    return introspectSchema(
      this.#scratch.run,
      this.#scratch.dialect,
      introspectOptionsLike(this.#model, this.#signal),
    );
  }

  #progress(file: MigrationFile, index: number, direction: MigrationDirection): void {
    this.#options.onProgress?.({
      phase: 'migration',
      file: file.path,
      index: index + 1,
      total: this.#total,
      direction,
    });
  }

  async migration(file: MigrationFile, index: number): Promise<MigrationReport> {
    const { diffSchemas } = await import('@aishell/schema');
    const notes: string[] = [];
    const up = upPart(file);
    const downPart = file.down === null ? null : toPart(file, file.down);
    const down =
      downPart !== null && splitStatements(sectionOf(downPart), this.#scratch.dialect).length > 0
        ? downPart
        : null;
    if (down === null)
      notes.push(
        downPart === null
          ? 'no down migration: whether it can be undone is not checked'
          : 'the down section is empty: whether it can be undone is not checked',
      );
    const report = (
      status: MigrationStatus,
      runs: { up: DirectionReport | null; down?: DirectionReport | null; redo?: DirectionReport | null },
      checks: MigrationChecks = { downRestores: null, upRepeatable: null, residue: [] },
    ): MigrationReport => ({
      file: file.path,
      tool: file.tool,
      version: file.version ?? null,
      name: file.name,
      status,
      up: runs.up,
      down: runs.down ?? null,
      hasDown: down !== null,
      redo: runs.redo ?? null,
      checks,
      notes,
    });

    const before = this.#current ?? (await this.#read());
    this.#progress(file, index, 'up');
    const upRun = await this.#runPart(up);
    if (upRun.failure) return report('failed', { up: this.#fail(file, 'up', upRun) });
    const afterUp = await this.#read();
    this.#current = afterUp;
    if (down === null) return report(flaggedIn(upRun.report) ? 'flagged' : 'ok', { up: upRun.report });

    this.#progress(file, index, 'down');
    const downRun = await this.#runPart(down);
    if (downRun.failure)
      return report('failed', { up: upRun.report, down: this.#fail(file, 'down', downRun) });
    const afterDown = await this.#read();
    this.#current = afterDown;
    const residue: CheckResidue[] = [];
    const back = diffSchemas(afterDown, before, { online: false });
    const downRestores = back.statements.length === 0 && back.unsupported.length === 0;
    residue.push(...residueOf('downRestores', back, 'the down leaves this undone'));
    if (!downRestores) {
      // Up again must start where the first up did: the differ puts back what the down left.
      const unrepaired = await this.#repair(afterDown, before);
      if (unrepaired !== null) {
        notes.push(
          `the schema could not be put back to where the up started (${unrepaired}); later migrations did not run`,
        );
        this.stopped = true;
        return report(
          'failed',
          { up: upRun.report, down: downRun.report },
          { downRestores, upRepeatable: null, residue },
        );
      }
      notes.push('what the down left was put back by the differ before up ran again');
      this.#current = before;
    }

    this.#progress(file, index, 'redo');
    const redoRun = await this.#runPart(up);
    if (redoRun.failure)
      return report(
        'failed',
        { up: upRun.report, down: downRun.report, redo: this.#fail(file, 'redo', redoRun) },
        { downRestores, upRepeatable: null, residue },
      );
    const afterRedo = await this.#read();
    this.#current = afterRedo;
    const again = diffSchemas(afterRedo, afterUp, { online: false });
    const upRepeatable = again.statements.length === 0 && again.unsupported.length === 0;
    residue.push(
      ...residueOf('upRepeatable', again, 'up after down leaves the schema different from the first up'),
    );
    const checks = { downRestores, upRepeatable, residue };
    const runs = { up: upRun.report, down: downRun.report, redo: redoRun.report };
    if (!downRestores || !upRepeatable) return report('failed', runs, checks);
    return report(flaggedIn(upRun.report) || flaggedIn(downRun.report) ? 'flagged' : 'ok', runs, checks);
  }

  /** Applies the differ's plan from `from` to `to` on the scratch; null when it converged, else why not. */
  async #repair(from: SchemaModel, to: SchemaModel): Promise<string | null> {
    const { applyCheck, diffSchemas } = await import('@aishell/schema');
    const plan = diffSchemas(from, to, { online: false });
    if (plan.unsupported.length > 0) return 'the differ cannot plan every difference';
    const check = await applyCheck(this.#scratch.run, plan, to, {
      introspect: () => this.#read(),
      diff: { online: false },
      ...(this.#signal ? { signal: this.#signal } : {}),
    });
    if (check.failed) return `${check.failed.message} in: ${check.failed.sql}`;
    return check.converged ? null : 'differences remain';
  }

  /** Records the refused statement as the run's failure; later migrations do not run. */
  #fail(
    file: MigrationFile,
    direction: MigrationDirection,
    run: { report: DirectionReport; failure: PartFailure | null },
  ): DirectionReport {
    const failure = run.failure as PartFailure;
    this.stopped = true;
    this.failure = {
      file: run.report.file,
      migration: file.path,
      direction,
      statement: failure.statement.index,
      line: failure.statement.line,
      sql: failure.statement.sql,
      message: failure.message,
      sqlState: failure.sqlState,
    };
    return run.report;
  }

  /** Sends one part statement by statement on the scratch's one connection. */
  async #runPart(part: Part): Promise<{ report: DirectionReport; failure: PartFailure | null }> {
    const dialect = this.#scratch.dialect;
    const spans = splitStatements(sectionOf(part), dialect).map((s) => ({
      text: s.text,
      line: lineAt(part.text, part.start + s.start),
    }));
    const mode = transactionMode(part.noTransaction, spans, dialect);
    const observe = dialect === 'postgres';
    const signal = this.#signal;
    const opts = signal ? { signal } : {};
    const started = performance.now();
    const statements: StatementReport[] = [];
    let failure: PartFailure | null = null;
    await this.#scratch.pool.withConnection(async (conn) => {
      const before = observe ? await relationsBefore(conn, signal) : new Map<string, RelationBefore>();
      const rowsBefore = new Map([...before.values()].map((r) => [r.name, r.rows]));
      let held = new Map<string, HeldLock>();
      // Whose transaction is open now: ours (around the file or one statement) or the script's own.
      let open: 'ours' | 'script' | null = null;
      const query = (sql: string) => conn.query(sql, [], opts);
      if (mode === 'file') {
        await query('BEGIN');
        open = 'ours';
      }
      try {
        for (const [i, span] of spans.entries()) {
          signal?.throwIfAborted();
          const control = transactionControl(span.text);
          // Each statement of a part that must not run in one transaction still runs in one of its own (as
          // autocommit would), so that its locks can be read before they are released.
          const own =
            (mode === 'statement' || mode === 'script') &&
            open === null &&
            control === null &&
            !refusesTransaction(span.text, dialect);
          if (own) {
            await query('BEGIN');
            open = 'ours';
            held = new Map();
          }
          const t0 = performance.now();
          try {
            await conn.query(span.text, [], opts);
          } catch (error) {
            if (signal?.aborted) throw error;
            const refused = { message: errorMessage(error), sqlState: sqlStateOf(error) };
            const report = {
              index: i + 1,
              line: span.line,
              sql: span.text,
              durationMs: ms(performance.now() - t0),
              locks: null,
              flagged: [],
              error: refused,
            };
            statements.push(report);
            failure = { statement: report, ...refused };
            return;
          }
          const durationMs = ms(performance.now() - t0);
          if (control === 'begin') {
            open = 'script';
            held = new Map();
          } else if (control === 'end') open = null;
          let locks: LockTaken[] | null = null;
          if (observe && open !== null) {
            const now = await heldLocks(conn, signal);
            locks = newLocks(held, now, before);
            held = now;
          } else if (observe && control !== null) locks = [];
          statements.push({
            index: i + 1,
            line: span.line,
            sql: span.text,
            durationMs,
            locks,
            flagged: locks === null ? [] : this.#flags(locks, rowsBefore),
            error: null,
          });
          if (own) {
            await query('COMMIT');
            open = null;
          }
        }
        if (mode === 'file') {
          await query('COMMIT');
          open = null;
        }
      } finally {
        // A refused statement (or an abort) leaves a transaction open: roll it back, the next part starts clean.
        if (open !== null) await conn.query('ROLLBACK').catch(() => {});
      }
    });
    return {
      report: { file: part.file, transaction: mode, durationMs: ms(performance.now() - started), statements },
      failure,
    };
  }

  /** ACCESS EXCLUSIVE on a table that existed before the part ran and held rows (in the scratch, else by the target's estimate). */
  #flags(locks: readonly LockTaken[], rowsBefore: ReadonlyMap<string, number | null>): StatementFlag[] {
    const out: StatementFlag[] = [];
    for (const lock of locks) {
      if (lock.mode !== 'ACCESS EXCLUSIVE' || lock.created) continue;
      if (lock.kind !== 'table' && lock.kind !== 'partitioned table' && lock.kind !== 'materialized view')
        continue;
      const scratchRows = rowsBefore.get(lock.relation) ?? 0;
      const estimate = this.#estimates.get(lock.relation) ?? 0;
      const [rows, rowsSource] =
        scratchRows > 0
          ? [scratchRows, 'scratch' as const]
          : estimate > 0
            ? [estimate, 'target-estimate' as const]
            : [0, null];
      if (rowsSource === null) continue;
      const held =
        rowsSource === 'scratch' ? `${rows} rows in the scratch copy` : `about ${rows} rows on the target`;
      out.push({
        code: 'ACCESS_EXCLUSIVE_ON_TABLE_WITH_ROWS',
        relation: lock.relation,
        rows,
        rowsSource,
        message: `takes ACCESS EXCLUSIVE on ${lock.relation} (${held}): every read and write of it waits until the transaction ends`,
      });
    }
    return out;
  }
}

function notRun(file: MigrationFile): MigrationReport {
  return {
    file: file.path,
    tool: file.tool,
    version: file.version ?? null,
    name: file.name,
    status: 'not-run',
    up: null,
    down: null,
    hasDown: file.down !== null,
    redo: null,
    checks: { downRestores: null, upRepeatable: null, residue: [] },
    notes: ['not run: an earlier migration failed'],
  };
}

function residueOf(
  check: CheckResidue['check'],
  plan: {
    statements: readonly { sql: string }[];
    unsupported: readonly { kind: string; name: string; message: string }[];
  },
  message: string,
): CheckResidue[] {
  return [
    ...plan.statements.map((s) => ({ check, sql: s.sql, message })),
    ...plan.unsupported.map((u) => ({ check, sql: null, message: `${u.kind} ${u.name}: ${u.message}` })),
  ];
}

function flaggedIn(report: DirectionReport): boolean {
  return report.statements.some((s) => s.flagged.length > 0);
}

function upPart(file: MigrationFile): Part {
  return {
    file: file.path,
    text: file.text,
    start: file.up.start,
    end: file.up.end,
    noTransaction: TRANSACTION_TOOLS.has(file.tool) && !file.inTransaction,
  };
}

function toPart(file: MigrationFile, down: NonNullable<MigrationFile['down']>): Part {
  return {
    file: down.path,
    text: down.text,
    start: down.start,
    end: down.end,
    noTransaction: TRANSACTION_TOOLS.has(file.tool) && !down.inTransaction,
  };
}

function sectionOf(part: Part): string {
  return part.text.slice(part.start, part.end);
}

/** 1-based line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function ms(value: number): number {
  return Math.round(value * 100) / 100;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sqlStateOf(error: unknown): string | null {
  const state = (error as { sqlState?: unknown } | null)?.sqlState;
  return typeof state === 'string' && state !== '' ? state : null;
}
