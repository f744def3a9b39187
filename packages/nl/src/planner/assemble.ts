import { isFanOut, joinPath } from '../join-graph.js';
import type {
  ColumnRef,
  CompareOp,
  Condition,
  Expr,
  JoinStep,
  OrderItem,
  QueryPlan,
  SelectItem,
} from '../query-plan.js';
import type { SchemaIndex } from '../schema-index.js';
import { GROUP_WORDS, QUESTION_WORDS } from '../vocabulary.js';
import { conflictingFilters } from './comparisons.js';
import { periodSelect } from './dates.js';
import { figureName, rankFigure } from './order.js';
import { nameColumns, type PlannerState, partsOfName, sameRef, tableOf } from './state.js';
import type { Filter, PlanResult } from './types.js';

/** What the parts of the assembly build together: the clauses of the plan, and which tables are joined. */
export class Assembly {
  readonly positioned: { item: SelectItem; at: number }[] = [];
  /** The select list, in the order asked (set from `positioned` once it is complete). */
  select: SelectItem[] = [];
  readonly groupBy: Expr[] = [];
  readonly where: Condition[] = [];
  readonly having: Condition[] = [];
  readonly orderBy: OrderItem[] = [];
  readonly needJoin = new Set<number>();
  /** Conditions on related rows by table (negative keys `-1 - table`: NOT EXISTS of a negated table). */
  readonly existsGroups = new Map<number, Condition[]>();
  /** Conditions on the main table that no single row meets together (an INTERSECT). */
  readonly mainSplit: Condition[] = [];
  aggregated = false;
  /** LIMIT 1 for the row an extreme value belongs to, when the question gives none (ps.limit wins). */
  extremeLimit: number | null = null;
  /** Count intent on the main table. */
  readonly counting: boolean;
  /** A ranking's figure as a correlated subquery (the main table has no key to group by). */
  rankRelated: Expr | null = null;
  readonly #joined = new Map<number, JoinStep[]>();

  constructor(
    readonly index: SchemaIndex,
    readonly main: number,
    ps: PlannerState,
  ) {
    this.counting =
      ps.countIntent !== null && !ps.select.some((s) => s.kind === 'aggregate' && s.fn === 'count');
  }

  pathTo(t: number): JoinStep[] | null {
    if (t === this.main) return [];
    const cached = this.#joined.get(t);
    if (cached) return cached;
    const p = joinPath(this.index, this.main, t);
    if (p) this.#joined.set(t, p);
    return p;
  }

  /** Joins table `t` (false: not connected to the main table). */
  use(t: number): boolean {
    if (t === this.main) return true;
    if (this.pathTo(t) === null) return false;
    this.needJoin.add(t);
    return true;
  }

  selectsColumn(ref: ColumnRef): boolean {
    return this.positioned.some((p) => p.item.expr.kind === 'column' && sameRef(p.item.expr.ref, ref));
  }
}

interface Exists {
  readonly splitExists: Map<number, Condition[]>;
  readonly absentExists: { table: number; cond: Condition }[];
}

function result(ps: PlannerState, plan: QueryPlan | null, problem: string | null): PlanResult {
  return { plan, understood: ps.understood, problem, mainNamed: ps.mainNamed, unresolved: ps.unresolved };
}

function toCondition(f: Filter): Condition {
  return f.kind === 'compare'
    ? { kind: 'compare', left: { kind: 'column', ref: f.col }, op: f.op, value: f.value }
    : { kind: 'range', left: { kind: 'column', ref: f.col }, low: f.low, high: f.high, halfOpen: f.halfOpen };
}

/** Turns what was found into a plan. */
export function assemble(ps: PlannerState, main: number): PlanResult {
  const asm = new Assembly(ps.index, main, ps);
  showSelected(ps, asm);
  showGroups(ps, asm);
  dropFilterHeads(ps, asm);
  asm.select = asm.positioned.sort((a, b) => a.at - b.at).map((p) => p.item);
  rankSelect(ps, asm);
  const exists = placeFilters(ps, asm);
  linkedExists(ps, asm, existsConditions(ps, asm, exists));
  havingConditions(ps, asm);
  orderItems(ps, asm);
  // "revenue per month", "orders by year": the measure per period of a date, in time order.
  periodSelect(ps, asm);
  implicitGroup(ps, asm);
  defaultSelect(ps, asm);
  return finish(ps, asm, joinSteps(asm));
}

