// Candidates that a plan points at but nothing proves: where HypoPG is missing on PostgreSQL, and always
// on MySQL/MariaDB and SQLite. One shape for all three: a table, its columns (at most two: equality
// columns first, then a range or sort column), the statement and why.
import { conditionColumns, indexColumns, type ParsedNode, type ParsedPlan } from '@aishell/plan';
import { chooseIndexName, qualifiedName, quoteIdentifier } from './identifiers.js';
import {
  columnKey,
  coveredByExisting,
  type NameCase,
  type TableInfo,
  type UsedColumn,
} from './index-candidates.js';
import type { AdviceReport, AdviseDialect, IndexAdvice, StatementAdvice } from './types.js';

/** A candidate one statement's plan points at. */
export interface PlanCandidate {
  readonly table: TableInfo;
  readonly columns: readonly string[];
  /** What the plan shows, e.g. "a sequential scan of orders filters on status". */
  readonly why: string;
}

/** The same, with its statement. */
export interface StatementCandidate extends PlanCandidate {
  readonly statement: string;
  readonly costBefore: number | null;
}

/**
 * The columns of `table` that `names` lists, in that order, at most two, btree-able, unless an existing
 * index already leads with the first; null when none is left.
 */
export function pickColumns(table: TableInfo, names: readonly string[], nameCase: NameCase): string[] | null {
  const columns: string[] = [];
  for (const n of names) {
    const column = table.columns.get(columnKey(n, nameCase));
    if (column?.btree && !columns.includes(column.name)) columns.push(column.name);
    if (columns.length === 2) break;
  }
  if (columns.length === 0) return null;
  // An existing index leading with the first column serves much of it already.
  if (coveredByExisting(table, columns.slice(0, 1), nameCase)) return null;
  return columns;
}

/** The column a sort key names (`t.created_at DESC` -> created_at), if it is a plain one. */
export function sortColumn(key: string): string | null {
  const m =
    /^(?:(?:"[^"]+"|`[^`]+`|\w+)\.)*("[^"]+"|`[^`]+`|\w+)(?:\s+(?:ASC|DESC|NULLS\s+(?:FIRST|LAST)))*$/i.exec(
      key.trim(),
    );
  if (!m?.[1]) return null;
  const name = m[1];
  return name.startsWith('"') || name.startsWith('`') ? name.slice(1, -1) : name;
}

function nodes(root: ParsedNode): ParsedNode[] {
  const out: ParsedNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop() as ParsedNode;
    out.push(n);
    stack.push(...n.children);
  }
  return out;
}

/** The table of a plan node, by its relation name (and alias) among the statement's tables. */
function tableOfNode(
  node: ParsedNode,
  used: readonly UsedColumn[],
  nameCase: NameCase,
): TableInfo | undefined {
  const relation = node.relation;
  if (relation === null) return undefined;
  return used.find(
    (u) =>
      columnKey(u.table.name, nameCase) === columnKey(relation, nameCase) &&
      (node.schema === undefined || u.table.schema === null || u.table.schema === node.schema),
  )?.table;
}

/**
 * PostgreSQL: the sequential scans whose filter compares columns of their table (equality first, then
 * one range), and sorts directly over a sequential scan.
 */
export function planCandidates(
  plan: ParsedPlan | null,
  used: readonly UsedColumn[],
  nameCase: NameCase,
): PlanCandidate[] {
  if (!plan) return [];
  const out: PlanCandidate[] = [];
  for (const node of nodes(plan.root)) {
    if (node.nodeType === 'Seq Scan' && node.filter !== undefined) {
      const table = tableOfNode(node, used, nameCase);
      if (!table) continue;
      const names = [node.relation ?? '', ...(node.alias ? [node.alias] : [])];
      const columns = pickColumns(table, indexColumns(conditionColumns(node.filter, names)), nameCase);
      if (columns)
        out.push({
          table,
          columns,
          why: `a sequential scan of ${table.name} filters on ${columns.join(', ')}`,
        });
    } else if ((node.nodeType === 'Sort' || node.nodeType === 'Incremental Sort') && node.sortKey) {
      const scan = node.children.length === 1 ? node.children[0] : undefined;
      if (scan?.nodeType !== 'Seq Scan' || scan.filter !== undefined) continue;
      const table = tableOfNode(scan, used, nameCase);
      if (!table) continue;
      const keys = node.sortKey.map(sortColumn);
      if (keys.some((k) => k === null)) continue;
      const columns = pickColumns(table, keys as string[], nameCase);
      if (columns)
        out.push({
          table,
          columns,
          why: `${table.name} is read in full and sorted on ${columns.join(', ')}`,
        });
    }
  }
  return out;
}

