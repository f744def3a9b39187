// What an index could serve in one statement, read from PostgreSQL's raw parse tree (libpg_query):
// the tables it names (with their aliases) and the columns its WHERE, JOIN (ON and USING), ORDER BY and
// GROUP BY compare, sort or group directly. A column inside a function call or a cast is left out: a
// plain btree index does not serve `lower(email) = $1`.

/** A table as the statement names it. */
export interface RelationName {
  readonly schema: string | null;
  readonly name: string;
  readonly alias: string | null;
}

/** Where a column appears. */
export type ColumnClause = 'where' | 'join' | 'order' | 'group';

/** A column as the statement names it: `o.status` has the qualifier `o`. */
export interface ColumnUse {
  readonly qualifier: string | null;
  readonly column: string;
  readonly clause: ColumnClause;
  /** In a condition: compared for equality (=, IN, IS NULL) or a range (<, >, BETWEEN, LIKE); else null. */
  readonly comparison: Comparison | null;
}

export type Comparison = 'equality' | 'range';

const EQUALITY_OPERATORS = new Set(['=', '<=>']);
const RANGE_OPERATORS = new Set(['<', '>', '<=', '>=', '~~', '~~*']);

/** What kind of comparison an A_Expr makes of its operands. */
function comparisonOf(body: Node): Comparison | null {
  const op = Array.isArray(body.name) ? sval(body.name[0]) : null;
  switch (body.kind) {
    case 'AEXPR_IN':
      return op === '=' ? 'equality' : null;
    case 'AEXPR_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      return 'range';
    case 'AEXPR_OP':
      return op !== null && EQUALITY_OPERATORS.has(op)
        ? 'equality'
        : op !== null && RANGE_OPERATORS.has(op)
          ? 'range'
          : null;
    case 'AEXPR_OP_ANY':
      return op === '=' ? 'equality' : null;
    default:
      return null;
  }
}

/** The statements an index can serve. */
export type ShapeKind = 'select' | 'insert' | 'update' | 'delete';

export interface StatementShape {
  readonly kind: ShapeKind;
  readonly relations: readonly RelationName[];
  readonly columns: readonly ColumnUse[];
  /** The statement has parameters (`$1`): EXPLAIN needs a generic plan. */
  readonly parameters: boolean;
}

type Node = Record<string, unknown>;

const KINDS: Readonly<Record<string, ShapeKind>> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
};

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sval(v: unknown): string | null {
  if (!isNode(v) || !isNode(v.String)) return null;
  return typeof v.String.sval === 'string' ? v.String.sval : null;
}

class ShapeReader {
  readonly relations: RelationName[] = [];
  readonly columns: ColumnUse[] = [];
  readonly #ctes = new Set<string>();
  parameters = false;

  /** Any node: tables, parameters and the clauses below it. */
  visit(v: unknown): void {
    if (Array.isArray(v)) {
      for (const x of v) this.visit(x);
      return;
    }
    if (!isNode(v)) return;
    // The CTE names first: a RangeVar naming one is not a table.
    if (v.withClause !== undefined) this.#with(v.withClause);
    for (const [key, value] of Object.entries(v)) {
      switch (key) {
        case 'RangeVar':
          this.#relation(value);
          break;
        case 'relation':
          // UPDATE, DELETE and INSERT name their table without the RangeVar wrapper.
          if (isNode(value) && typeof value.relname === 'string') this.#relation(value);
          else this.visit(value);
          break;
        case 'ParamRef':
          this.parameters = true;
          break;
        case 'whereClause':
          this.operands(value, 'where');
          break;
        case 'quals':
          this.operands(value, 'join');
          break;
        case 'usingClause':
          // JOIN ... USING (a, b) names columns; DELETE ... USING names tables.
          for (const item of Array.isArray(value) ? value : []) {
            const name = sval(item);
            if (name !== null)
              this.columns.push({ qualifier: null, column: name, clause: 'join', comparison: 'equality' });
            else this.visit(item);
          }
          break;
        case 'sortClause':
          this.operands(value, 'order', targetsOf(v));
          break;
        case 'groupClause':
          this.operands(value, 'group', targetsOf(v));
          break;
        default:
          this.visit(value);
      }
    }
  }

