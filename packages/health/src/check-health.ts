// The runner: validate the options, learn the server, run every check's one query at once, and turn
// rows into verdicts. A check the database refuses is skipped with the reason; a `run` that cannot
// reach the database fails the whole run (a report of skips would read as healthy).
import type { CheckContext, CheckDefinition, Thresholds } from './check-definition.js';
import { type DatabaseErrorInfo, databaseErrorOf, isPrivilegeError } from './database-error.js';
import { HealthError } from './errors.js';
import { CHECKS } from './health-checks.js';
import { probeSql, type ServerFacts, serverFacts } from './server-facts.js';
import {
  HEALTH_DEFAULTS,
  HEALTH_DIALECTS,
  type HealthCheckResult,
  type HealthDialect,
  type HealthOptions,
  type HealthReport,
  type HealthRun,
} from './types.js';

/**
 * Runs the health checks of `dialect` through `run` and returns their verdicts. Never prints.
 *
 * @example
 * const report = await checkHealth((sql) => pool.query(sql), 'postgres', { thresholds: { idle_in_transaction_seconds: 30 } });
 * process.exitCode = healthExitCode(report); // 0, 8 or 9
 * @throws HealthError `HEALTH_UNKNOWN_CHECK`, `HEALTH_UNKNOWN_THRESHOLD`, `HEALTH_BAD_THRESHOLD`,
 *   `HEALTH_BAD_OPTION` before any query; `HEALTH_QUERY_FAILED` when the database cannot be reached;
 *   `HEALTH_ABORTED` when `signal` fires.
 */
export async function checkHealth(
  run: HealthRun,
  dialect: HealthDialect,
  options: HealthOptions = {},
): Promise<HealthReport> {
  if (!HEALTH_DIALECTS.includes(dialect))
    throw new HealthError(
      'HEALTH_BAD_OPTION',
      `unknown dialect ${JSON.stringify(dialect)}; expected one of ${HEALTH_DIALECTS.join(', ')}`,
    );
  if (typeof run !== 'function') throw new HealthError('HEALTH_BAD_OPTION', 'run must be a function');
  const definitions = CHECKS[dialect];
  const selected = selectChecks(definitions, options.only, dialect);
  const thresholds = resolveThresholds(definitions, options.thresholds, dialect);
  const maxObjects = resolveMaxObjects(options.maxObjects);
  const { signal } = options;
  throwIfAborted(signal);

  const probe = probeSql(dialect);
  let facts: ServerFacts;
  if (probe === null) facts = serverFacts(dialect, []);
  else {
    try {
      facts = serverFacts(dialect, await abortable(rowsOf(run, probe), signal));
    } catch (error) {
      if (error instanceof HealthError) throw error;
      // A SQLite file too damaged to read its header still gets its checks (integrity reports it).
      if (dialect === 'sqlite' && databaseErrorOf(error)) facts = serverFacts(dialect, []);
      else
        throw new HealthError(
          'HEALTH_QUERY_FAILED',
          `cannot read the server's version: ${messageOf(error)}`,
          {
            cause: error,
          },
        );
    }
  }
  const ctx: CheckContext = { facts, thresholds, maxObjects };
  const checks = await abortable(Promise.all(selected.map((check) => runCheck(check, run, ctx))), signal);
  return { dialect, server: { flavor: facts.flavor, version: facts.version }, checks };
}

async function runCheck(
  check: CheckDefinition,
  run: HealthRun,
  ctx: CheckContext,
): Promise<HealthCheckResult> {
  const primary = check.thresholds[0];
  const result = (r: Pick<HealthCheckResult, 'status' | 'fix' | 'reason'> & Partial<HealthCheckResult>) => ({
    name: check.name,
    status: r.status,
    value: r.value ?? null,
    threshold: primary ? (ctx.thresholds[primary.name] ?? null) : null,
    thresholdName: primary?.name ?? '',
    unit: check.unit,
    objects: r.objects ?? [],
    moreObjects: r.moreObjects ?? 0,
    fix: r.fix,
    reason: r.reason,
  });
  const query = check.query(ctx);
  if (typeof query !== 'string') return result({ status: 'skipped', fix: query.fix, reason: query.skip });
  let rows: Record<string, unknown>[];
  try {
    rows = await rowsOf(run, query);
  } catch (error) {
    const refusal = databaseErrorOf(error);
    if (!refusal)
      throw new HealthError('HEALTH_QUERY_FAILED', `the ${check.name} check failed: ${messageOf(error)}`, {
        cause: error,
        check: check.name,
      });
    return result(check.onError?.(refusal, ctx) ?? refused(refusal, ctx.facts));
  }
  const evaluation = check.evaluate(rows, ctx);
  const status = check.verdict(evaluation, ctx.thresholds);
  const objects = evaluation.objects.slice(0, ctx.maxObjects);
  return result({
    status,
    value: evaluation.value,
    objects,
    moreObjects: Math.max(0, evaluation.total - objects.length, evaluation.objects.length - objects.length),
    fix: status === 'ok' ? null : check.fix(objects, ctx),
    reason: check.reason(evaluation, ctx.thresholds, ctx),
  });
}