/** What the question asks to see, in the order it was asked: columns, aggregates, tables by their label. */
function showSelected(ps: PlannerState, asm: Assembly): void {
  for (const s of ps.select) {
    if (s.kind === 'column') {
      if (!asm.use(s.col.table) || asm.selectsColumn(s.col)) continue;
      // "names of customers" with first_name and last_name: both parts
      for (const [n, c] of partsOfName(ps, s.col, s.at).entries()) {
        const ref = { table: s.col.table, column: c };
        if (!asm.selectsColumn(ref))
          asm.positioned.push({ item: { expr: { kind: 'column', ref } }, at: s.at + n / 10 });
      }
    } else if (s.kind === 'aggregate') {
      if (s.col && !asm.use(s.col.table)) continue;
      const twice = asm.positioned.some(
        (p) =>
          p.item.expr.kind === 'aggregate' &&
          p.item.expr.fn === s.fn &&
          p.item.expr.distinct === s.distinct &&
          (p.item.expr.arg === null ? s.col === null : s.col !== null && sameRef(p.item.expr.arg, s.col)),
      );
      if (twice) continue;
      asm.positioned.push({
        item: { expr: { kind: 'aggregate', fn: s.fn, arg: s.col, distinct: s.distinct } },
        at: s.at,
      });
      asm.aggregated = true;
    } else {
      if (!asm.use(s.table)) continue;
      // A table named among the columns shows its label, unless one of its columns is shown already.
      if (ps.select.some((o) => o.kind === 'column' && o.col.table === s.table)) continue;
      const t = ps.index.tables[s.table]!;
      if (t.labelColumn !== null && asm.selectsColumn({ table: s.table, column: t.labelColumn })) continue;
      asm.positioned.push({
        item: {
          expr:
            t.labelColumn !== null
              ? { kind: 'column', ref: { table: s.table, column: t.labelColumn } }
              : { kind: 'star', table: s.table },
        },
        at: s.at,
      });
    }
  }
}

/**
 * "cartoons directed by Ben Jones", "teachers aged 32 or 33": a column whose words lead straight
 * into its own value is the filter's head, not something to show, when other columns are shown
 * (every row shown would repeat the value asked for).
 */
function dropFilterHeads(ps: PlannerState, asm: Assembly): void {
  const filtered = (ref: ColumnRef) =>
    ps.filters.some(
      (f) =>
        f.negatedTable === null &&
        sameRef(f.filter.col, ref) &&
        (f.filter.kind !== 'compare' || f.filter.op === '='),
    ) || ps.inLists.some((l) => sameRef(l.col, ref));
  const heads = asm.positioned.filter((p) => {
    const e = p.item.expr;
    if (e.kind !== 'column' || !filtered(e.ref)) return false;
    const k = ps.items.findIndex((x) => x.kind === 'schema' && x.start === p.at);
    const head = ps.items[k];
    const next = ps.items[k + 1];
    if (!head || !next || (next.kind !== 'value' && next.kind !== 'number') || next.start - head.end > 2)
      return false;
    return next.kind === 'number' || next.m.occurrences.some((o) => sameRef(o, e.ref));
  });
  const others = asm.positioned.filter((p) => !heads.includes(p));
  if (heads.length === 0 || !others.some((p) => p.item.expr.kind === 'column')) return;
  asm.positioned.splice(0, asm.positioned.length, ...others);
}