/** Merges the candidates of several statements (one advice per table and columns), unproven. */
export function unprovenAdvice(
  found: readonly StatementCandidate[],
  dialect: AdviseDialect,
  taken: ReadonlySet<string>,
  because: string,
): IndexAdvice[] {
  const nameCase: NameCase = dialect === 'postgres' ? 'exact' : 'fold';
  const byKey = new Map<string, StatementCandidate[]>();
  for (const f of found) {
    const key = `${f.table.key}(${f.columns.map((c) => columnKey(c, nameCase)).join(',')})`;
    byKey.set(key, [...(byKey.get(key) ?? []), f]);
  }
  const names = new Set(taken);
  const advice: IndexAdvice[] = [];
  for (const group of byKey.values()) {
    const first = group[0] as StatementCandidate;
    const { table, columns } = first;
    const statements = [...new Set(group.map((g) => g.statement))];
    const costs = statements.map((s) => ({
      statement: s,
      costBefore: group.find((g) => g.statement === s)?.costBefore ?? null,
      costAfter: null,
    }));
    const known = costs.every((c) => c.costBefore !== null);
    const scope = table.schema === null ? '' : `${table.schema}.`;
    const inScope = new Set(
      [...names]
        .filter((n) => n.startsWith(scope))
        .map((n) => (nameCase === 'fold' ? n.slice(scope.length).toLowerCase() : n.slice(scope.length))),
    );
    const name = chooseIndexName(table.name, columns, inScope, nameCase === 'fold');
    names.add(`${scope}${name}`);
    const cols = columns.map((c) => quoteIdentifier(c, dialect)).join(', ');
    const target = qualifiedName(table.schema, table.name, dialect);
    const sql =
      dialect === 'postgres'
        ? `CREATE INDEX CONCURRENTLY ${quoteIdentifier(name, dialect)} ON ${target} (${cols});`
        : dialect === 'mysql'
          ? `ALTER TABLE ${target} ADD INDEX ${quoteIdentifier(name, dialect)} (${cols}), ALGORITHM=INPLACE, LOCK=NONE;`
          : `CREATE INDEX ${quoteIdentifier(name, dialect)} ON ${target} (${cols});`;
    advice.push({
      table: table.name,
      schema: table.schema,
      columns,
      name,
      sql,
      costBefore: known ? Math.round(costs.reduce((s, c) => s + (c.costBefore ?? 0), 0) * 100) / 100 : null,
      costAfter: null,
      proven: false,
      statements,
      statementCosts: costs,
      sizeBytes: null,
      reason: `${[...new Set(group.map((g) => g.why))].join('; ')} — ${because}`,
    });
  }
  return advice;
}

/** How one statement fared on an engine that cannot prove advice (MySQL/MariaDB, SQLite). */
export interface UnprovenStatement {
  readonly sql: string;
  readonly status: StatementAdvice['status'];
  readonly reason: string;
  /** The cost of its plan where the engine gives one (MySQL's query_cost), else null. */
  readonly cost: number | null;
}

/**
 * The report of an engine without hypothetical indexes: the unproven advice with, for each statement, the
 * indexes named for it, and `because` as its note when there is advice.
 */
export function unprovenReport(
  dialect: Exclude<AdviseDialect, 'postgres'>,
  indexes: readonly IndexAdvice[],
  statements: readonly UnprovenStatement[],
  because: string,
): AdviceReport {
  return {
    dialect,
    source: 'statements',
    proven: false,
    hypopg: { state: 'unsupported', version: null, hint: null },
    indexes,
    statements: statements.map((s) => ({
      sql: s.sql,
      status: s.status,
      costBefore: s.cost,
      costAfter: null,
      indexes: indexes.filter((i) => i.statements.includes(s.sql)).map((i) => i.name),
      reason: s.reason,
    })),
    notes: indexes.length > 0 ? [because] : [],
  };
}
