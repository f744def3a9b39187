import { isFanOut, joinPath } from '../join-graph.js';
import type { AggregateFn, Expr } from '../query-plan.js';
import type { SchemaIndex } from '../schema-index.js';
import {
  AFTER_AGGREGATE_WORDS,
  AGGREGATE_CUES,
  BARE_RANKING_WORDS,
  BARE_SORT_WORDS,
  DETERMINERS,
  DIRECTION_WORDS,
  EXPLICIT_ASC_WORDS,
  EXPLICIT_DESC_WORDS,
  FREQUENCY_WORDS,
  FROM_ASC_WORDS,
  FROM_DESC_WORDS,
  FROM_PAIRS,
  LIMIT_WORDS,
  MEASURE_DETERMINERS,
  MONEY_WORDS,
  ORDER_VERBS,
  RANKING_WORDS,
  RELATIVE_CLAUSE_WORDS,
  SALE_TABLE_WORDS,
  SELLING_RANK_WORDS,
  SOLD_WORDS,
  SORT_MARK_WORDS,
  SPEND_VERBS,
  SUBJECT_QUESTION_WORDS,
  SUBJECT_RANK_VERBS,
  SUPERLATIVE_COUNT_WORDS,
  SYNONYMS,
} from '../vocabulary.js';
import {
  addTable,
  column,
  columnsByWords,
  distance,
  mark,
  matchSeq,
  norms,
  type PlannerState,
  passiveBy,
  resolveColumn,
  tableOf,
  tablesInPlay,
} from './state.js';
import type { Item, OrderKey, RankMeasure } from './types.js';

/** Output name of a ranking's figure when the question gave none: `total`, `number_of_orders`. */
export function figureName(e: Expr, index: SchemaIndex): string {
  if (e.kind !== 'aggregate') return 'value';
  if (e.arg === null) return 'count';
  const c = index.tables[e.arg.table]!.columns[e.arg.column]!;
  const prefix = { sum: 'total', avg: 'average', min: 'lowest', max: 'highest', count: 'number_of' }[e.fn];
  return e.fn === 'sum' && c.words.includes('total') ? c.name : `${prefix}_${c.name}`;
}

/**
 * "top 5 customers by total spent", "the 3 best products by average rating", "bottom 10 customers
 * by number of orders", "top customers", "the 5 customers who spent the most": the rows of the main
 * table ranked by a measure. A measure over related rows (a sum, a count) is grouped by the main
 * table's key and shown next to its name.
 */
export function ranking(ps: PlannerState): void {
  if (ps.mainItem === null) return;
  if (rankBySubject(ps)) return;
  const tokens = ps.tokens;
  const mainItem = ps.items[ps.mainItem]!;
  const mainLast = tokens[mainItem.end - 1]!;
  const plural = mainLast.norm !== mainLast.lemma;
  // The ranking word right before the main table, its number before or after it.
  let at = mainItem.start - 1;
  let limit: number | null = null;
  if (numberAt(ps, at)) {
    limit = tokens[at]!.num;
    at -= 1;
  }
  if (rankBySelling(ps, at, limit, plural)) return;
  if (rankByWord(ps, at, limit, plural)) return;
  rankBySpending(ps, limit, plural);
}

/** A number that is not part of a date. */
function numberAt(ps: PlannerState, k: number): boolean {
  return ps.tokens[k]?.num != null && !ps.dated.has(k);
}

/** Marks `start..end` as read by the ranking: no other part reads those words or items. */
function consume(ps: PlannerState, start: number, end: number): void {
  for (const [n, x] of ps.items.entries()) if (x.start >= start && x.end <= end) ps.preconsumed.add(n);
  mark(ps, start, end);
  for (let p = start; p < end; p += 1) ps.claimed.add(p);
}

/**
 * "which support agent has the most open tickets": the rows a value describes (employees whose
 * role is 'Support Agent'), ranked by the number of their related rows of the table named.
 */
