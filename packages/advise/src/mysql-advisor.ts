// MySQL and MariaDB: candidates from EXPLAIN FORMAT=JSON, never proven. The plan names the tables read
// in full (access_type ALL, or a full index scan) with the condition attached to them, the sorts
// (filesort) and the temporary tables of a GROUP BY or DISTINCT; the rows examined per scan against
// the rows kept say how much of the read is waste. Proving a candidate would take an index built for
// real (invisible on MySQL 8, on a copy of the table so as not to lock it): too costly for advice.
import { conditionColumns, indexColumns, parsePlan } from '@aishell/plan';
import { throwIfAborted } from './errors.js';
import {
  columnsFromStatement,
  type ForeignStatement,
  foreignUsedColumns,
  readForeignStatement,
  relationNames,
  tableForPlanName,
} from './foreign-statement.js';
import { columnKey, type ExistingIndex, type TableInfo } from './index-candidates.js';
import {
  pickColumns,
  type StatementCandidate,
  sortColumn,
  unprovenAdvice,
  unprovenReport,
} from './plan-candidates.js';
import type { ResolvedOptions } from './postgres-advisor.js';
import { inlinePlaceholders } from './postgres-spelling.js';
import { num, str } from './row-values.js';
import type { AdviceReport, AdviseRun, StatementAdvice } from './types.js';

/** Tables that an EXPLAIN estimates below this many rows per scan are left alone: a full scan of them is cheap. */
export const MYSQL_MIN_ROWS = 1000;

export const MYSQL_UNPROVEN =
  'not proven: MySQL and MariaDB have no hypothetical indexes, and proving it would mean building it for real (an invisible index, on a copy of the table so as not to lock it), too costly for advice';

/** Column types a plain (not prefix) index cannot hold or should not. */
const NOT_INDEXABLE = new Set([
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'json',
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
]);

type Raw = Record<string, unknown>;

function isRaw(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A table access in the plan, with the sort above it if any. */
interface Access {
  readonly name: string;
  readonly accessType: string;
  readonly rows: number | null;
  readonly filtered: number | null;
  readonly condition: string | null;
  /** The sort key of a filesort above it (MariaDB), or true when MySQL 8 only says it sorts. */
  readonly sortKey: string | true | null;
  readonly temporary: boolean;
}

/** Every table access of a JSON plan, with the filesort/temporary table that holds it. */
function accesses(
  value: unknown,
  sortKey: string | true | null = null,
  temporary = false,
  out: Access[] = [],
): Access[] {
  if (Array.isArray(value)) {
    for (const v of value) accesses(v, sortKey, temporary, out);
    return out;
  }
  if (!isRaw(value)) return out;
  let sort = sortKey;
  let temp = temporary;
  if (typeof value.sort_key === 'string') sort = value.sort_key;
  if (value.using_filesort === true && sort === null) sort = true;
  if (value.using_temporary_table === true || isRaw(value.temporary_table)) temp = true;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'table' && isRaw(v) && typeof v.table_name === 'string') {
      out.push({
        name: v.table_name,
        accessType: String(v.access_type ?? ''),
        rows: num(v.rows_examined_per_scan) ?? num(v.rows),
        filtered: num(v.filtered),
        condition: str(v.attached_condition),
        sortKey: sort,
        temporary: temp,
      });
      // Subqueries attached to a table.
      for (const [k, sub] of Object.entries(v))
        if (k !== 'table_name' && (isRaw(sub) || Array.isArray(sub))) accesses(sub, null, false, out);
    } else if (isRaw(v) || Array.isArray(v)) {
      const inner = key === 'filesort' || key === 'temporary_table' || key === 'read_sorted_file';
      accesses(
        v,
        inner || key === 'nested_loop' ? sort : null,
        inner || key === 'nested_loop' ? temp : false,
        out,
      );
    }
  }
  return out;
}

