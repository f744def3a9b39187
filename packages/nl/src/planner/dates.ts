import type { AggregateFn, ColumnRef, CompareOp, Expr, PeriodUnit, SelectItem } from '../query-plan.js';
import type { IndexedColumn } from '../schema-index.js';
import {
  ADDITIVE_WORDS,
  BIRTH_WORDS,
  DATE_COLUMN_WORDS,
  DATE_NOUNS,
  EVENT_DATE_WORDS,
  ORDER_VERBS,
  PERIOD_ADVERBS,
  PERIOD_DATE_WORDS,
  PERIOD_GROUP_WORDS,
  PERIOD_NOUNS,
} from '../vocabulary.js';
import type { Assembly } from './assemble.js';
import { comparisonBefore } from './comparisons.js';
import { column, columnsByWords, mark, type PlannerState, sameRef, tablesInPlay } from './state.js';
import type { Item } from './types.js';

/**
 * "revenue per month", "orders by year", "monthly revenue", "which year had the most orders": group
 * by the period of a date. A word that names a column of the schema ("per year" with a `year`
 * column) is left to the column.
 */
export function periods(ps: PlannerState): void {
  const tokens = ps.tokens;
  for (let i = 0; i < tokens.length; i += 1) {
    if (ps.dated.has(i)) continue;
    const t = tokens[i]!;
    let unit: PeriodUnit | undefined = PERIOD_ADVERBS[t.norm];
    let start = i;
    let which = false;
    if (unit === undefined) {
      const noun = PERIOD_NOUNS[t.lemma];
      const prev = tokens[i - 1]?.norm ?? '';
      if (noun === undefined) continue;
      if (PERIOD_GROUP_WORDS.has(prev)) {
        // "sorted by year" sorts; it does not group
        if (prev === 'by' && ORDER_VERBS.has(tokens[i - 2]?.norm ?? '')) continue;
        start = i - 1;
        if (tokens[i - 2]?.norm === 'for' && prev !== 'per' && prev !== 'by') start = i - 2;
      } else if (prev === 'which' || prev === 'what') {
        which = true;
        start = tokens[i - 2]?.norm === 'in' ? i - 2 : i - 1;
      } else continue;
      unit = noun;
    }
    const named = ps.items.some(
      (x) =>
        x.kind === 'schema' &&
        x.start <= i &&
        i < x.end &&
        x.m.candidates.some((c) => c.target.kind === 'column' && c.score >= 0.6),
    );
    if (named) continue;
    ps.period = { unit, which };
    mark(ps, start, i + 1);
    for (let p = start; p <= i; p += 1) ps.claimed.add(p);
    return;
  }
}

export function dateColumn(
  ps: PlannerState,
  lastColumn: { ref: ColumnRef; end: number } | null,
  at?: number,
): ColumnRef | null {
  if (lastColumn) {
    const c = column(ps, lastColumn.ref);
    if (c.category === 'date' || c.words.some((w) => DATE_COLUMN_WORDS.has(w))) return lastColumn.ref;
  }
  // A verb before the date names the column: "signed up in 2024" -> signup_date, "hired" -> hired_at.
  if (at !== undefined) {
    const verbs = ps.tokens
      .slice(Math.max(0, at - 4), at)
      .map((t) => t.lemma)
      .filter((l) => l.length >= 4 && !DATE_NOUNS.has(l));
    for (const group of [[ps.main!], tablesInPlay(ps)]) {
      for (const t of group) {
        const c = ps.index.tables[t]!.columns.find(
          (x) =>
            x.category === 'date' &&
            x.words.some((w) => verbs.some((v) => w.startsWith(v) || (w.length >= 4 && v.startsWith(w)))),
        );
        if (c) return { table: t, column: c.index };
      }
    }
  }
  const words = EVENT_DATE_WORDS;
  // What a ranking sums or counts ("top customers by total spent this year": this year's orders),
  // then the main table's own dates, then those of tables the question names, then neighbours.
  const m = ps.rank?.measure;
  const measured = m ? (m.kind === 'count' ? m.table : m.col.table) : null;
  const groups = [[ps.main!], ps.linkedTables, tablesInPlay(ps)];
  if (measured !== null && measured !== ps.main) groups.unshift([measured]);
  for (const group of groups) {
    // A date of birth only when the table has no other date ("customers this year" signed up this year).
    for (const birth of [false, true]) {
      const date = (c: IndexedColumn): boolean =>
        c.category === 'date' && c.words.some((w) => BIRTH_WORDS.has(w)) === birth;
      const byWords = columnsByWords(ps, words, group, date);
      if (byWords[0]) return byWords[0];
      for (const t of group) {
        const c = ps.index.tables[t]!.columns.find(date);
        if (c) return { table: t, column: c.index };
      }
    }
  }
  return null;
}

