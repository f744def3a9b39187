// Most checks look at many candidates (sessions, tables, indexes) and name the few past a threshold.
// One query does both: a figure over every candidate (the worst, a count), how many are past the
// threshold, and the first of those, worst first. Written once here for PostgreSQL, MySQL/MariaDB and
// SQLite (CTEs and window functions: PostgreSQL 10, MySQL 8.0, MariaDB 10.2, SQLite 3.25).
import type { Row } from './check-definition.js';
import { num } from './row-values.js';
import { MARKER } from './server-facts.js';
import type { HealthObject } from './types.js';

export interface SummaryQuery {
  /** SELECT of the candidates; its column names must not start with `health_`. */
  readonly candidates: string;
  /** Expression over all candidates, the check's value (`max(seconds)`, `count(*)`). */
  readonly value: string;
  /** Which candidates are objects (the threshold applied), e.g. `seconds > 60`. */
  readonly where: string;
  /** Worst first. */
  readonly orderBy: string;
  /** More expressions over all candidates, by alias (reported in `extra`). */
  readonly extra?: Readonly<Record<string, string>>;
  /** Common table expressions the candidates use, by name (written before `candidates`). */
  readonly with?: Readonly<Record<string, string>>;
}

/** The query; `limit` objects at most. */
export function summaryQuery(q: SummaryQuery, limit: number): string {
  const extra = Object.entries(q.extra ?? {})
    .map(([alias, expr]) => `, ${expr} AS ${alias}`)
    .join('');
  const ctes = Object.entries(q.with ?? {})
    .map(([name, sql]) => `${name} AS (\n${sql}\n), `)
    .join('');
  return `${MARKER}
WITH ${ctes}candidates AS (
${q.candidates}
)
SELECT s.*, o.*
FROM (SELECT ${q.value} AS health_value,
             SUM(CASE WHEN ${q.where} THEN 1 ELSE 0 END) AS health_total${extra}
        FROM candidates) s
LEFT JOIN (SELECT ROW_NUMBER() OVER (ORDER BY ${q.orderBy}) AS health_rank, candidates.*
             FROM candidates
            WHERE ${q.where}
            ORDER BY ${q.orderBy}
            LIMIT ${Math.max(0, Math.trunc(limit))}) o ON 1 = 1
ORDER BY o.health_rank`;
}

/** The value, total, extra figures and object rows of a summary query's result. */
export function readSummary(
  rows: readonly Row[],
  extraNames: readonly string[] = [],
): { value: number | null; total: number; extra: Record<string, number | string | null>; objectRows: Row[] } {
  const first = rows[0] ?? {};
  const extra: Record<string, number | string | null> = {};
  for (const name of extraNames) {
    const v = first[name];
    extra[name] = num(v) ?? (v === null || v === undefined ? null : String(v));
  }
  return {
    value: num(first.health_value),
    total: num(first.health_total) ?? 0,
    extra,
    objectRows: rows.filter((r) => r.health_rank !== null && r.health_rank !== undefined),
  };
}

/** A summary check's evaluate: the rows read by `readSummary`, each object made by `object`. */
export function summaryEvaluation(
  rows: readonly Row[],
  object: (row: Row) => HealthObject,
  extraNames: readonly string[] = [],
) {
  const s = readSummary(rows, extraNames);
  return { value: s.value, total: s.total, extra: s.extra, objects: s.objectRows.map(object) };
}