/** Group tables become a group on that table (label + key); group columns are shown; a count intent counts. */
function showGroups(ps: PlannerState, asm: Assembly): void {
  for (const { table: gt, at } of ps.groupTables) {
    if (!asm.use(gt)) continue;
    const t = ps.index.tables[gt]!;
    const label = t.labelColumn;
    const shown = ps.select.some(
      (o) => (o.kind === 'column' && o.col.table === gt) || (o.kind === 'table' && o.table === gt),
    );
    if (label !== null && !shown)
      for (const [n, c] of nameColumns(ps, gt).entries())
        asm.positioned.push({
          item: { expr: { kind: 'column', ref: { table: gt, column: c } } },
          at: at + n / 10,
        });
    const pk = t.primaryKey.map((p) => t.columns.find((c) => c.name === p)).filter((c) => c !== undefined);
    for (const c of pk.length > 0 ? pk : label !== null ? [t.columns[label]!] : [])
      asm.groupBy.push({ kind: 'column', ref: { table: gt, column: c.index } });
  }
  for (const { ref: gc, at } of ps.groupCols) {
    if (!asm.use(gc.table)) continue;
    asm.groupBy.push({ kind: 'column', ref: gc });
    if (!asm.selectsColumn(gc)) asm.positioned.push({ item: { expr: { kind: 'column', ref: gc } }, at });
  }
  if (asm.counting) {
    asm.positioned.push({
      item: { expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } },
      at: ps.countIntent!.start,
    });
    asm.aggregated = true;
  }
}

/**
 * "top 5 customers by total spent": a measure over related rows, per row of the main table. Rows
 * are grouped by the main table's key (never by a name, which can repeat) and shown by their name
 * with the figure they are ranked by.
 */
function rankSelect(ps: PlannerState, asm: Assembly): void {
  const figure = rankFigure(ps, asm.main, asm.groupBy.length > 0 || asm.aggregated);
  // Without a key to group by, the figure is a correlated subquery per row.
  if (figure !== null && figure.key.length === 0) {
    const p = asm.pathTo(figure.table);
    const e = figure.expr;
    if (p !== null && p.length > 0 && e.kind === 'aggregate') {
      asm.rankRelated = { kind: 'related', fn: e.fn, path: p, arg: e.arg };
      if (asm.select.length === 0) {
        const names = nameColumns(ps, asm.main);
        if (names.length === 0) asm.select.push({ expr: { kind: 'star', table: asm.main } });
        for (const c of names)
          asm.select.push({ expr: { kind: 'column', ref: { table: asm.main, column: c } } });
        asm.select.push({ expr: asm.rankRelated, alias: ps.rank?.alias ?? figureName(e, ps.index) });
      }
    }
  } else if (figure !== null && asm.use(figure.table)) {
    asm.aggregated = true;
    for (const c of figure.key) asm.groupBy.push({ kind: 'column', ref: { table: asm.main, column: c } });
    const shown = asm.select.filter((x) => x.expr.kind === 'column' && x.expr.ref.table === asm.main);
    asm.select.length = 0;
    asm.select.push(...shown);
    // The question names what to show ("the owner id and last name of ..."), else: names and figure.
    if (shown.length === 0) {
      const names = nameColumns(ps, asm.main);
      for (const c of names.length > 0 ? names : figure.key)
        asm.select.push({ expr: { kind: 'column', ref: { table: asm.main, column: c } } });
      asm.select.push({ expr: figure.expr, alias: ps.rank?.alias ?? figureName(figure.expr, ps.index) });
    }
  }
}

/**
 * Filters: on the main table or along many-to-one joins they go to WHERE; across a one-to-many
 * step (rows would multiply) into EXISTS, unless that table is joined anyway for its columns.
 */
function addFilter(ps: PlannerState, asm: Assembly, col: ColumnRef, cond: Condition): void {
  if (col.table === asm.main) {
    asm.where.push(cond);
    return;
  }
  const p = asm.pathTo(col.table);
  if (p === null) {
    ps.unresolved += 1;
    return;
  }
  if (ps.negatedTables.includes(col.table) || p.some((s) => ps.negatedTables.includes(s.to))) {
    const neg = ps.negatedTables.find((t) => t === col.table || p.some((s) => s.to === t))!;
    const list = asm.existsGroups.get(-1 - neg) ?? [];
    list.push(cond);
    asm.existsGroups.set(-1 - neg, list);
    return;
  }
  if (!asm.needJoin.has(col.table) && p.some((s) => isFanOut(ps.index, s)) && !asm.aggregated) {
    const list = asm.existsGroups.get(col.table) ?? [];
    list.push(cond);
    asm.existsGroups.set(col.table, list);
    return;
  }
  asm.needJoin.add(col.table);
  asm.where.push(cond);
}