/** "in 2024" where no column of the tables in play holds years: a year of dates. */
export function yearOfDates(ps: PlannerState, item: Item): boolean {
  if (item.kind !== 'number' || !Number.isInteger(item.value) || item.value < 1000 || item.value > 2999)
    return false;
  const prev = ps.tokens[item.start - 1]?.norm;
  if (prev !== 'in' && prev !== 'during') return false;
  return columnsByWords(ps, ['year'], tablesInPlay(ps), (c) => c.category !== 'date').length === 0;
}

/**
 * Ages compared on a date of birth: age > 30 is born on or before the day 31 years ago, age < 30
 * born after the day 30 years ago (dates as ISO strings, relative to `now`).
 */
export function ageFilter(
  ps: PlannerState,
  col: ColumnRef,
  op: CompareOp,
  years: number,
  high: number | null,
): void {
  const now = ps.now;
  const ago = (n: number): string =>
    new Date(Date.UTC(now.getUTCFullYear() - n, now.getUTCMonth(), now.getUTCDate()))
      .toISOString()
      .slice(0, 10);
  const push = (o: CompareOp, value: string): void => {
    ps.filters.push({ filter: { kind: 'compare', col, op: o, value }, negatedTable: null });
  };
  if (high !== null) {
    push('<=', ago(years));
    push('>', ago(high + 1));
    return;
  }
  if (op === '>') push('<=', ago(years + 1));
  else if (op === '>=') push('<=', ago(years));
  else if (op === '<') push('>', ago(years));
  else if (op === '<=') push('>', ago(years + 1));
  else if (op === '=') {
    push('>', ago(years + 1));
    push('<=', ago(years));
  } else ps.unresolved += 1;
}

/** A number column shown per period: summed when it adds up (amounts, quantities), else averaged. */
export function periodMeasure(ps: PlannerState, ref: ColumnRef, at: number): SelectItem {
  const c = column(ps, ref);
  const word = at >= 0 ? ps.tokens[at] : undefined;
  const words = [...c.words, ...(word ? [word.lemma] : [])];
  const fn: AggregateFn = words.some((w) => ADDITIVE_WORDS.has(w)) ? 'sum' : 'avg';
  const named = word !== undefined && /^[a-z]+$/.test(word.lemma) && !c.words.includes(word.lemma);
  const alias = named ? word.norm : `${fn === 'sum' ? 'total' : 'average'}_${c.name}`;
  return {
    expr: { kind: 'aggregate', fn, arg: ref, distinct: false },
    alias: fn === 'sum' && c.words.includes('total') && !named ? c.name : alias,
  };
}

/**
 * The date a table's rows are counted by per period: the column the question filters on, else an
 * event date that every row has (NOT NULL first), never a date of birth.
 */
export function periodDate(ps: PlannerState, table: number): ColumnRef | null {
  for (const f of ps.filters) {
    const c = column(ps, f.filter.col);
    if (f.filter.col.table === table && c.category === 'date') return f.filter.col;
  }
  const dates = ps.index.tables[table]!.columns.filter(
    (c) => c.category === 'date' && !c.words.some((w) => BIRTH_WORDS.has(w)),
  );
  const words = PERIOD_DATE_WORDS;
  const rank = (c: IndexedColumn): number => {
    const w = words.findIndex((x) => c.words.includes(x));
    return (c.nullable ? 100 : 0) + (w === -1 ? 50 : w);
  };
  const best = [...dates].sort((a, b) => rank(a) - rank(b) || a.index - b.index)[0];
  return best ? { table, column: best.index } : null;
}

