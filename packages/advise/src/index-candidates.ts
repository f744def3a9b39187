// From a statement's shape and the catalog to the indexes worth trying: the columns a btree index can
// serve, one by one and in two-column orders, less those an existing index already leads with.
import type { ColumnClause, ColumnUse, Comparison, RelationName, StatementShape } from './statement-shape.js';

/** A column of a table, as the catalog describes it. */
export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  /** A btree index can hold it (a default btree operator class; json and jsonb are left out, as dexter does). */
  readonly btree: boolean;
}

/** An index that exists. */
export interface ExistingIndex {
  readonly name: string;
  /** Key columns in order; null for an expression. */
  readonly columns: readonly (string | null)[];
  /** A valid, non-partial btree index (the only kind whose prefix makes a candidate redundant). */
  readonly plainBtree: boolean;
}

/** A table a statement reads, as the catalog describes it. */
export interface TableInfo {
  /** Unique per table (PostgreSQL's oid, `db.table` elsewhere). */
  readonly key: string;
  readonly schema: string | null;
  readonly name: string;
  /** By the name as the dialect compares it (see `columnKey`). */
  readonly columns: ReadonlyMap<string, ColumnInfo>;
  readonly indexes: readonly ExistingIndex[];
}

/** A column of a table that a statement filters, joins, sorts or groups on. */
export interface UsedColumn {
  readonly table: TableInfo;
  readonly column: ColumnInfo;
  readonly clauses: ReadonlySet<ColumnClause>;
  readonly comparisons: ReadonlySet<Comparison>;
}

/** An index to try. */
export interface Candidate {
  readonly table: TableInfo;
  readonly columns: readonly string[];
  /** `tableKey(col,col)`: equal for the same index. */
  readonly key: string;
}

/** How names compare: PostgreSQL keeps case (its parser has already folded unquoted names), the others fold. */
export type NameCase = 'exact' | 'fold';

export function columnKey(name: string, nameCase: NameCase): string {
  return nameCase === 'fold' ? name.toLowerCase() : name;
}

export function candidateKey(table: TableInfo, columns: readonly string[]): string {
  return `${table.key}(${columns.join(',')})`;
}

export function candidate(table: TableInfo, columns: readonly string[]): Candidate {
  return { table, columns, key: candidateKey(table, columns) };
}

/**
 * The columns of the statement's tables that it uses, each once. A qualified column belongs to the table
 * its qualifier names (alias or table name); an unqualified one to every table of the statement that
 * has a column of that name (as dexter reads them: the planner sorts out which one it is).
 */
export function usedColumns(
  shape: StatementShape,
  tableOf: (relation: RelationName) => TableInfo | undefined,
  nameCase: NameCase,
): UsedColumn[] {
  const relations = shape.relations
    .map((r) => ({ r, table: tableOf(r) }))
    .filter((x): x is { r: RelationName; table: TableInfo } => x.table !== undefined);
  const found = new Map<
    string,
    { table: TableInfo; column: ColumnInfo; clauses: Set<ColumnClause>; comparisons: Set<Comparison> }
  >();
  const add = (table: TableInfo, use: ColumnUse): void => {
    const column = table.columns.get(columnKey(use.column, nameCase));
    if (!column) return;
    const key = `${table.key}.${column.name}`;
    const entry = found.get(key) ?? { table, column, clauses: new Set(), comparisons: new Set() };
    entry.clauses.add(use.clause);
    if (use.comparison !== null) entry.comparisons.add(use.comparison);
    found.set(key, entry);
  };
  const same = (a: string, b: string) => columnKey(a, nameCase) === columnKey(b, nameCase);
  for (const use of shape.columns) {
    if (use.qualifier !== null) {
      const q = use.qualifier;
      const named = relations.filter(({ r }) => (r.alias !== null ? same(r.alias, q) : same(r.name, q)));
      for (const { table } of named) add(table, use);
    } else {
      for (const { table } of relations) add(table, use);
    }
  }
  return [...found.values()];
}

/** An existing valid, non-partial btree index starts with these columns. */
export function coveredByExisting(table: TableInfo, columns: readonly string[], nameCase: NameCase): boolean {
  return table.indexes.some(
    (index) =>
      index.plainBtree &&
      index.columns.length >= columns.length &&
      columns.every((c, i) => {
        const existing = index.columns[i];
        return (
          existing !== null &&
          existing !== undefined &&
          columnKey(existing, nameCase) === columnKey(c, nameCase)
        );
      }),
  );
}

/**
 * The candidates of one statement: every btree-able column alone, then every ordered pair of two such
 * columns of the same table, less those an existing index already leads with.
 */
export function statementCandidates(
  used: readonly UsedColumn[],
  nameCase: NameCase,
): { singles: Candidate[]; pairs: Candidate[] } {
  const usable = used.filter((u) => u.column.btree);
  const singles: Candidate[] = [];
  const pairs: Candidate[] = [];
  for (const u of usable) {
    if (!coveredByExisting(u.table, [u.column.name], nameCase))
      singles.push(candidate(u.table, [u.column.name]));
    for (const v of usable) {
      if (v === u || v.table.key !== u.table.key) continue;
      const columns = [u.column.name, v.column.name];
      if (!coveredByExisting(u.table, columns, nameCase)) pairs.push(candidate(u.table, columns));
    }
  }
  return { singles, pairs };
}