function rankBySubject(ps: PlannerState): boolean {
  const tokens = ps.tokens;
  const items = ps.items;
  const mainItem = items[ps.mainItem!]!;
  const subject = items[0];
  const first = tokens[0]?.norm ?? '';
  if (!(subject?.kind === 'value' && subject.start <= 2 && SUBJECT_QUESTION_WORDS.has(first))) return false;
  let k = subject.end;
  if (!SUBJECT_RANK_VERBS.has(tokens[k]?.norm ?? '')) return false;
  k += tokens[k + 1]?.norm === 'the' ? 2 : 1;
  const most = tokens[k]?.norm ?? '';
  const counted = ps.main!;
  for (const o of SUPERLATIVE_COUNT_WORDS.has(most) && mainItem.start > k ? subject.m.occurrences : []) {
    if (o.table === counted) continue;
    const path = joinPath(ps.index, o.table, counted);
    if (!path?.some((step) => isFanOut(ps.index, step))) continue;
    ps.main = o.table;
    ps.mainItem = null;
    ps.linkedTables.push(counted);
    ps.filters.push({
      filter: { kind: 'compare', col: { table: o.table, column: o.column }, op: '=', value: o.value },
      negatedTable: null,
    });
    consume(ps, subject.start - 1, subject.end);
    mark(ps, subject.end, k);
    consume(ps, k, k + 1);
    consume(ps, mainItem.start, mainItem.end);
    const alias = tokens
      .slice(k + 1, mainItem.end)
      .map((t) => t.norm)
      .filter((w) => /^[a-z0-9]+$/.test(w))
      .join('_');
    ps.rank = {
      direction: most === 'most' ? 'desc' : 'asc',
      limit: 1,
      measure: { kind: 'count', table: counted },
      alias: alias || null,
      hints: [],
    };
    ps.limit = 1;
    return true;
  }
  return false;
}

/** "best-selling products", "the 5 best selling products": ranked by how much of them was sold. */
function rankBySelling(ps: PlannerState, at: number, limit: number | null, plural: boolean): boolean {
  const tokens = ps.tokens;
  const mainItem = ps.items[ps.mainItem!]!;
  const selling = /^(best|top|worst)-?sell(ing|er)$/.exec(tokens[at]?.norm ?? '');
  const twoWords = tokens[at]?.norm === 'selling' && SELLING_RANK_WORDS.has(tokens[at - 1]?.norm ?? '');
  if (selling === null && !twoWords) return false;
  const sold = soldMeasure(ps);
  if (sold === null) return true;
  let from = twoWords ? at - 1 : at;
  if (limit === null && numberAt(ps, from - 1)) {
    limit = tokens[from - 1]!.num;
    from -= 1;
  }
  if (tokens[from - 1]?.norm === 'top') from -= 1;
  consume(ps, from, mainItem.start);
  const worst = (selling?.[1] ?? tokens[at - 1]!.norm) === 'worst';
  ps.rank = {
    direction: worst ? 'asc' : 'desc',
    limit: limit ?? (plural ? 10 : 1),
    measure: sold,
    alias: null,
    hints: [],
  };
  ps.limit = ps.rank.limit;
  return true;
}

/** "top 5 customers by total spent", "the 3 best products", "bottom 10 customers by number of orders". */
function rankByWord(ps: PlannerState, at: number, limit: number | null, plural: boolean): boolean {
  const tokens = ps.tokens;
  const mainItem = ps.items[ps.mainItem!]!;
  const word = tokens[at]?.norm ?? '';
  const direction = RANKING_WORDS[word];
  if (direction === undefined) return false;
  let from = at;
  if (limit === null && numberAt(ps, at - 1)) {
    limit = tokens[at - 1]!.num;
    from = at - 1;
  }
  // "by total spent", "by the number of orders", "sorted by revenue"
  let by = -1;
  for (let k = mainItem.end; k < tokens.length; k += 1) {
    if (tokens[k]!.norm !== 'by') continue;
    const before = tokens[k - 1];
    if (before && ORDER_VERBS.has(before.norm)) mark(ps, k - 1, k);
    else if (passiveBy(ps, k, k + 1)) continue;
    by = k;
    break;
  }
  if (by === -1 && !BARE_RANKING_WORDS.has(word)) return true;
  const measure = by === -1 ? null : rankMeasure(ps, by + 1);
  if (by !== -1 && measure === null) return true;
  consume(ps, from, mainItem.start);
  if (measure !== null) consume(ps, by, measure.end);
  ps.rank = {
    direction,
    limit: limit ?? (plural ? 10 : 1),
    measure: measure?.measure ?? null,
    alias: measure?.alias ?? null,
    hints: [],
  };
  ps.limit = ps.rank.limit;
  return true;
}