/** A date expression ("last month", "before 2020"): a range, or a bound, on the date column meant. */
export function dateItem(
  ps: PlannerState,
  item: Extract<Item, { kind: 'date' }>,
  gapStart: number,
  lastColumn: { ref: ColumnRef; end: number } | null,
): void {
  mark(ps, item.start, item.end);
  const cmp = comparisonBefore(ps, Math.max(gapStart, item.start - 4), item.start);
  const col = dateColumn(ps, lastColumn, item.start);
  if (col === null) {
    ps.unresolved += 1;
    return;
  }
  if (cmp) {
    mark(ps, cmp.start, item.start);
    const value = cmp.op === '>' || cmp.op === '<=' ? item.range.end : item.range.start;
    const op: CompareOp = cmp.op === '>' ? '>=' : cmp.op === '<=' ? '<' : cmp.op;
    ps.filters.push({ filter: { kind: 'compare', col, op, value }, negatedTable: null });
  } else {
    mark(ps, Math.max(gapStart, item.start - 1), item.start);
    ps.filters.push({
      filter: { kind: 'range', col, low: item.range.start, high: item.range.end, halfOpen: true },
      negatedTable: null,
    });
  }
}

/** "revenue per month", "orders by year": the measure per period of a date, in time order. */
export function periodSelect(ps: PlannerState, asm: Assembly): void {
  if (ps.period !== null) {
    const { unit, which } = ps.period;
    const grouped = (ref: ColumnRef): boolean =>
      asm.groupBy.some((g) => g.kind === 'column' && sameRef(g.ref, ref));
    const kept: SelectItem[] = [];
    const measures: SelectItem[] = [];
    let dateRef: ColumnRef | null = null;
    for (const { item: s, at } of asm.positioned) {
      const e = s.expr;
      if (e.kind === 'aggregate') {
        measures.push(s);
        continue;
      }
      if (e.kind !== 'column') continue;
      if (grouped(e.ref)) {
        kept.push(s);
        continue;
      }
      const c = column(ps, e.ref);
      if (c.category === 'date') dateRef ??= e.ref;
      else if (c.category === 'number' && !c.key) measures.push(periodMeasure(ps, e.ref, at));
    }
    if (which) {
      // "what month had the highest revenue": the period whose total is highest
      for (const [n, m] of measures.entries()) {
        const e = m.expr;
        if (e.kind !== 'aggregate' || (e.fn !== 'max' && e.fn !== 'min') || e.arg === null) continue;
        const total = periodMeasure(ps, e.arg, -1);
        measures[n] = total;
        asm.orderBy.unshift({ expr: total.expr, direction: e.fn === 'max' ? 'desc' : 'asc' });
        ps.limit ??= 1;
      }
    }
    if (measures.length === 0)
      measures.push({ expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } });
    const first = measures.map((m) => m.expr).find((e) => e.kind === 'aggregate' && e.arg !== null);
    const measureTable = first?.kind === 'aggregate' && first.arg !== null ? first.arg.table : asm.main;
    dateRef ??= periodDate(ps, measureTable) ?? periodDate(ps, asm.main);
    if (dateRef !== null && asm.use(dateRef.table)) {
      for (const m of measures) if (m.expr.kind === 'aggregate' && m.expr.arg) asm.use(m.expr.arg.table);
      const period: Expr = { kind: 'period', unit, ref: dateRef };
      asm.groupBy.unshift(period);
      asm.select.length = 0;
      asm.select.push({ expr: period, alias: unit }, ...kept, ...measures);
      if (asm.orderBy.length === 0) asm.orderBy.push({ expr: period, direction: 'asc' });
      asm.aggregated = true;
    } else ps.unresolved += 1;
  }
}