  /**
   * The direct operands of a condition, sort or grouping: through AND/OR, comparisons, IN lists,
   * BETWEEN, IS [NOT] NULL, IS TRUE and sort items. Anything else is visited for the subqueries in it.
   * `targets` resolves ORDER BY 2 / GROUP BY 1 to the select list's expression.
   */
  operands(
    v: unknown,
    clause: ColumnClause,
    targets: readonly unknown[] = [],
    comparison: Comparison | null = null,
  ): void {
    if (Array.isArray(v)) {
      for (const x of v) this.operands(x, clause, targets, comparison);
      return;
    }
    if (!isNode(v)) return;
    const [type, body] = Object.entries(v)[0] ?? [];
    if (!isNode(body)) {
      this.visit(v);
      return;
    }
    switch (type) {
      case 'ColumnRef':
        this.#column(body, clause, comparison);
        break;
      case 'BoolExpr':
        this.operands(body.args, clause);
        break;
      case 'A_Expr': {
        const kind = comparisonOf(body);
        this.operands(body.lexpr, clause, targets, kind);
        this.operands(body.rexpr, clause, targets, kind);
        break;
      }
      case 'NullTest':
        this.operands(body.arg, clause, targets, body.nulltesttype === 'IS_NULL' ? 'equality' : null);
        break;
      case 'BooleanTest':
        this.operands(body.arg, clause, targets, 'equality');
        break;
      case 'SortBy':
        this.operands(body.node, clause, targets);
        break;
      case 'List':
        this.operands(body.items, clause, targets, comparison);
        break;
      case 'SubLink':
        this.operands(body.testexpr, clause, targets, body.subLinkType === 'ANY_SUBLINK' ? 'equality' : null);
        this.visit(body.subselect);
        break;
      case 'A_Const': {
        const position = isNode(body.ival) ? body.ival.ival : undefined;
        const target = typeof position === 'number' ? targets[position - 1] : undefined;
        if (isNode(target) && isNode(target.ResTarget)) this.operands(target.ResTarget.val, clause);
        break;
      }
      default:
        this.visit(v);
        break;
    }
  }

  #relation(v: unknown): void {
    if (!isNode(v) || typeof v.relname !== 'string') return;
    const schema = typeof v.schemaname === 'string' ? v.schemaname : null;
    if (schema === null && this.#ctes.has(v.relname)) return;
    const alias = isNode(v.alias) && typeof v.alias.aliasname === 'string' ? v.alias.aliasname : null;
    this.relations.push({ schema, name: v.relname, alias });
  }

  #with(v: unknown): void {
    if (!isNode(v) || !Array.isArray(v.ctes)) return;
    for (const cte of v.ctes)
      if (isNode(cte) && isNode(cte.CommonTableExpr) && typeof cte.CommonTableExpr.ctename === 'string')
        this.#ctes.add(cte.CommonTableExpr.ctename);
  }

  #column(body: Node, clause: ColumnClause, comparison: Comparison | null): void {
    const fields = Array.isArray(body.fields) ? body.fields.map(sval) : [];
    const column = fields.at(-1);
    // `t.*` and anything not a plain name.
    if (column === null || column === undefined || fields.some((f) => f === null)) return;
    const qualifier = (fields.at(-2) as string | undefined) ?? null;
    this.columns.push({
      qualifier,
      column,
      clause,
      comparison: clause === 'where' || clause === 'join' ? comparison : null,
    });
  }
}

/** The select list of a SELECT node (for ORDER BY 1). */
function targetsOf(v: Node): readonly unknown[] {
  return Array.isArray(v.targetList) ? v.targetList : [];
}

/**
 * The shape of one statement of libpg_query's tree (`parsePostgres(sql).stmts[0].stmt`), or null when
 * it is not a statement an index can serve (DDL, utility, a transaction statement).
 * @example statementShape(parsePostgres('select * from t where a = $1').stmts[0].stmt)
 *   // { kind: 'select', relations: [{ name: 't', ... }], columns: [{ column: 'a', clause: 'where', ... }], parameters: true }
 */
export function statementShape(stmt: Readonly<Record<string, unknown>> | undefined): StatementShape | null {
  if (stmt === undefined) return null;
  const [type] = Object.keys(stmt);
  const kind = type === undefined ? undefined : KINDS[type];
  if (kind === undefined) return null;
  const reader = new ShapeReader();
  reader.visit(stmt);
  return { kind, relations: reader.relations, columns: reader.columns, parameters: reader.parameters };
}