/**
 * "students older than 20 or living in Paris": alternatives on the main table's columns (the filters
 * in an OR). An "or" between two conditions no row meets at once ("in Hawaii or the state of
 * Wisconsin", "after 2013 or before 2008") is an OR too, not the INTERSECT of an "and".
 */
function orAlternatives(ps: PlannerState, asm: Assembly): Set<number> {
  const alternative = (k: number): boolean => {
    const f = ps.filters[k];
    return f !== undefined && f.filter.col.table === asm.main && !f.absent;
  };
  const orGroups = new Map<number, number[]>();
  const inOr = new Set<number>();
  for (let k = 1; k < ps.filters.length; k += 1) {
    if (!ps.orBefore.has(k) || !alternative(k) || !alternative(k - 1)) continue;
    const start = [...orGroups.entries()].find(([, g]) => g.includes(k - 1))?.[0] ?? k - 1;
    orGroups.set(start, [...(orGroups.get(start) ?? [k - 1]), k]);
    inOr.add(k - 1);
    inOr.add(k);
  }
  for (const g of orGroups.values())
    asm.where.push({ kind: 'or', conditions: g.map((k) => toCondition(ps.filters[k]!.filter)) });
  return inOr;
}

/**
 * Places each filter. "students who have both a cat and a dog", "visitors of a museum opened before
 * 2009 and one opened after 2011": conditions that no single row can meet at once are each met by
 * some row (an EXISTS each, or an INTERSECT on the main table).
 */
function placeFilters(ps: PlannerState, asm: Assembly): Exists {
  const split = conflictingFilters(ps.filters.map((f) => f.filter));
  const splitExists = new Map<number, Condition[]>();
  const absentExists: { table: number; cond: Condition }[] = [];
  const inOr = orAlternatives(ps, asm);
  for (const [k, { filter, absent }] of ps.filters.entries()) {
    if (inOr.has(k)) continue;
    const left: Expr = { kind: 'column', ref: filter.col };
    const t = filter.col.table;
    const p = t === asm.main ? null : asm.pathTo(t);
    const fanOut = p !== null && p.length > 0 && p.some((s) => isFanOut(ps.index, s));
    const negatedPath =
      p !== null && (ps.negatedTables.includes(t) || p.some((s) => ps.negatedTables.includes(s.to)));
    if (
      absent &&
      fanOut &&
      !negatedPath &&
      filter.kind === 'compare' &&
      (filter.op === '<>' || filter.op === 'not like')
    ) {
      // "students who do not have a cat": no related row is a cat
      const op: CompareOp = filter.op === '<>' ? '=' : 'like';
      absentExists.push({ table: t, cond: { kind: 'compare', left, op, value: filter.value } });
      continue;
    }
    if (split.has(k) && filter.kind === 'compare') {
      const cond: Condition = { kind: 'compare', left, op: filter.op, value: filter.value };
      if (t === asm.main) {
        asm.mainSplit.push(cond);
        continue;
      }
      if (fanOut && !negatedPath) {
        const list = splitExists.get(t) ?? [];
        list.push(cond);
        splitExists.set(t, list);
        continue;
      }
    }
    if (filter.kind === 'compare')
      addFilter(ps, asm, filter.col, { kind: 'compare', left, op: filter.op, value: filter.value });
    else
      addFilter(ps, asm, filter.col, {
        kind: 'range',
        left,
        low: filter.low,
        high: filter.high,
        halfOpen: filter.halfOpen,
      });
  }
  for (const a of ps.averageFilters)
    addFilter(ps, asm, a.col, {
      kind: 'compare-aggregate',
      left: { kind: 'column', ref: a.col },
      op: a.op,
      fn: a.fn,
      arg: a.arg,
    });
  for (const l of ps.inLists)
    addFilter(ps, asm, l.col, {
      kind: 'in',
      left: { kind: 'column', ref: l.col },
      values: l.values,
      negated: false,
    });
  return { splitExists, absentExists };
}