const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function adviseMysql(
  run: AdviseRun,
  statements: readonly string[],
  o: ResolvedOptions,
): Promise<AdviceReport> {
  const read: ForeignStatement[] = [];
  for (const sql of statements) read.push(await readForeignStatement(sql, 'mysql'));
  const explained = new Map<ForeignStatement, { json: unknown; cost: number | null } | string>();
  for (const s of read) {
    if (s.skip) continue;
    throwIfAborted(o.signal);
    try {
      // No generic plan on MySQL: placeholders become 1, a value every column type compares with.
      const text = inlinePlaceholders(s.sql.trim().replace(/;\s*$/, ''), 'mysql', '1');
      const { rows } = await run(`EXPLAIN FORMAT=JSON ${text}`);
      const cell = rows[0]?.EXPLAIN;
      const json: unknown = typeof cell === 'string' ? JSON.parse(cell) : cell;
      let cost: number | null = null;
      try {
        cost = parsePlan(json).root.totalCost;
      } catch {
        cost = null;
      }
      explained.set(s, { json, cost });
    } catch (error) {
      explained.set(
        s,
        `EXPLAIN failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
      );
    }
  }
  const planNames = new Set<string>();
  for (const [s, e] of explained) {
    if (typeof e === 'string') continue;
    for (const a of accesses(e.json)) planNames.add(a.name);
    for (const n of relationNames(s.shape)) planNames.add(n);
  }
  const tables = await mysqlTables(run, [...planNames]);
  const found: StatementCandidate[] = [];
  const advice: {
    s: ForeignStatement;
    status: StatementAdvice['status'];
    reason: string;
    cost: number | null;
  }[] = [];
  for (const s of read) {
    const e = explained.get(s);
    if (s.skip || typeof e === 'string' || e === undefined) {
      advice.push({
        s,
        status: 'skipped',
        reason: s.skip ?? (e as string | undefined) ?? 'not explained',
        cost: null,
      });
      continue;
    }
    const used = foreignUsedColumns(s.shape, tables);
    const mine: StatementCandidate[] = [];
    for (const a of accesses(e.json)) {
      const full = a.accessType === 'ALL' || a.accessType === 'index';
      if (!full || (a.rows ?? 0) < MYSQL_MIN_ROWS) continue;
      const t = tableForPlanName(a.name, s.shape, tables);
      if (!t) continue;
      const fromCondition = a.condition ? indexColumns(conditionColumns(a.condition, t.names)) : [];
      const fromSort =
        typeof a.sortKey === 'string'
          ? a.sortKey.split(',').flatMap((k) => sortColumn(k) ?? [])
          : a.sortKey === true || a.temporary
            ? columnsFromStatement(t.table, used, true)
            : [];
      const names = [
        ...fromCondition,
        ...(fromCondition.length > 0 ? [] : columnsFromStatement(t.table, used)),
        ...fromSort,
      ];
      const columns = pickColumns(t.table, names, 'fold');
      if (!columns) continue;
      const kept =
        a.rows !== null && a.filtered !== null && a.filtered < 100 ? (a.rows * a.filtered) / 100 : null;
      const parts = [
        `${a.accessType === 'ALL' ? 'a full scan' : 'a full index scan'} of ${t.table.name} examines about ${formatCount(a.rows ?? 0)} rows per scan${kept !== null ? ` to keep about ${formatCount(kept)}` : ''}`,
      ];
      if (a.condition) parts.push(`for the condition ${a.condition}`);
      if (a.sortKey !== null) parts.push('then sorts them (filesort)');
      if (a.temporary) parts.push('through a temporary table');
      mine.push({ table: t.table, columns, why: parts.join(' '), statement: s.sql, costBefore: e.cost });
    }
    found.push(...mine);
    advice.push({
      s,
      status: mine.length > 0 ? 'unproven' : 'no-gain',
      reason:
        mine.length > 0
          ? mine.map((m) => m.why).join('; ')
          : `its plan reads no table of ${MYSQL_MIN_ROWS}+ rows in full where an index on its columns would serve`,
      cost: e.cost,
    });
  }
  const taken = new Set<string>();
  for (const t of tables.values()) for (const i of t.indexes) taken.add(`${t.schema}.${i.name}`);
  const indexes = unprovenAdvice(found, 'mysql', taken, MYSQL_UNPROVEN);
  return unprovenReport(
    'mysql',
    indexes,
    advice.map(({ s, status, reason, cost }) => ({ sql: s.sql, status, reason, cost })),
    MYSQL_UNPROVEN,
  );
}

/** The tables of the current database by folded name, with columns and indexes. */
async function mysqlTables(run: AdviseRun, names: readonly string[]): Promise<Map<string, TableInfo>> {
  const out = new Map<string, TableInfo>();
  const unique = [...new Set(names.map((n) => n.toLowerCase()))];
  if (unique.length === 0) return out;
  const marks = unique.map(() => '?').join(', ');
  const [{ rows: columns }, { rows: stats }] = [
    await run(
      `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type
         FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND LOWER(TABLE_NAME) IN (${marks})
        ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      unique,
    ),
    await run(
      `SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, COLUMN_NAME AS column_name, INDEX_TYPE AS index_type,
              SUB_PART AS sub_part
         FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = DATABASE() AND LOWER(TABLE_NAME) IN (${marks})
        ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
      unique,
    ),
  ];
  const build = new Map<
    string,
    {
      schema: string;
      name: string;
      columns: Map<string, { name: string; type: string; btree: boolean }>;
      indexes: Map<string, { columns: (string | null)[]; plain: boolean }>;
    }
  >();
  for (const c of columns) {
    const name = String(c.table_name);
    const key = name.toLowerCase();
    const t = build.get(key) ?? {
      schema: String(c.table_schema),
      name,
      columns: new Map(),
      indexes: new Map(),
    };
    const column = String(c.column_name);
    const type = String(c.data_type).toLowerCase();
    t.columns.set(columnKey(column, 'fold'), { name: column, type, btree: !NOT_INDEXABLE.has(type) });
    build.set(key, t);
  }
  for (const s of stats) {
    const t = build.get(String(s.table_name).toLowerCase());
    if (!t) continue;
    const indexName = String(s.index_name);
    const entry = t.indexes.get(indexName) ?? { columns: [], plain: true };
    entry.columns.push(s.column_name === null ? null : String(s.column_name));
    if (String(s.index_type).toUpperCase() !== 'BTREE' || s.sub_part !== null) entry.plain = false;
    t.indexes.set(indexName, entry);
  }
  for (const [key, t] of build) {
    const indexes: ExistingIndex[] = [...t.indexes].map(([name, i]) => ({
      name,
      columns: i.columns,
      plainBtree: i.plain,
    }));
    out.set(key, {
      key: `${t.schema}.${t.name}`,
      schema: t.schema,
      name: t.name,
      columns: t.columns,
      indexes,
    });
  }
  return out;
}