/** "the 5 customers who spent the most", "customers who paid the least". */
function rankBySpending(ps: PlannerState, limit: number | null, plural: boolean): void {
  const tokens = ps.tokens;
  const mainItem = ps.items[ps.mainItem!]!;
  for (let k = mainItem.end; k < tokens.length; k += 1) {
    const verb = tokens[k]!;
    if (!SPEND_VERBS.has(verb.norm) && !SPEND_VERBS.has(verb.lemma)) continue;
    const w = tokens[k + 1]?.norm === 'the' ? k + 2 : k + 1;
    const most = tokens[w]?.norm;
    if (most !== 'most' && most !== 'least') continue;
    if (limit !== null) consume(ps, mainItem.start - 1, mainItem.start);
    consume(ps, k, w + 1);
    ps.rank = {
      direction: most === 'most' ? 'desc' : 'asc',
      limit: limit ?? (plural ? 10 : 1),
      measure: null,
      alias: null,
      hints: [verb.lemma, ...(SYNONYMS[verb.lemma] ?? [])],
    };
    ps.limit = ps.rank.limit;
    return;
  }
}

/**
 * How much of the main table's rows was sold: the sum of a quantity column of a table that refers
 * to it (`order_items.quantity`), else the number of rows of an order-like table that refers to it.
 */
export function soldMeasure(ps: PlannerState): RankMeasure | null {
  const main = ps.main!;
  const children = (ps.index.edges.get(main) ?? [])
    .filter((fk) => fk.referencedTable === main && fk.table !== main)
    .map((fk) => fk.table);
  for (const t of children) {
    const q = ps.index.tables[t]!.columns.find(
      (c) => c.category === 'number' && !c.key && c.words.some((w) => SOLD_WORDS.has(w)),
    );
    if (q) return { kind: 'column', col: { table: t, column: q.index }, fn: 'sum' };
  }
  for (const t of children) {
    if (ps.index.tables[t]!.words.some((w) => SALE_TABLE_WORDS.has(w))) return { kind: 'count', table: t };
  }
  return null;
}

/**
 * The measure named after "by" in a ranking, from token `k`: "the number of orders", "orders"
 * (a count), "total spent", "average rating", "revenue" (a column). `end`: the token after it.
 */
export function rankMeasure(
  ps: PlannerState,
  k: number,
): { measure: RankMeasure; alias: string | null; end: number } | null {
  const tokens = ps.tokens;
  const items = ps.items;
  while (DETERMINERS.has(tokens[k]?.norm ?? '')) k += 1;
  const start = k;
  const alias = (end: number): string =>
    tokens
      .slice(start, end)
      .map((t) => t.norm.replace(/[^a-z0-9]+/g, '_'))
      .filter((w) => w !== '' && w !== '_')
      .join('_');
  const itemAt = (p: number): Extract<Item, { kind: 'schema' }> | null => {
    const x = items.find((y) => y.start === p);
    return x?.kind === 'schema' ? x : null;
  };
  let counting = false;
  if (matchSeq(tokens, k, ['number', 'of']) || matchSeq(tokens, k, ['count', 'of'])) {
    counting = true;
    k += 2;
  } else if (matchSeq(tokens, k, ['how', 'many'])) {
    counting = true;
    k += 2;
  }
  while (MEASURE_DETERMINERS.has(tokens[k]?.norm ?? '')) k += 1;
  // "total pages", "average rating": an aggregate word that names no column of its own
  let fn: AggregateFn | null = null;
  const word = AGGREGATE_CUES[tokens[k]?.norm ?? ''];
  if (!counting && word !== undefined && itemAt(k) === null) {
    fn = word;
    k += 1;
    while (AFTER_AGGREGATE_WORDS.has(tokens[k]?.norm ?? '')) k += 1;
  }
  let item = itemAt(k);
  if (item === null) return null;
  const table = tableOf(ps, item.m);
  if (table !== null && table !== ps.main) {
    return { measure: { kind: 'count', table }, alias: alias(item.end), end: item.end };
  }
  if (counting) return null;
  // "total spent": an aggregate word that is also a column name, before the column meant
  const cue = fn === null ? AGGREGATE_CUES[tokens[k]!.norm] : undefined;
  if (cue !== undefined) {
    const next = items.find((y) => y.start > k && y.start - item!.end <= 1 && y.kind === 'schema');
    if (item.end - item.start === 1 && next?.kind === 'schema' && tableOf(ps, next.m) === null) {
      fn = cue;
      item = next;
    }
  }
  const col = resolveColumn(ps, item.m, null);
  if (col === null) return null;
  if (col.table === ps.main) fn = null;
  else {
    const path = joinPath(ps.index, ps.main!, col.table);
    const fanOut = path?.some((s) => isFanOut(ps.index, s)) ?? false;
    if (!fanOut) fn = null;
    else if (fn === null && column(ps, col).category === 'number') fn = 'sum';
  }
  addTable(ps, col.table);
  return {
    measure: { kind: 'column', col, fn },
    alias: fn === null ? null : alias(item.end),
    end: item.end,
  };
}

