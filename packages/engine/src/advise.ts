// @aishell/advise loads only when `aishell advise` runs.
import type { AdviceReport, AdviseOptions, AdviseRun, IndexAdvice, IndexDrop } from '@aishell/advise';
import type { HealthCheckResult, HealthObject } from '@aishell/health';
import type { Queryable } from '@aishell/pool';
import { SafetyError, UsageError } from './errors.js';
import { health } from './health.js';
import type { Session } from './session.js';

/** Options of {@link advise}: @aishell/advise's, and the size from which an unused index is listed to drop. */
export interface AdviseSessionOptions extends AdviseOptions {
  /**
   * Indexes never scanned are listed to drop from this size on (health's `unused_indexes_bytes`).
   * @default 10 MiB, health's default
   */
  readonly unusedMinBytes?: number;
}

/** The document of `aishell advise --json`: the advice, the indexes to drop, and what `--create` built. */
export interface AdviseDocument extends AdviceReport {
  readonly drop: readonly IndexDrop[];
  /** The indexes `createIndexes` built (absent without --create). */
  readonly created?: readonly CreatedIndex[];
}

/** An index `createIndexes` built. */
export interface CreatedIndex {
  readonly name: string;
  readonly table: string;
  readonly schema: string | null;
  readonly sql: string;
  readonly durationMs: number;
}

/** Where a build stands, from pg_stat_progress_create_index. */
export interface IndexBuildProgress {
  readonly index: string;
  /** 1-based position among the indexes being built, and how many there are. */
  readonly position: number;
  readonly count: number;
  /** PostgreSQL's phase, e.g. `building index: scanning table`; `done` at the end. */
  readonly phase: string;
  readonly blocksDone: number | null;
  readonly blocksTotal: number | null;
  readonly tuplesDone: number | null;
  readonly tuplesTotal: number | null;
}

/** Options of {@link createIndexes}. */
export interface CreateIndexesOptions {
  /** The person confirmed building them (`--yes`). @default false */
  readonly confirmed?: boolean;
  /** Asked before building, with the statements; false refuses (SafetyError, nothing built). */
  readonly confirm?: (statements: readonly string[]) => Promise<boolean>;
  /** Called about four times a second during each build, and once when it is done. */
  readonly onProgress?: (progress: IndexBuildProgress) => void;
  /** How often progress is read, ms. @default 250 */
  readonly progressIntervalMillis?: number;
  readonly signal?: AbortSignal;
}

/**
 * Index advice for the session's database (@aishell/advise: on PostgreSQL proven with HypoPG, on one
 * connection that is reset afterwards), with the unused and duplicate indexes worth dropping (health's
 * own duplicate/unused checks, or redundant/unused on MySQL). Creates nothing.
 * @example const doc = await advise(session, { statements: ['select * from orders where status = $1'] });
 */
export async function advise(session: Session, options: AdviseSessionOptions = {}): Promise<AdviseDocument> {
  const { adviseIndexes } = await import('@aishell/advise');
  const { unusedMinBytes, ...adviseOptions } = options;
  const signal = options.signal ? { signal: options.signal } : {};
  const on =
    (q: Queryable): AdviseRun =>
    (sql, params) =>
      q.query(sql, params ?? [], signal);
  let report: AdviceReport;
  if (session.dialect === 'pglite' && options.statements === undefined)
    throw new UsageError(
      'the embedded PGlite database keeps no pg_stat_statements: there are no top statements to read',
      {
        hint: 'pass the statements to advise on',
      },
    );
  if (session.sqlDialect === 'postgres') {
    // HypoPG's indexes and the prepared statements live in one backend: one connection, reset after.
    const { value } = await session.pool.isolated(
      (conn) => adviseIndexes(on(conn), 'postgres', adviseOptions),
      signal,
    );
    report = value;
    if (session.dialect === 'pglite' && report.hypopg.state !== 'ready') {
      const hint =
        'the embedded PGlite database has no HypoPG: run advise on a PostgreSQL server that has it to prove the advice';
      report = {
        ...report,
        hypopg: { ...report.hypopg, hint },
        notes: report.notes.map((n) => (n.startsWith('not proven:') ? `not proven: ${hint}` : n)),
      };
    }
  } else {
    report = await adviseIndexes(on(session.pool), session.sqlDialect, adviseOptions);
  }
  const drop = await indexesToDrop(session, unusedMinBytes, options.signal);
  return { ...report, drop };
}

const DROP_CHECKS: Readonly<Record<Session['sqlDialect'], { duplicate: string; unused: string } | null>> = {
  postgres: { duplicate: 'duplicate_indexes', unused: 'unused_indexes' },
  mysql: { duplicate: 'redundant_indexes', unused: 'unused_indexes' },
  sqlite: null,
};

const text = (v: HealthObject[string] | undefined): string | null => (typeof v === 'string' ? v : null);
const count = (v: HealthObject[string] | undefined): number | null => (typeof v === 'number' ? v : null);