/** EXISTS and NOT EXISTS of related rows; returns the tables their paths cover. */
function existsConditions(
  ps: PlannerState,
  asm: Assembly,
  { splitExists, absentExists }: Exists,
): Set<number> {
  const covered = new Set<number>();
  for (const t of [...splitExists.keys(), ...absentExists.map((a) => a.table)])
    for (const step of asm.pathTo(t) ?? []) covered.add(step.to);
  for (const [table, alternatives] of splitExists) {
    const p = asm.pathTo(table)!;
    // the other conditions on that table hold for each of the related rows
    const shared = asm.existsGroups.get(table) ?? [];
    asm.existsGroups.delete(table);
    for (const cond of alternatives)
      asm.where.push({ kind: 'exists', negated: false, path: p, conditions: [...shared, cond] });
  }
  for (const { table, cond } of absentExists) {
    asm.where.push({ kind: 'exists', negated: true, path: asm.pathTo(table)!, conditions: [cond] });
  }
  for (const [key, conds] of asm.existsGroups) {
    const negated = key < 0;
    const table = negated ? -1 - key : key;
    const p = asm.pathTo(table);
    if (p === null || p.length === 0) continue;
    asm.where.push({ kind: 'exists', negated, path: p, conditions: conds });
  }
  for (const t of ps.negatedTables) {
    if (asm.existsGroups.has(-1 - t)) continue;
    const p = asm.pathTo(t);
    if (p === null || p.length === 0) continue;
    asm.where.push({ kind: 'exists', negated: true, path: p, conditions: [] });
  }
  return covered;
}

/** Tables named only as a link ("customers who placed orders") -> EXISTS when rows would multiply. */
function linkedExists(ps: PlannerState, asm: Assembly, covered: ReadonlySet<number>): void {
  for (const t of ps.linkedTables) {
    if (t === asm.main || asm.needJoin.has(t) || asm.existsGroups.has(t) || ps.negatedTables.includes(t))
      continue;
    if (covered.has(t)) continue;
    if (
      ps.having.some(
        (h) => (h.kind === 'count-of' && h.table === t) || (h.kind === 'aggregate' && h.col.table === t),
      ) ||
      ps.orders.some((o) => o.kind === 'count-of' && o.table === t)
    )
      continue;
    if (ps.groupTables.some((g) => g.table === t)) continue;
    const p = asm.pathTo(t);
    if (p === null || p.length === 0) continue;
    if (p.some((s) => isFanOut(ps.index, s)) && !asm.aggregated)
      asm.where.push({ kind: 'exists', negated: false, path: p, conditions: [] });
    else if (asm.aggregated && asm.counting) asm.needJoin.add(t);
  }
}

/** HAVING on counts and sums of related rows (a correlated subquery when the rows are not grouped). */
function havingConditions(ps: PlannerState, asm: Assembly): void {
  const grouped = asm.groupBy.length > 0;
  for (const h of ps.having) {
    if (h.kind === 'count-of') {
      if (h.table === asm.main || grouped) {
        if (h.table !== asm.main) asm.use(h.table);
        asm.having.push({
          kind: 'compare',
          left: { kind: 'aggregate', fn: 'count', arg: null, distinct: false },
          op: h.op,
          value: h.value,
        });
        continue;
      }
      const p = asm.pathTo(h.table);
      if (p === null || p.length === 0) continue;
      asm.where.push({
        kind: 'compare',
        left: { kind: 'related', fn: 'count', path: p, arg: null },
        op: h.op,
        value: h.value,
      });
    } else {
      if (h.col.table === asm.main || grouped) {
        asm.use(h.col.table);
        asm.having.push({
          kind: 'compare',
          left: { kind: 'aggregate', fn: h.fn, arg: h.col, distinct: false },
          op: h.op,
          value: h.value,
        });
        continue;
      }
      const p = asm.pathTo(h.col.table);
      if (p === null || p.length === 0) continue;
      asm.where.push({
        kind: 'compare',
        left: { kind: 'related', fn: h.fn, path: p, arg: h.col },
        op: h.op,
        value: h.value,
      });
    }
  }
}