const GRANTS: Record<ServerFacts['flavor'], string | null> = {
  postgres: 'GRANT pg_monitor TO <this user>; (or run the checks as a superuser)',
  mysql:
    'GRANT PROCESS, REPLICATION CLIENT ON *.* TO <this user>; GRANT SELECT ON performance_schema.* TO <this user>;',
  mariadb:
    'GRANT PROCESS, SLAVE MONITOR ON *.* TO <this user>; GRANT SELECT ON performance_schema.* TO <this user>;',
  sqlite: null,
};

/** The skip of a check whose query the database refused. */
function refused(error: DatabaseErrorInfo, facts: ServerFacts) {
  if (isPrivilegeError(error))
    return {
      status: 'skipped' as const,
      reason: `missing privilege: ${error.message}`,
      fix: GRANTS[facts.flavor],
    };
  return {
    status: 'skipped' as const,
    reason:
      error.code && !error.message.includes(error.code) ? `${error.message} (${error.code})` : error.message,
    fix: null,
  };
}

async function rowsOf(run: HealthRun, sql: string): Promise<Record<string, unknown>[]> {
  const result = await run(sql);
  return Array.isArray(result?.rows) ? result.rows : [];
}

function selectChecks(
  definitions: readonly CheckDefinition[],
  only: readonly string[] | undefined,
  dialect: HealthDialect,
): readonly CheckDefinition[] {
  if (only === undefined) return definitions;
  if (!Array.isArray(only) || only.length === 0)
    throw new HealthError('HEALTH_BAD_OPTION', 'only must name at least one check');
  const names = new Set(definitions.map((d) => d.name));
  const unknown = only.filter((name) => !names.has(name));
  if (unknown.length)
    throw new HealthError(
      'HEALTH_UNKNOWN_CHECK',
      `unknown ${unknown.length === 1 ? 'check' : 'checks'} ${unknown.map((n) => JSON.stringify(n)).join(', ')} for ${dialect}; the checks are: ${[...names].join(', ')}`,
    );
  const wanted = new Set(only);
  return definitions.filter((d) => wanted.has(d.name));
}

function resolveThresholds(
  definitions: readonly CheckDefinition[],
  overrides: Readonly<Record<string, number>> | undefined,
  dialect: HealthDialect,
): Thresholds {
  const known = new Map(definitions.flatMap((d) => d.thresholds.map((t) => [t.name, t] as const)));
  const resolved: Record<string, number | null> = Object.create(null);
  for (const [name, t] of known) resolved[name] = t.default;
  if (overrides === undefined) return resolved;
  if (typeof overrides !== 'object' || overrides === null)
    throw new HealthError('HEALTH_BAD_OPTION', 'thresholds must be an object of name -> number');
  for (const [name, value] of Object.entries(overrides)) {
    const t = known.get(name);
    if (!t)
      throw new HealthError(
        'HEALTH_UNKNOWN_THRESHOLD',
        `unknown threshold ${JSON.stringify(name)} for ${dialect}; the thresholds are: ${[...known.keys()].join(', ')}`,
      );
    const ratio = t.unit === 'ratio';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (ratio && value > 1))
      throw new HealthError(
        'HEALTH_BAD_THRESHOLD',
        `threshold ${name} must be ${ratio ? 'a ratio between 0 and 1' : `a number of ${t.unit}, 0 or more`}; got ${JSON.stringify(value)}`,
      );
    resolved[name] = value;
  }
  return resolved;
}

function resolveMaxObjects(value: number | undefined): number {
  if (value === undefined) return HEALTH_DEFAULTS.maxObjects;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new HealthError('HEALTH_BAD_OPTION', `maxObjects must be a whole number, 0 or more; got ${value}`);
  return value;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new HealthError('HEALTH_ABORTED', 'the health checks were aborted', { cause: signal.reason });
}

/** `promise`, or a HEALTH_ABORTED rejection as soon as `signal` fires (the promise is left to settle). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(new HealthError('HEALTH_ABORTED', 'the health checks were aborted', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