/** Health's duplicate and unused indexes as drops (a check that cannot run here adds nothing). */
async function indexesToDrop(
  session: Session,
  unusedMinBytes: number | undefined,
  signal: AbortSignal | undefined,
): Promise<IndexDrop[]> {
  const checks = DROP_CHECKS[session.sqlDialect];
  if (!checks || session.dialect === 'pglite') return [];
  const report = await health(session, {
    only: [checks.duplicate, checks.unused],
    maxObjects: 100,
    ...(unusedMinBytes !== undefined ? { thresholds: { unused_indexes_bytes: unusedMinBytes } } : {}),
    ...(signal ? { signal } : {}),
  });
  const drops: IndexDrop[] = [];
  const seen = new Set<string>();
  const add = (check: HealthCheckResult | undefined, kind: IndexDrop['kind']): void => {
    if (!check || (check.status !== 'warn' && check.status !== 'crit')) return;
    for (const o of check.objects) {
      const schema = text(o.schema);
      const name = text(o.index) ?? '';
      const index = schema !== null && session.sqlDialect === 'postgres' ? `${schema}.${name}` : name;
      const table = text(o.table) ?? '';
      const key = `${schema}.${table}.${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const coveredBy = text(o.coveredBy);
      const definition = text(o.coveringDefinition) ?? text(o.coveringColumns);
      drops.push({
        index,
        table,
        schema,
        kind,
        reason:
          kind === 'duplicate'
            ? `duplicate: ${coveredBy ?? 'another index'}${definition ? ` (${definition})` : ''} covers it`
            : 'unused: never scanned since the statistics were reset (check the replicas before dropping it)',
        sizeBytes: count(o.sizeBytes),
        indexScans: kind === 'unused' ? (count(o.indexScans) ?? 0) : count(o.indexScans),
        sql: text(o.fix) ?? '',
      });
    }
  };
  add(
    report.checks.find((c) => c.name === checks.duplicate),
    'duplicate',
  );
  add(
    report.checks.find((c) => c.name === checks.unused),
    'unused',
  );
  return drops;
}

/** The advised indexes `createIndexes` builds: the proven ones (unproven advice is for a person to review). */
export function indexesToCreate(doc: Pick<AdviceReport, 'indexes' | 'dialect'>): IndexAdvice[] {
  return doc.dialect === 'postgres' ? doc.indexes.filter((i) => i.proven) : [];
}

/**
 * Builds the proven advised indexes with CREATE INDEX CONCURRENTLY, one after the other, after
 * confirmation (`confirmed`, or `confirm` answering yes; else SafetyError and nothing is built),
 * reporting pg_stat_progress_create_index. A build that fails or is cancelled leaves an INVALID index
 * behind, which is dropped (DROP INDEX CONCURRENTLY) before the error is rethrown.
 */
export async function createIndexes(
  session: Session,
  doc: Pick<AdviceReport, 'indexes' | 'dialect'>,
  options: CreateIndexesOptions = {},
): Promise<CreatedIndex[]> {
  const todo = indexesToCreate(doc);
  if (todo.length === 0) return [];
  const statements = todo.map((i) => i.sql);
  if (!options.confirmed && !(options.confirm && (await options.confirm(statements))))
    throw new SafetyError('high', [
      `builds ${todo.length === 1 ? 'an index' : `${todo.length} indexes`} (${todo.map((i) => i.name).join(', ')}) with CREATE INDEX CONCURRENTLY`,
    ]);
  const signal = options.signal ? { signal: options.signal } : {};
  const created: CreatedIndex[] = [];
  for (const [n, index] of todo.entries()) {
    const started = performance.now();
    await session.pool.withConnection(async (conn) => {
      const { rows } = await conn.query('SELECT pg_backend_pid() AS pid');
      const pid = Number(rows[0]?.pid);
      const report = (p: Omit<IndexBuildProgress, 'index' | 'position' | 'count'>) =>
        options.onProgress?.({ index: index.name, position: n + 1, count: todo.length, ...p });
      const stop = options.onProgress
        ? watchProgress(session, pid, report, options.progressIntervalMillis ?? 250)
        : null;
      try {
        await conn.query(index.sql, [], signal);
      } catch (error) {
        // 42P07: the name was taken meanwhile, and that index is not ours to drop.
        if ((error as { sqlState?: unknown }).sqlState !== '42P07')
          await dropInvalid(session, index).catch(() => {});
        throw error;
      } finally {
        await stop?.();
      }
      report({ phase: 'done', blocksDone: null, blocksTotal: null, tuplesDone: null, tuplesTotal: null });
    }, signal);
    created.push({
      name: index.name,
      table: index.table,
      schema: index.schema,
      sql: index.sql,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  }
  return created;
}

/** Reads the build's progress on another connection until stopped. */
function watchProgress(
  session: Session,
  pid: number,
  report: (p: Omit<IndexBuildProgress, 'index' | 'position' | 'count'>) => void,
  intervalMillis: number,
): () => Promise<void> {
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const tick = (): void => {
    pending = session.pool
      .query(
        'SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total FROM pg_stat_progress_create_index WHERE pid = $1',
        [pid],
      )
      .then(({ rows }) => {
        const r = rows[0];
        if (!r || stopped) return;
        report({
          phase: String(r.phase),
          blocksDone: num(r.blocks_done),
          blocksTotal: num(r.blocks_total),
          tuplesDone: num(r.tuples_done),
          tuplesTotal: num(r.tuples_total),
        });
      })
      .catch(() => {});
  };
  const timer = setInterval(tick, intervalMillis);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await pending;
  };
}

/** Drops the INVALID index a failed CREATE INDEX CONCURRENTLY left, if it did. */
async function dropInvalid(session: Session, index: IndexAdvice): Promise<void> {
  const { rows } = await session.pool.query(
    `SELECT format('%I.%I', n.nspname, c.relname) AS qualified
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_index i ON i.indexrelid = c.oid
      WHERE n.nspname = $1 AND c.relname = $2 AND NOT i.indisvalid`,
    [index.schema ?? 'public', index.name],
  );
  const qualified = rows[0]?.qualified;
  if (typeof qualified === 'string')
    await session.pool.query(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified}`);
}
