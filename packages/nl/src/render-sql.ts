import type { NlDialect } from './nl-schema.js';
import type { ColumnRef, Condition, Expr, JoinStep, OrderItem, PeriodUnit, QueryPlan } from './query-plan.js';
import type { SchemaIndex } from './schema-index.js';

/** SQL text with its positional parameters. */
export interface RenderedSql {
  readonly sql: string;
  readonly params: unknown[];
}

/** Quotes an identifier for a dialect (backticks for MySQL, double quotes elsewhere). */
export function quoteIdent(dialect: NlDialect, name: string): string {
  return dialect === 'mysql' ? '`' + name.replace(/`/g, '``') + '`' : '"' + name.replace(/"/g, '""') + '"';
}

class Renderer {
  readonly #index: SchemaIndex;
  readonly #dialect: NlDialect;
  readonly params: unknown[] = [];
  /** Table -> the name it is referred to by in the current scope. */
  #aliases = new Map<number, string>();
  #qualify = true;
  #subqueries = 0;

  constructor(index: SchemaIndex, dialect: NlDialect) {
    this.#index = index;
    this.#dialect = dialect;
  }

  #q(name: string): string {
    return quoteIdent(this.#dialect, name);
  }

  #param(value: unknown): string {
    this.params.push(value);
    return this.#dialect === 'postgres' ? `$${this.params.length}` : '?';
  }

  /**
   * A number compared with a column stored as text ("opened before 2008" on a text Open_Year) is
   * bound as text, as a literal would be compared: drivers bind numbers as floating point, which
   * SQLite turns into '2008.0' against the text ('2008' = 2008.0 is false, '2008' < 2008.0 true).
   */
  #asStored(left: Expr, value: unknown): unknown {
    if (typeof value !== 'number' || left.kind !== 'column') return value;
    const col = this.#index.tables[left.ref.table]!.columns[left.ref.column]!;
    return col.category === 'text' ? String(value) : value;
  }

  #tableRef(table: number): string {
    const t = this.#index.tables[table]!;
    const qualified =
      t.schema && t.schema !== 'public' && t.schema !== 'main'
        ? `${this.#q(t.schema)}.${this.#q(t.name)}`
        : this.#q(t.name);
    const alias = this.#aliases.get(table);
    return alias !== undefined && alias !== t.name ? `${qualified} AS ${this.#q(alias)}` : qualified;
  }

  #col(table: number, column: string): string {
    if (!this.#qualify) return this.#q(column);
    return `${this.#q(this.#aliases.get(table) ?? this.#index.tables[table]!.name)}.${this.#q(column)}`;
  }

  #colName(table: number, column: number): string {
    return this.#col(table, this.#index.tables[table]!.columns[column]!.name);
  }

  expr(e: Expr): string {
    switch (e.kind) {
      case 'column':
        return this.#colName(e.ref.table, e.ref.column);
      case 'star':
        return e.table === null || !this.#qualify
          ? '*'
          : `${this.#q(this.#aliases.get(e.table) ?? this.#index.tables[e.table]!.name)}.*`;
      case 'aggregate': {
        const inner = e.arg === null ? '*' : this.#colName(e.arg.table, e.arg.column);
        return `${e.fn.toUpperCase()}(${e.distinct ? 'DISTINCT ' : ''}${inner})`;
      }
      case 'period':
        return this.#period(e.unit, e.ref);
      case 'related': {
        const body = this.#subquery(e.path, [], (r) => {
          const inner = e.arg === null ? '*' : r.#colName(e.arg.table, e.arg.column);
          return `${e.fn.toUpperCase()}(${inner})`;
        });
        return e.fn === 'sum' || e.fn === 'count' ? `COALESCE((${body}), 0)` : `(${body})`;
      }
    }
  }

  /**
   * The period a date falls in, per dialect: the start of the day, week or month (`date_trunc`) on
   * PostgreSQL, its text ('2024-05') on SQLite and MySQL; a year is a number everywhere.
   */
  #period(unit: PeriodUnit, ref: ColumnRef): string {
    const col = this.#colName(ref.table, ref.column);
    if (this.#dialect === 'postgres')
      return unit === 'year' ? `CAST(EXTRACT(YEAR FROM ${col}) AS integer)` : `date_trunc('${unit}', ${col})`;
    if (this.#dialect === 'mysql') {
      if (unit === 'year') return `YEAR(${col})`;
      return `DATE_FORMAT(${col}, '${{ day: '%Y-%m-%d', week: '%x-%v', month: '%Y-%m' }[unit]}')`;
    }
    if (unit === 'year') return `CAST(strftime('%Y', ${col}) AS INTEGER)`;
    return `strftime('${{ day: '%Y-%m-%d', week: '%Y-%W', month: '%Y-%m' }[unit]}', ${col})`;
  }

  /**
   * The SELECT list. Rows come back as objects keyed by column name, so a second column of the same
   * name ("product names and their category names") is named after its table: `categories_name`.
   */
  #selectList(plan: QueryPlan): string[] {
    const names = new Set<string>();
    return plan.select.map((s) => {
      const sql = this.expr(s.expr);
      let alias = s.alias;
      if (alias === undefined && s.expr.kind === 'column') {
        const t = this.#index.tables[s.expr.ref.table]!;
        const name = t.columns[s.expr.ref.column]!.name;
        if (names.has(name.toLowerCase())) alias = `${t.name}_${name}`;
        else names.add(name.toLowerCase());
      }
      if (alias === undefined) return sql;
      names.add(alias.toLowerCase());
      return `${sql} AS ${this.#q(alias)}`;
    });
  }

  /** A correlated subquery along `path` (its first step starts at an outer table). */
  #subquery(
    path: readonly JoinStep[],
    conditions: readonly Condition[],
    select: (r: Renderer) => string,
  ): string {
    const saved = this.#aliases;
    const savedQualify = this.#qualify;
    const inner = new Map(saved);
    this.#subqueries += 1;
    for (const step of path) {
      const name = this.#index.tables[step.to]!.name;
      inner.set(step.to, saved.has(step.to) ? `${name}_${this.#subqueries}` : name);
    }
    this.#aliases = inner;
    this.#qualify = true;
    const first = path[0]!;
    const from = this.#tableRef(first.to);
    const joins = path.slice(1).map((s) => this.#join(s));
    const outerMatch = first.toColumns.map((c, k) => {
      const outerAlias = saved.get(first.from) ?? this.#index.tables[first.from]!.name;
      return `${this.#col(first.to, c)} = ${this.#q(outerAlias)}.${this.#q(first.fromColumns[k]!)}`;
    });
    const selected = select(this);
    const where = [...outerMatch, ...conditions.map((c) => this.condition(c))];
    const sql = `SELECT ${selected} FROM ${from}${joins.map((j) => ` ${j}`).join('')} WHERE ${where.join(' AND ')}`;
    this.#aliases = saved;
    this.#qualify = savedQualify;
    return sql;
  }

  #join(step: JoinStep): string {
    const on = step.toColumns.map(
      (c, k) => `${this.#col(step.to, c)} = ${this.#col(step.from, step.fromColumns[k]!)}`,
    );
    return `JOIN ${this.#tableRef(step.to)} ON ${on.join(' AND ')}`;
  }

  condition(c: Condition): string {
    switch (c.kind) {
      case 'compare': {
        const left = this.expr(c.left);
        const op = c.op === 'like' ? 'LIKE' : c.op === 'not like' ? 'NOT LIKE' : c.op;
        return `${left} ${op} ${this.#param(this.#asStored(c.left, c.value))}`;
      }
      case 'range': {
        const left = this.expr(c.left);
        const low = this.#asStored(c.left, c.low);
        const high = this.#asStored(c.left, c.high);
        if (c.halfOpen) return `${left} >= ${this.#param(low)} AND ${left} < ${this.#param(high)}`;
        return `${left} BETWEEN ${this.#param(low)} AND ${this.#param(high)}`;
      }
      case 'in': {
        const left = this.expr(c.left);
        return `${left} ${c.negated ? 'NOT IN' : 'IN'} (${c.values.map((v) => this.#param(v)).join(', ')})`;
      }
      case 'compare-aggregate': {
        const left = this.expr(c.left);
        const t = this.#index.tables[c.arg.table]!;
        const from =
          t.schema && t.schema !== 'public' && t.schema !== 'main'
            ? `${this.#q(t.schema)}.${this.#q(t.name)}`
            : this.#q(t.name);
        const inner = `${c.fn.toUpperCase()}(${this.#q(t.columns[c.arg.column]!.name)})`;
        return `${left} ${c.op} (SELECT ${inner} FROM ${from})`;
      }
      case 'or':
        return `(${c.conditions.map((x) => this.condition(x)).join(' OR ')})`;
      case 'exists':
        return `${c.negated ? 'NOT EXISTS' : 'EXISTS'} (${this.#subquery(c.path, c.conditions, () => '1')})`;
    }
  }

  /**
   * With a LIMIT ("the youngest customer") rows without a value must not win: a nullable column sorts
   * its NULLs last (PostgreSQL sorts them first in DESC, MySQL and SQLite first in ASC).
   */
  #orderItem(o: OrderItem, limited: boolean): string {
    const e = this.expr(o.expr);
    const dir = o.direction.toUpperCase();
    const nullable =
      o.expr.kind === 'column' && this.#index.tables[o.expr.ref.table]!.columns[o.expr.ref.column]!.nullable;
    if (!limited || !nullable) return `${e} ${dir}`;
    return this.#dialect === 'mysql' ? `${e} IS NULL, ${e} ${dir}` : `${e} ${dir} NULLS LAST`;
  }

  render(plan: QueryPlan): string {
    this.#aliases = new Map([[plan.main, this.#index.tables[plan.main]!.name]]);
    for (const j of plan.joins) this.#aliases.set(j.to, this.#index.tables[j.to]!.name);
    this.#qualify = plan.joins.length > 0;
    const parts: string[] = [];
    const select = this.#selectList(plan);
    parts.push(`SELECT ${plan.distinct ? 'DISTINCT ' : ''}${select.join(', ')}`);
    parts.push(`FROM ${this.#tableRef(plan.main)}`);
    for (const j of plan.joins) parts.push(this.#join(j));
    if (plan.where.length > 0) parts.push(`WHERE ${plan.where.map((c) => this.condition(c)).join(' AND ')}`);
    if (plan.groupBy.length > 0) parts.push(`GROUP BY ${plan.groupBy.map((e) => this.expr(e)).join(', ')}`);
    if (plan.having.length > 0)
      parts.push(`HAVING ${plan.having.map((c) => this.condition(c)).join(' AND ')}`);
    if (plan.orderBy.length > 0)
      parts.push(`ORDER BY ${plan.orderBy.map((o) => this.#orderItem(o, plan.limit !== null)).join(', ')}`);
    if (plan.limit !== null) parts.push(`LIMIT ${this.#param(plan.limit)}`);
    let sql = parts.join(' ');
    for (const c of plan.compound ?? []) sql += ` ${c.op.toUpperCase()} ${this.render(c.plan)}`;
    return sql;
  }
}

/** Writes a plan as SQL for a dialect; every value becomes a positional parameter. */
export function renderSql(plan: QueryPlan, index: SchemaIndex, dialect: NlDialect): RenderedSql {
  const r = new Renderer(index, dialect);
  const sql = r.render(plan);
  return { sql, params: r.params };
}
