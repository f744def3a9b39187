// A MySQL or SQLite statement read for advise: what kind it is, and (when PostgreSQL's parser reads its
// respelled text) the tables and columns it uses. The plan decides which tables need an index; this
// says which of their columns the statement filters, joins, sorts and groups on.
import { loadParser, parsePostgres } from '@aishell/sql';
import { columnKey, type TableInfo, type UsedColumn, usedColumns } from './index-candidates.js';
import { postgresSpelling } from './postgres-spelling.js';
import { type RelationName, type StatementShape, statementShape } from './statement-shape.js';
import type { AdviseDialect } from './types.js';

export interface ForeignStatement {
  readonly sql: string;
  /** Null when PostgreSQL's parser could not read it: then only the plan speaks. */
  readonly shape: StatementShape | null;
  /** Why it is not looked at, when it is not. */
  readonly skip: string | null;
}

const EXPLAINABLE = /^\s*(?:\(\s*)*(?:select|with|insert|replace|update|delete|table|values)\b/i;

/** The statement's shape, or why advise leaves it alone. */
export async function readForeignStatement(sql: string, dialect: AdviseDialect): Promise<ForeignStatement> {
  const text = sql.trim().replace(/;\s*$/, '');
  if (!EXPLAINABLE.test(text))
    return { sql, shape: null, skip: 'only SELECT, INSERT, UPDATE and DELETE can use an index' };
  await loadParser('postgres');
  try {
    const tree = parsePostgres(postgresSpelling(text, dialect));
    if (tree.stmts.length > 1)
      return {
        sql,
        shape: null,
        skip: `advise takes one statement at a time (this text holds ${tree.stmts.length})`,
      };
    return { sql, shape: statementShape(tree.stmts[0]?.stmt), skip: null };
  } catch {
    return { sql, shape: null, skip: null };
  }
}

/** The table a plan's name for it stands for: an alias of the statement, or the table's own name. */
export function tableForPlanName(
  planName: string,
  shape: StatementShape | null,
  tables: ReadonlyMap<string, TableInfo>,
): { table: TableInfo; names: string[] } | undefined {
  const key = columnKey(planName, 'fold');
  const aliased = shape?.relations.find((r) => r.alias !== null && columnKey(r.alias, 'fold') === key);
  const name = aliased?.name ?? planName;
  const table = tables.get(columnKey(name, 'fold'));
  return table ? { table, names: [planName, table.name] } : undefined;
}

/** The statement's columns on its tables (see usedColumns), names folded as MySQL and SQLite compare them. */
export function foreignUsedColumns(
  shape: StatementShape | null,
  tables: ReadonlyMap<string, TableInfo>,
): UsedColumn[] {
  if (!shape) return [];
  return usedColumns(shape, (r: RelationName) => tables.get(columnKey(r.name, 'fold')), 'fold');
}

/** The columns of `table` for an index, from the statement: equality ones, then range, then sort/group ones. */
export function columnsFromStatement(
  table: TableInfo,
  used: readonly UsedColumn[],
  sortOnly = false,
): string[] {
  const mine = used.filter((u) => u.table.key === table.key);
  const equality = mine.filter((u) => u.comparisons.has('equality')).map((u) => u.column.name);
  const range = mine
    .filter((u) => u.comparisons.has('range') && !u.comparisons.has('equality'))
    .map((u) => u.column.name);
  const sorted = mine
    .filter((u) => u.clauses.has('order') || u.clauses.has('group'))
    .map((u) => u.column.name);
  return sortOnly ? sorted : [...equality, ...range.slice(0, 1), ...sorted];
}

/** All names of the statement's relations, as MySQL and SQLite plans may call them. */
export function relationNames(shape: StatementShape | null): string[] {
  return shape ? shape.relations.map((r) => r.name) : [];
}