/** The order of a ranking: its measure (else the nearest money column) first, in its direction. */
export function rankOrder(
  ps: PlannerState,
  rank: NonNullable<PlannerState['rank']>,
  explicit: 'asc' | 'desc' | null,
): void {
  const direction = explicit ?? rank.direction;
  if (rank.measure === null) {
    const words = [...rank.hints, ...MONEY_WORDS];
    const byDistance = [...tablesInPlay(ps)].sort((a, b) => distance(ps, a) - distance(ps, b));
    for (const t of byDistance) {
      const found = columnsByWords(ps, words, [t], (c) => c.category === 'number' && !c.key)[0];
      if (!found) continue;
      const path = t === ps.main ? [] : (joinPath(ps.index, ps.main!, t) ?? []);
      const fanOut = path.some((s) => isFanOut(ps.index, s));
      rank.measure = { kind: 'column', col: found, fn: fanOut ? 'sum' : null };
      addTable(ps, t);
      break;
    }
  }
  const m = rank.measure;
  if (m === null) return;
  const order: OrderKey =
    m.kind === 'count'
      ? { kind: 'count-of', table: m.table, direction }
      : m.fn === null
        ? { kind: 'column', col: m.col, direction }
        : { kind: 'aggregate', fn: m.fn, col: m.col, direction };
  ps.orders.unshift(order);
}

export function defaultOrder(ps: PlannerState, direction: 'asc' | 'desc'): void {
  const num = columnsByWords(ps, MONEY_WORDS, tablesInPlay(ps), (c) => c.category === 'number');
  if (num[0]) ps.orders.push({ kind: 'column', col: num[0], direction });
}

/** "What is the highest age" asks for the value; "the singer with the highest age" orders by it. */
export function asksForValue(ps: PlannerState, at: number): boolean {
  const before = norms(ps, 0, at);
  const relative = before.some((w) => RELATIVE_CLAUSE_WORDS.has(w));
  return !relative;
}

/**
 * The figure of a ranking over related rows ("by total spent": SUM of orders.total; "by number of
 * orders": COUNT), with the main table's key to group by (empty: it has none); null when the ranking
 * needs no grouping.
 */
export function rankFigure(
  ps: PlannerState,
  main: number,
  grouped: boolean,
): { expr: Expr; table: number; key: number[] } | null {
  const m = ps.rank?.measure;
  if (!m || grouped) return null;
  const t = ps.index.tables[main]!;
  const key = t.primaryKey
    .map((p) => t.columns.find((c) => c.name === p)?.index)
    .filter((c): c is number => c !== undefined);
  if (m.kind === 'count')
    return m.table === main
      ? null
      : { expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false }, table: m.table, key };
  if (m.fn === null || m.col.table === main) return null;
  return { expr: { kind: 'aggregate', fn: m.fn, arg: m.col, distinct: false }, table: m.col.table, key };
}

/**
 * The direction the question asks for in words ("in descending order", "from the oldest to the
 * youngest"); the words of "from ... to ..." are a direction, not a superlative.
 */