/** ORDER BY, counts of related rows as correlated subqueries when the rows are not grouped. */
function orderItems(ps: PlannerState, asm: Assembly): void {
  const grouped = asm.groupBy.length > 0;
  for (const [n, o] of ps.orders.entries()) {
    if (n === 0 && asm.rankRelated !== null) {
      asm.orderBy.push({ expr: asm.rankRelated, direction: o.direction });
      continue;
    }
    if (o.kind === 'column') {
      if (!asm.use(o.col.table)) continue;
      asm.orderBy.push({ expr: { kind: 'column', ref: o.col }, direction: o.direction });
    } else if (o.kind === 'aggregate') {
      if (o.col && !asm.use(o.col.table)) continue;
      asm.orderBy.push({
        expr: { kind: 'aggregate', fn: o.fn, arg: o.col, distinct: false },
        direction: o.direction,
      });
    } else {
      if (grouped || o.table === asm.main) {
        asm.use(o.table);
        asm.orderBy.push({
          expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false },
          direction: o.direction,
        });
        continue;
      }
      const p = asm.pathTo(o.table);
      if (p === null || p.length === 0) continue;
      asm.orderBy.push({
        expr: { kind: 'related', fn: 'count', path: p, arg: null },
        direction: o.direction,
      });
    }
  }
}

/** Aggregates next to plain columns: group by the plain columns. */
function implicitGroup(ps: PlannerState, asm: Assembly): void {
  const hasAgg =
    asm.select.some((s) => s.expr.kind === 'aggregate') ||
    asm.having.length > 0 ||
    asm.orderBy.some((o) => o.expr.kind === 'aggregate');
  if (hasAgg && asm.groupBy.length === 0) {
    if (extremeRow(ps, asm)) return;
    const plain = asm.select.filter((s) => s.expr.kind === 'column');
    for (const p of plain) asm.groupBy.push(p.expr);
    if (
      plain.length === 0 &&
      (asm.having.length > 0 || asm.orderBy.some((o) => o.expr.kind === 'aggregate')) &&
      !asm.select.some((s) => s.expr.kind === 'aggregate')
    ) {
      // "which year has the most concerts" with the year not selected: nothing to group by
      const t = ps.index.tables[asm.main]!;
      const label = t.labelColumn;
      if (label !== null) {
        asm.select.push({ expr: { kind: 'column', ref: { table: asm.main, column: label } } });
        asm.groupBy.push({ kind: 'column', ref: { table: asm.main, column: label } });
      }
    }
  }
}

/**
 * "the smallest version number and its template type code": the one extreme value with other
 * columns of its row, when nothing says "each" or "different", is the row holding the extreme
 * (ORDER BY ... LIMIT 1), not a minimum per code (which SQLite would answer with a bare column and
 * PostgreSQL refuse). "top 3 highest ratings" keeps its 3.
 */
function extremeRow(ps: PlannerState, asm: Assembly): boolean {
  const aggs = asm.select.filter((s) => s.expr.kind === 'aggregate');
  const agg = aggs[0]?.expr;
  if (
    aggs.length !== 1 ||
    agg?.kind !== 'aggregate' ||
    (agg.fn !== 'min' && agg.fn !== 'max') ||
    agg.arg === null ||
    !asm.select.some((s) => s.expr.kind === 'column') ||
    asm.having.length > 0 ||
    asm.orderBy.length > 0 ||
    ps.distinct ||
    ps.tokens.some((t) => GROUP_WORDS.has(t.norm))
  )
    return false;
  const ref = agg.arg;
  // "countries where Spanish is spoken by the largest percentage": an extreme over each country's
  // many rows is a figure per country
  if ((asm.pathTo(ref.table) ?? []).some((j) => isFanOut(asm.index, j))) return false;
  const shown: SelectItem[] = [];
  for (const s of asm.select) {
    if (s.expr.kind === 'column' && sameRef(s.expr.ref, ref)) continue;
    shown.push(s.expr === agg ? { expr: { kind: 'column', ref } } : s);
  }
  asm.select = shown;
  asm.orderBy.push({ expr: { kind: 'column', ref }, direction: agg.fn === 'max' ? 'desc' : 'asc' });
  asm.extremeLimit = 1;
  return true;
}

