// SQLite's checks: the file's own consistency, its foreign keys, and the space it could give back.
import { above, type CheckDefinition, type Row } from './check-definition.js';
import { num, round, text } from './row-values.js';
import { MARKER } from './server-facts.js';
import { sqlIdent, sqlString } from './sql-quoting.js';
import type { HealthObject } from './types.js';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const unique = (objects: readonly HealthObject[]) => [
  ...new Set(objects.map((o) => o.fix).filter((f): f is string => typeof f === 'string')),
];

/** integrity_check stops after this many problems. */
const INTEGRITY_LIMIT = 1000;
const RECOVER =
  'Restore the file from a backup, or recover what is readable: sqlite3 broken.db .recover | sqlite3 recovered.db';

const integrity: CheckDefinition = {
  name: 'integrity',
  description: 'PRAGMA integrity_check: the file’s pages, b-trees, indexes and constraints',
  unit: 'count',
  thresholds: [
    {
      name: 'integrity_errors',
      default: 0,
      unit: 'count',
      description: 'crit when integrity_check reports more problems than this',
    },
  ],
  query: () => `${MARKER} PRAGMA integrity_check(${INTEGRITY_LIMIT})`,
  evaluate: (rows) => {
    const problems = rows
      .map((r) => text(r.integrity_check ?? Object.values(r)[0]))
      .filter((m): m is string => m !== null && m !== 'ok');
    return {
      value: problems.length,
      total: problems.length,
      extra: { capped: problems.length >= INTEGRITY_LIMIT ? 1 : 0 },
      objects: problems.map((message) => {
        // An index that disagrees with its table is rebuilt from the table.
        const index = /\bindex (\S+)/.exec(message)?.[1];
        return { message, fix: index ? `REINDEX ${sqlIdent(index)};` : null };
      }),
    };
  },
  verdict: above('integrity_errors', 'integrity_errors'),
  reason: (e) =>
    e.total > 0
      ? `integrity_check reports ${e.extra?.capped ? `${INTEGRITY_LIMIT} or more problems` : plural(e.total, 'problem')}`
      : 'integrity_check: ok',
  fix: (objects) => {
    const fixes = unique(objects);
    const allIndexes = objects.every((o) => typeof o.fix === 'string');
    return allIndexes && fixes.length ? fixes.join(' ') : RECOVER;
  },
  // A file too damaged to check at all is the finding itself.
  onError: (error) =>
    error.code?.startsWith('SQLITE_CORRUPT') || error.code === 'SQLITE_NOTADB'
      ? { status: 'crit', reason: `the file cannot be read: ${error.message}`, fix: RECOVER }
      : undefined,
};

const foreignKeys: CheckDefinition = {
  name: 'foreign_keys',
  description: 'PRAGMA foreign_key_check: rows whose parent row is missing',
  unit: 'count',
  thresholds: [
    {
      name: 'foreign_keys_violations',
      default: 0,
      unit: 'count',
      description: 'crit when more rows than this break a foreign key',
    },
  ],
  // One object per foreign key broken (table, parent, columns) with the number of rows that break it.
  query: (ctx) => `${MARKER}
WITH v AS (
  SELECT "table" AS table_name, parent, fkid, count(*) AS violations
    FROM pragma_foreign_key_check
   GROUP BY 1, 2, 3
)
SELECT v.table_name, v.parent, v.fkid, v.violations,
       (SELECT sum(violations) FROM v) AS total_violations, (SELECT count(*) FROM v) AS broken_keys,
       (SELECT group_concat("from", ', ') FROM (SELECT "from" FROM pragma_foreign_key_list(v.table_name)
         WHERE id = v.fkid ORDER BY seq)) AS columns,
       (SELECT group_concat("to", ', ') FROM (SELECT "to" FROM pragma_foreign_key_list(v.table_name)
         WHERE id = v.fkid ORDER BY seq)) AS parent_columns
  FROM v
 ORDER BY v.violations DESC, v.table_name, v.fkid
 LIMIT ${Math.max(1, ctx.maxObjects)}`,
  evaluate: (rows) => {
    const first: Row = rows[0] ?? {};
    return {
      value: num(first.total_violations) ?? 0,
      total: num(first.broken_keys) ?? 0,
      objects: rows.map((r) => {
        const table = String(text(r.table_name));
        return {
          table,
          columns: text(r.columns),
          parent: text(r.parent),
          parentColumns: text(r.parent_columns),
          violations: num(r.violations),
          fix: `DELETE FROM ${sqlIdent(table)} WHERE rowid IN (SELECT rowid FROM pragma_foreign_key_check(${sqlString(table)}) WHERE fkid = ${num(r.fkid)});`,
        };
      }),
    };
  },
  verdict: above('foreign_keys_violations', 'foreign_keys_violations'),
  reason: (e) =>
    e.total > 0
      ? `${plural(e.value ?? 0, 'row')} without their parent row, across ${plural(e.total, 'foreign key')} (insert the missing parents, or delete the rows)`
      : 'every foreign key holds',
  fix: (objects) => (objects.length ? unique(objects).join(' ') : null),
};

const freePages: CheckDefinition = {
  name: 'free_pages',
  description: 'free pages (freelist_count) against the file’s pages (page_count)',
  unit: 'ratio',
  thresholds: [
    {
      name: 'free_pages_ratio',
      default: 0.25,
      unit: 'ratio',
      description: 'warn when more than this share of the file is free pages',
    },
  ],
  query: () => `${MARKER}
SELECT (SELECT freelist_count FROM pragma_freelist_count) AS free_pages,
       (SELECT page_count FROM pragma_page_count) AS page_count,
       (SELECT page_size FROM pragma_page_size) AS page_size,
       (SELECT auto_vacuum FROM pragma_auto_vacuum) AS auto_vacuum`,
  evaluate: (rows) => {
    const r: Row = rows[0] ?? {};
    const free = num(r.free_pages) ?? 0;
    const pages = num(r.page_count) ?? 0;
    const pageSize = num(r.page_size) ?? 0;
    return {
      value: pages ? round(free / pages, 6) : 0,
      total: 0,
      objects: [],
      extra: { free, pages, freeBytes: free * pageSize, autoVacuum: num(r.auto_vacuum) },
    };
  },
  verdict: above('free_pages_ratio'),
  reason: (e) =>
    `${e.extra?.free} of ${e.extra?.pages} pages free (${e.extra?.freeBytes} bytes, ${round((e.value ?? 0) * 100, 1)} %)`,
  fix: () => 'VACUUM;',
};

/** SQLite's checks, in the order results are reported. */
export const SQLITE_CHECKS: readonly CheckDefinition[] = [integrity, foreignKeys, freePages];