export function readDirection(ps: PlannerState): {
  orderDirection: 'asc' | 'desc' | null;
  sortPhrase: Set<number>;
} {
  const tokens = ps.tokens;
  let orderDirection: 'asc' | 'desc' | null = null;
  for (const t of tokens) {
    if (EXPLICIT_DESC_WORDS.has(t.norm)) orderDirection = 'desc';
    if (EXPLICIT_ASC_WORDS.has(t.norm)) orderDirection = 'asc';
  }
  const sortPhrase = new Set<number>();
  for (let i = 0; i + 1 < tokens.length; i += 1) {
    if (tokens[i]!.norm !== 'from') continue;
    const next = tokens.slice(i + 1, i + 4).find((x) => x.norm !== 'the');
    if (!next) continue;
    const pair = FROM_PAIRS.get(next.norm);
    const after = tokens[tokens.indexOf(next) + 1];
    const pairTo = after?.norm === 'to' ? tokens[tokens.indexOf(next) + 2] : undefined;
    if (FROM_DESC_WORDS.has(next.norm)) orderDirection = 'desc';
    else if (FROM_ASC_WORDS.has(next.norm)) orderDirection = 'asc';
    else if (pair !== undefined && pairTo?.norm === pair.to) orderDirection = pair.direction;
    else if (next.norm === 'oldest' || next.norm === 'youngest')
      orderDirection = next.norm === 'oldest' ? 'desc' : 'asc';
    else continue;
    const to = tokens.slice(i + 2, i + 8).findIndex((x) => x.norm === 'to');
    const end = to === -1 ? i + 2 : i + 2 + to + 3;
    mark(ps, i, end);
    for (let j = i; j < end; j += 1) sortPhrase.add(j);
  }
  for (const [i, t] of tokens.entries()) if (DIRECTION_WORDS.has(t.norm)) mark(ps, i, i + 1);
  return { orderDirection, sortPhrase };
}

/** After the walk: a bare "in alphabetical order", the ranking's order, and limits ("top 5"). */
export function finishOrder(ps: PlannerState, orderDirection: 'asc' | 'desc' | null): void {
  bareSortOrder(ps, orderDirection);
  if (ps.rank !== null) {
    rankOrder(ps, ps.rank, orderDirection);
    return;
  }
  limits(ps, orderDirection);
}

/** "in alphabetical order", "in descending order" with no column named: order by what is shown. */
function bareSortOrder(ps: PlannerState, orderDirection: 'asc' | 'desc' | null): void {
  const tokens = ps.tokens;
  const main = ps.main!;
  const sortWord = tokens.some((t) => BARE_SORT_WORDS.has(t.norm));
  if (!sortWord || ps.orders.length > 0 || ps.rank !== null) return;
  const reverse = tokens.some((t) => t.norm === 'reverse' || t.norm === 'reversed');
  const direction = reverse ? 'desc' : (orderDirection ?? 'asc');
  const shown = ps.select.find((x) => x.kind === 'column');
  const sortAt = tokens.findIndex((t) => BARE_SORT_WORDS.has(t.norm));
  const byFrequency = tokens.slice(sortAt + 1).some((t) => FREQUENCY_WORDS.has(t.norm));
  if (shown && shown.kind === 'column' && byFrequency) {
    // "record formats in ascending order of count", "sorted by their frequency": the values shown,
    // by how many rows hold each
    ps.groupCols.push({ ref: shown.col, at: shown.at });
    ps.orders.push({ kind: 'aggregate', fn: 'count', col: null, direction });
  } else if (shown && shown.kind === 'column') ps.orders.push({ kind: 'column', col: shown.col, direction });
  else {
    const label = ps.index.tables[main]!.labelColumn;
    if (label !== null) ps.orders.push({ kind: 'column', col: { table: main, column: label }, direction });
  }
  tokens.forEach((t) => {
    if (SORT_MARK_WORDS.has(t.norm)) ps.understood.add(t.i);
  });
}

/** "top 5", "first 10", "5 most expensive": limits not taken by a number elsewhere. */
function limits(ps: PlannerState, orderDirection: 'asc' | 'desc' | null): void {
  const tokens = ps.tokens;
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i]!;
    if (LIMIT_WORDS.has(t.norm) && tokens[i + 1]?.num != null && !ps.dated.has(i + 1)) {
      ps.limit = tokens[i + 1]!.num!;
      mark(ps, i, i + 2);
      if (ps.orders.length === 0 && t.norm !== 'first') defaultOrder(ps, t.norm === 'top' ? 'desc' : 'asc');
      else if (t.norm === 'top' && orderDirection === null) {
        // "top 5 products by price": the highest first
        for (const [n, o] of ps.orders.entries())
          if (o.kind === 'column') ps.orders[n] = { ...o, direction: 'desc' };
      }
    } else if (t.norm === 'top' && ps.limit === null && ps.orders.length > 0) {
      ps.limit = 1;
      mark(ps, i, i + 1);
    }
  }
}