/** Nothing asked for: the label ("which ...") or all columns. */
function defaultSelect(ps: PlannerState, asm: Assembly): void {
  if (asm.select.length === 0) {
    const first = ps.tokens.find((t) => !t.punct);
    const label = ps.index.tables[asm.main]!.labelColumn;
    if (first && QUESTION_WORDS.has(first.norm) && label !== null) {
      // "which employees ...": a person is shown by every part of the name (FirstName, LastName)
      for (const column of nameColumns(ps, asm.main))
        asm.select.push({ expr: { kind: 'column', ref: { table: asm.main, column } } });
    } else asm.select.push({ expr: { kind: 'star', table: asm.needJoin.size > 0 ? asm.main : null } });
  }
}

/** Joins: union of shortest paths from the main table. */
function joinSteps(asm: Assembly): JoinStep[] {
  const joins: JoinStep[] = [];
  const present = new Set<number>([asm.main]);
  for (const t of asm.needJoin) {
    const p = asm.pathTo(t);
    if (p === null) continue;
    for (const step of p) {
      if (present.has(step.to)) continue;
      present.add(step.to);
      joins.push(step);
    }
  }
  if (asm.select.length === 1 && asm.select[0]!.expr.kind === 'star' && joins.length > 0) {
    asm.select[0] = { expr: { kind: 'star', table: asm.main } };
  }
  return joins;
}

/**
 * "How many dogs went through a treatment": a count of the main table's rows across a one-to-many
 * join counts each dog once per treatment; it counts the main table's distinct keys instead.
 */
function countOnce(ps: PlannerState, asm: Assembly, joins: JoinStep[]): void {
  if (asm.groupBy.length > 0 || !joins.some((j) => isFanOut(asm.index, j))) return;
  // the main table is what is counted: the first thing named after "how many" ("how many dogs do
  // female pupils keep": dogs, a value, is what is counted, not the pupils)
  const intent = ps.countIntent;
  const first = intent && ps.items.find((x) => x.start >= intent.end);
  if (!first || first.kind !== 'schema' || tableOf(ps, first.m) !== asm.main) return;
  const t = asm.index.tables[asm.main]!;
  if (t.primaryKey.length !== 1) return;
  const key = t.columns.findIndex((c) => c.name.toLowerCase() === t.primaryKey[0]!.toLowerCase());
  if (key === -1) return;
  asm.select = asm.select.map((s) =>
    s.expr.kind === 'aggregate' && s.expr.fn === 'count' && s.expr.arg === null && !s.expr.distinct
      ? { ...s, expr: { ...s.expr, arg: { table: asm.main, column: key }, distinct: true } }
      : s,
  );
}

/** The plan, with an INTERSECT of conditions that no single row meets at once. */
function finish(ps: PlannerState, asm: Assembly, joins: JoinStep[]): PlanResult {
  countOnce(ps, asm, joins);
  const plan: QueryPlan = {
    main: asm.main,
    joins,
    select: asm.select,
    distinct: ps.distinct && !asm.select.every((s) => s.expr.kind === 'aggregate'),
    where: asm.where,
    groupBy: asm.groupBy,
    having: asm.having,
    orderBy: asm.orderBy,
    limit: ps.limit ?? asm.extremeLimit,
  };
  if (asm.mainSplit.length > 0) {
    // "countries with a singer above 40 and a singer below 30": the values shown that rows of
    // each condition share (INTERSECT).
    const t = ps.index.tables[asm.main]!;
    const shared =
      joins.length === 0 &&
      asm.groupBy.length === 0 &&
      asm.having.length === 0 &&
      asm.orderBy.length === 0 &&
      plan.limit === null &&
      asm.select.every(
        (s) =>
          s.expr.kind === 'column' &&
          s.expr.ref.table === asm.main &&
          !t.primaryKey.includes(t.columns[s.expr.ref.column]!.name),
      );
    // Otherwise no row meets them all, and the only reading that finds rows is either of them
    // ("the total surface area of the continents Asia and Europe": Asia's and Europe's rows).
    if (!shared)
      return result(ps, { ...plan, where: [...asm.where, { kind: 'or', conditions: asm.mainSplit }] }, null);
    const branch = (c: Condition): QueryPlan => ({ ...plan, where: [...asm.where, c] });
    return result(
      ps,
      {
        ...branch(asm.mainSplit[0]!),
        compound: asm.mainSplit.slice(1).map((c) => ({ op: 'intersect' as const, plan: branch(c) })),
      },
      null,
    );
  }
  return result(ps, plan, null);
}
