import type { AggregateFn, ColumnRef } from '../query-plan.js';
import type { Token } from '../question-lexer.js';
import {
  AGGREGATE_CUES,
  COMMON_WORDS,
  DESC_AFTER_COLUMN,
  DISTINCT_WORDS,
  FILLER_BEFORE_CUE,
  FILTER_LINK_WORDS,
  FLAG_NO,
  FLAG_YES,
  GROUP_WORDS,
  LIST_CONTINUATION_WORDS,
  LIST_JOINERS,
  ORDER_VERBS,
  RANKING_WORDS,
  RELATIVE_WORDS,
  SENTENCE_ENDS,
  SHOW_VERBS,
  SUPERLATIVE_COUNT_WORDS,
  TRANSPARENT_AFTER_AGGREGATE,
} from '../vocabulary.js';
import { adjectiveItem } from './adjectives.js';
import { comparisonBefore } from './comparisons.js';
import { dateItem, yearOfDates } from './dates.js';
import { numberItem } from './numbers.js';
import { asksForValue, finishOrder, readDirection } from './order.js';
import {
  addTable,
  aggWord,
  CLAIMED,
  column,
  hasAggregate,
  mark,
  nearTableAfter,
  negatedBetween,
  norms,
  type PlannerState,
  partsOfName,
  passiveBy,
  resolveColumn,
  tableOf,
} from './state.js';
import type { Item } from './types.js';
import { valueFilter } from './values.js';

type Mode = 'select' | 'group' | 'order' | 'filter';
type SchemaItem = Extract<Item, { kind: 'schema' }>;

/** What the walk carries from one item to the next. */
export interface WalkState {
  mode: Mode;
  lastColumn: { ref: ColumnRef; end: number } | null;
  lastTable: { table: number; end: number } | null;
  seenMain: boolean;
  mainFromSelect: boolean;
  carry: { fn: AggregateFn; until: number } | null;
  /** A table named in a list of shown things ("and their category names"). */
  listTable: number;
  prevEnd: number;
  /** Where a list of aggregate words before a column began ("the mean, lowest and highest age"). */
  aggListStart: number | null;
  readonly consumed: Set<number>;
  readonly orderDirection: 'asc' | 'desc' | null;
  /** Token positions of "from the oldest to the youngest". */
  readonly sortPhrase: ReadonlySet<number>;
}

/** The words between the previous item and this one, read for cues. */
interface Gap {
  readonly start: number;
  readonly tokens: readonly Token[];
  readonly norms: readonly string[];
  readonly lastWords: readonly string[];
  readonly lastWord: string | undefined;
  readonly agg: AggregateFn | null;
  readonly aggIdx: number;
  readonly aggAdjacent: boolean;
  readonly negated: boolean;
}

/** Walks the items in order and gives each its role. */
export function walk(ps: PlannerState): void {
  const { orderDirection, sortPhrase } = readDirection(ps);
  const ws: WalkState = {
    mode: 'select',
    lastColumn: null,
    lastTable: null,
    seenMain: false,
    mainFromSelect: false,
    carry: null,
    listTable: -1,
    prevEnd: 0,
    aggListStart: null,
    consumed: new Set(ps.preconsumed),
    orderDirection,
    sortPhrase,
  };
  const items = ps.items;
  for (let k = 0; k < items.length; k += 1) {
    const item = items[k]!;
    if (ws.consumed.has(k)) continue;
    const g = readGap(ps, ws, item);
    switch (item.kind) {
      case 'schema':
        schemaItem(ps, ws, k, item, g);
        continue;
      case 'value':
        mark(ps, item.start, item.end);
        valueFilter(ps, item.m, ws.lastColumn, g.start, g.negated || headNegated(ps, ws, item));
        continue;
      case 'number':
        numberItem(ps, k, ws.lastColumn, ws.lastTable, ws.consumed);
        continue;
      case 'date':
        dateItem(ps, item, g.start, ws.lastColumn);
        continue;
      case 'adjective': {
        if (ws.sortPhrase.has(item.start)) continue;
        // "highest price", "largest population": an aggregate word before a column works as one.
        const nextSchema = items[k + 1];
        if (
          aggWord(ps.tokens[item.start]) &&
          item.end - item.start === 1 &&
          nextSchema?.kind === 'schema' &&
          nextSchema.start - item.end <= 1
        ) {
          ws.prevEnd = ws.aggListStart ?? item.start;
          ws.aggListStart = null;
          continue;
        }
        // "the mean, lowest and highest age": a list of aggregate words before the column
        if (aggregateList(ps, k)) {
          ws.aggListStart ??= g.start;
          ws.prevEnd = ws.aggListStart;
          continue;
        }
        adjectiveItem(ps, k, ws.lastColumn, ws.consumed);
        continue;
      }
    }
  }
  finishOrder(ps, ws.orderDirection);
}

/**
 * "conductors that do not have the nationality 'USA'": a "not" right before the column that heads
 * a value negates the value's filter.
 */
function headNegated(ps: PlannerState, ws: WalkState, item: Item): boolean {
  const col = ws.lastColumn;
  if (!col || item.start - col.end > 1) return false;
  const head = ps.items.find((x) => x.kind === 'schema' && x.end === col.end);
  if (!head) return false;
  // (only words between: "channels that do not play any cartoon directed by Ben Jones" negates the cartoons)
  for (let i = head.start - 1; i >= Math.max(0, head.start - 4); i -= 1) {
    if (ps.items.some((x) => x.start <= i && i < x.end)) return false;
    const w = ps.tokens[i]!.norm;
    if (w === 'not' || w.endsWith("n't")) return true;
  }
  return false;
}

/** Item `k` is an aggregate word in a list of them ("lowest and highest") right before a column. */
function aggregateList(ps: PlannerState, k: number): boolean {
  const items = ps.items;
  let j = k;
  while (
    items[j]?.kind === 'adjective' &&
    items[j]!.end - items[j]!.start === 1 &&
    aggWord(ps.tokens[items[j]!.start])
  )
    j += 1;
  const column = items[j];
  if (j === k || j === k + 1 || column?.kind !== 'schema' || tableOf(ps, column.m) !== null) return false;
  return ps.tokens
    .slice(items[k]!.start, column.start)
    .every(
      (t) => aggWord(t) !== null || t.norm === 'and' || t.norm === ',' || t.norm === 'or' || t.norm === 'the',
    );
}

/** Reads the gap before `item`: its cue words change the mode, and an aggregate word may apply to the item. */
function readGap(ps: PlannerState, ws: WalkState, item: Item): Gap {
  const gapStart = ws.prevEnd;
  // Words a ranking or a period already read ("spent the most", "per month") play no other part.
  const gap = ps.tokens.slice(gapStart, item.start).map((t) => (ps.claimed.has(t.i) ? CLAIMED : t));
  const gapNorms = gap.map((t) => t.norm);
  ws.prevEnd = Math.max(ws.prevEnd, item.end);
  // "older than 20 or living in Paris": the next filter is an alternative to the last one
  if (gapNorms.includes('or') && ps.filters.length > 0) ps.orBefore.add(ps.filters.length);
  const lastWords = gapNorms.filter((w) => !FILLER_BEFORE_CUE.has(w));
  const lastWord = lastWords[lastWords.length - 1];
  changeMode(ps, ws, item, { start: gapStart, norms: gapNorms, lastWords, lastWord });
  if (gapNorms.some((w) => DISTINCT_WORDS.has(w))) {
    ps.distinct = true;
    gap.forEach((t) => {
      if (DISTINCT_WORDS.has(t.norm)) ps.understood.add(t.i);
    });
  }
  const aggIdx = (() => {
    for (let g = gap.length - 1; g >= 0; g -= 1) if (aggWord(gap[g])) return g;
    return -1;
  })();
  let agg = aggIdx === -1 ? null : aggWord(gap[aggIdx]);
  // The aggregate word applies to this item when only filler words stand between them.
  let aggAdjacent =
    aggIdx !== -1 && gap.slice(aggIdx + 1).every((t) => TRANSPARENT_AFTER_AGGREGATE.has(t.norm));
  // "the highest product price": the aggregate passes over the table to its column.
  if (ws.carry && ws.carry.until === item.start && item.kind === 'schema') {
    agg = ws.carry.fn;
    aggAdjacent = true;
  }
  ws.carry = null;
  const negated = negatedBetween(ps, gapStart, item.start);
  return {
    start: gapStart,
    tokens: gap,
    norms: gapNorms,
    lastWords,
    lastWord,
    agg,
    aggIdx,
    aggAdjacent,
    negated,
  };
}

/** Mode changes from the words between the previous item and this one. */
function changeMode(
  ps: PlannerState,
  ws: WalkState,
  item: Item,
  g: Pick<Gap, 'start' | 'norms' | 'lastWords' | 'lastWord'>,
): void {
  const { start: gapStart, norms: gapNorms, lastWords, lastWord } = g;
  // "Who is the earliest graduate? List the first name and last name.": a new sentence that asks
  // to show something starts a new list of things shown.
  const stop = gapNorms.findIndex((w) => SENTENCE_ENDS.has(w));
  if (stop !== -1 && gapNorms.slice(stop + 1).some((w) => SHOW_VERBS.has(w))) {
    ws.mode = 'select';
    return;
  }
  const sortHere = gapNorms.some((w) => ORDER_VERBS.has(w) || w === 'order');
  const sortSeen = sortHere || ps.tokens.slice(0, item.start).some((t) => ORDER_VERBS.has(t.norm));
  const byOrder = lastWord === 'by' && !passiveBy(ps, gapStart, item.start) && !hasAggregate(ps);
  if (
    (sortHere && (gapNorms.includes('by') || gapNorms.includes('of') || gapNorms.includes('on'))) ||
    (lastWord === 'by' && sortSeen) ||
    byOrder
  ) {
    ws.mode = 'order';
    mark(ps, gapStart, item.start);
  } else if (
    lastWords.slice(-2).some((w) => GROUP_WORDS.has(w)) ||
    (lastWord === 'by' && ws.mode !== 'order' && !passiveBy(ps, gapStart, item.start))
  ) {
    ws.mode = 'group';
    mark(ps, gapStart, item.start);
  } else if (gapNorms.some((w) => RELATIVE_WORDS.has(w)) && ws.mode !== 'select') {
    if (
      !(gapNorms.length === 1 && gapNorms[0] === 'and') &&
      !(ws.mode === 'group' && gapNorms.every((w) => w === 'and' || w === ','))
    )
      ws.mode = 'filter';
  }
  if (
    ws.seenMain &&
    ws.mode === 'select' &&
    gapNorms.some((w) => RELATIVE_WORDS.has(w) && w !== 'of' && w !== 'for')
  )
    ws.mode = 'filter';
}

/** A schema mention: the main table, another table, or a column, each in the role the mode gives it. */
function schemaItem(ps: PlannerState, ws: WalkState, k: number, item: SchemaItem, g: Gap): void {
  const items = ps.items;
  const table = tableOf(ps, item.m);
  const isMain = k === ps.mainItem;
  const nextAdj = items[k + 1];
  if (
    g.agg &&
    g.aggAdjacent &&
    nextAdj?.kind === 'schema' &&
    nextAdj.start === item.end &&
    tableOf(ps, nextAdj.m) === null &&
    !SUPERLATIVE_COUNT_WORDS.has(g.tokens[g.aggIdx]?.norm ?? '')
  ) {
    ws.carry = { fn: g.agg, until: nextAdj.start };
  }
  if (!isMain && aggregateWordAhead(ps, k, item)) {
    // Read as an aggregate word: the gap before the next column now starts with it
    // ("average, minimum and maximum age").
    ws.prevEnd = item.start;
    return;
  }
  if (isMain) {
    mainTableItem(ps, ws, item, g);
    return;
  }
  // "ordered by customers": a table after "ordered by" is who ordered, not a sort key.
  if (
    table !== null &&
    ws.mode === 'order' &&
    ps.tokens.slice(g.start, item.start).some((t) => t.norm === 'ordered' || t.norm === 'sorted')
  ) {
    ws.mode = 'filter';
  }
  if (
    table !== null &&
    ws.mode !== 'order' &&
    !(g.agg && g.aggAdjacent && g.agg !== 'max' && g.agg !== 'min')
  ) {
    tableItem(ps, ws, k, item, table, g);
    return;
  }
  columnItem(ps, ws, k, item, table, g);
}

/** "total amount of orders": an aggregate word that is also a column name, before the column meant. */
function aggregateWordAhead(ps: PlannerState, k: number, item: SchemaItem): boolean {
  const tokens = ps.tokens;
  const firstWord: Token = tokens[item.start]!;
  const aggName: AggregateFn | undefined = AGGREGATE_CUES[firstWord.norm];
  if (!aggName || item.end - item.start !== 1) return false;
  const follow = ps.items[k + 1];
  const between = tokens.slice(item.end, follow?.start ?? item.end);
  return (
    follow?.kind === 'schema' &&
    follow.start - item.end <= 6 &&
    tableOf(ps, follow.m) === null &&
    between.every(
      (t) => aggWord(t) || TRANSPARENT_AFTER_AGGREGATE.has(t.norm) || t.norm === ',' || t.norm === 'and',
    )
  );
}

function mainTableItem(ps: PlannerState, ws: WalkState, item: SchemaItem, g: Gap): void {
  const main = ps.main!;
  ws.seenMain = true;
  ws.mainFromSelect = ws.mode === 'select';
  mark(ps, item.start, item.end);
  ws.lastTable = { table: main, end: item.end };
  if (ws.mode === 'select' || ws.mode === 'filter') ws.mode = 'filter';
  if (ws.mode === 'group' && g.lastWords.slice(-2).some((w) => GROUP_WORDS.has(w))) {
    // "for each product": group by the main table itself
    ps.groupTables.push({ table: main, at: item.start });
  }
  if (g.agg === 'max' || g.agg === 'min') {
    // "the most orders" where orders is the main table of a grouped question
    const word = g.tokens[g.aggIdx]?.norm ?? '';
    if (SUPERLATIVE_COUNT_WORDS.has(word)) {
      ps.orders.push({
        kind: 'aggregate',
        fn: 'count',
        col: null,
        direction: word === 'most' ? 'desc' : 'asc',
      });
      mark(ps, g.start + g.aggIdx, g.start + g.aggIdx + 1);
      ps.limit ??= 1;
    }
  }
  if (ws.mode === 'group') ws.mode = 'filter';
}

/** A table other than the main one: grouped by, counted, negated, shown by its label, or only linked. */
function tableItem(
  ps: PlannerState,
  ws: WalkState,
  k: number,
  item: SchemaItem,
  table: number,
  g: Gap,
): void {
  const items = ps.items;
  mark(ps, item.start, item.end);
  // "with more than 3 orders", "at least two reviews"
  const prev = items[k - 1];
  if (prev && prev.kind === 'number' && item.start - prev.end <= 1 && !ws.consumed.has(k - 1)) {
    // handled by the number
    return;
  }
  const nextAdj = items[k + 1];
  const qualifier =
    nextAdj?.kind === 'schema' &&
    nextAdj.start === item.end &&
    tableOf(ps, nextAdj.m) === null &&
    nextAdj.m.candidates.some((c) => c.target.kind === 'column' && c.target.table === table);
  if (ws.mode === 'group') {
    // "per customer country": the table only qualifies the column that follows
    if (!qualifier) ps.groupTables.push({ table, at: item.start });
    addTable(ps, table);
    ws.lastTable = { table, end: item.end };
    return;
  }
  if (superlativeCount(ps, item, table, g)) return;
  if (g.negated && ws.seenMain) {
    ps.negatedTables.push(table);
    mark(ps, g.start, item.start);
    ws.lastTable = { table, end: item.end };
    return;
  }
  if (
    ws.seenMain &&
    ps.select.length > 0 &&
    g.norms.length > 0 &&
    g.norms.every((w) => LIST_JOINERS.has(w))
  ) {
    ws.listTable = k;
    // "names of teachers and the courses": the table itself is shown, by its label
    if (!qualifier && g.norms.includes('and')) ps.select.push({ kind: 'table', table, at: item.start });
  }
  if (!ws.seenMain && ws.mode === 'select') {
    // A table named before the main one: show its label ("the singer names and the concert").
    ps.select.push({ kind: 'table', table, at: item.start });
  }
  addTable(ps, table);
  ws.lastTable = { table, end: item.end };
}

/** "the most orders", "the largest number of degrees": rows ordered by a count of the table's rows. */
function superlativeCount(ps: PlannerState, item: SchemaItem, table: number, g: Gap): boolean {
  const word = g.tokens[g.aggIdx]?.norm ?? '';
  const counted =
    g.agg &&
    (SUPERLATIVE_COUNT_WORDS.has(word) ||
      (RANKING_WORDS[word] !== undefined && g.norms.slice(g.aggIdx + 1).join(' ') === 'number of'));
  if (!counted) return false;
  ps.orders.push({ kind: 'count-of', table, direction: RANKING_WORDS[word] ?? 'desc' });
  mark(ps, g.start + g.aggIdx, item.start);
  addTable(ps, table);
  ps.limit ??= 1;
  return true;
}

/** A column: grouped by, sorted by, aggregated, counted, compared (by the value after it) or shown. */
function columnItem(
  ps: PlannerState,
  ws: WalkState,
  k: number,
  item: SchemaItem,
  table: number | null,
  g: Gap,
): void {
  const items = ps.items;
  const tokens = ps.tokens;
  const before = items[k - 1];
  const adjacentTable = before?.kind === 'schema' && before.end === item.start ? tableOf(ps, before.m) : null;
  const near = adjacentTable ?? nearTableAfter(ps, k);
  const ref = resolveColumn(ps, item.m, near ?? ws.lastTable?.table ?? null);
  if (ref === null) {
    if (table !== null) {
      addTable(ps, table);
      mark(ps, item.start, item.end);
    }
    return;
  }
  mark(ps, item.start, item.end);
  addTable(ps, ref.table);
  ws.lastColumn = { ref, end: item.end };
  // "out of stock": none left
  if (
    tokens[item.start - 1]?.norm === 'of' &&
    tokens[item.start - 2]?.norm === 'out' &&
    column(ps, ref).category === 'number'
  ) {
    ps.filters.push({ filter: { kind: 'compare', col: ref, op: '<=', value: 0 }, negatedTable: null });
    mark(ps, item.start - 2, item.start);
    return;
  }
  if (ws.mode === 'group') {
    ps.groupCols.push({ ref, at: item.start });
    return;
  }
  if (flagFilter(ps, ws, k, ref, g)) return;
  if (mostCommon(ps, item, ref, g)) return;
  if (ws.mode === 'order') {
    orderColumn(ps, ws, item, ref, g);
    return;
  }
  if (g.agg && g.aggAdjacent) {
    aggregateColumn(ps, ws, k, item, ref, g);
    return;
  }
  if (countDistinct(ps, k, item, ref)) return;
  if (filterHead(ps, ws, k, item, ref)) return;
  projectColumn(ps, ws, k, item, ref, g);
}

/**
 * "active customers", "products that are discontinued", "customers who are not active": a yes/no
 * column (`is_active`) named alone is a condition that it holds (or, negated, does not).
 */
function flagFilter(ps: PlannerState, ws: WalkState, k: number, ref: ColumnRef, g: Gap): boolean {
  const c = column(ps, ref);
  if (!c.flag || ws.mode === 'order' || (g.agg && g.aggAdjacent)) return false;
  const next = ps.items[k + 1];
  const item = ps.items[k]!;
  // "is_active = 0", "active is 1": the value that follows does the work
  if (next && (next.kind === 'number' || next.kind === 'value') && next.start - item.end <= 2) return false;
  const stored = c.category === 'text' || c.category === 'other';
  const yes: unknown = stored ? storedFlag(ps, ref, FLAG_YES) : c.category === 'boolean' ? true : 1;
  const no: unknown = stored ? storedFlag(ps, ref, FLAG_NO) : c.category === 'boolean' ? false : 0;
  if ((g.negated ? no : yes) === null) return false;
  ps.filters.push({
    filter: { kind: 'compare', col: ref, op: '=', value: g.negated ? no : yes },
    negatedTable: null,
  });
  if (g.negated) mark(ps, g.start, item.start);
  return true;
}

/** The value a text flag column stores for yes (or no): 'T', 'Y', 'yes' ... as the value index has it. */
function storedFlag(ps: PlannerState, ref: ColumnRef, spellings: readonly string[]): string | null {
  for (const s of spellings) {
    const o = ps.index.values?.values.get(s)?.find((x) => x.table === ref.table && x.column === ref.column);
    if (o) return o.value;
  }
  return null;
}

/** "the most common hometown", "the least frequent status": the value seen most (or least) often. */
function mostCommon(ps: PlannerState, item: SchemaItem, ref: ColumnRef, g: Gap): boolean {
  const commonAt = g.norms.findIndex((w) => COMMON_WORDS.has(w));
  if (!(commonAt > 0 && ['most', 'least'].includes(g.norms[commonAt - 1]!))) return false;
  ps.groupCols.push({ ref, at: item.start });
  ps.orders.push({
    kind: 'aggregate',
    fn: 'count',
    col: null,
    direction: g.norms[commonAt - 1] === 'most' ? 'desc' : 'asc',
  });
  ps.limit ??= 1;
  mark(ps, g.start + commonAt - 1, g.start + commonAt + 1);
  return true;
}

function orderColumn(ps: PlannerState, ws: WalkState, item: SchemaItem, ref: ColumnRef, g: Gap): void {
  let dir: 'asc' | 'desc' = ws.orderDirection ?? 'asc';
  const after = norms(ps, item.end, item.end + 4);
  if (after.some((w) => DESC_AFTER_COLUMN.has(w))) dir = 'desc';
  if (g.agg && g.aggAdjacent) ps.orders.push({ kind: 'aggregate', fn: g.agg, col: ref, direction: dir });
  else
    for (const c of partsOfName(ps, ref, item.start))
      ps.orders.push({ kind: 'column', col: { table: ref.table, column: c }, direction: dir });
}

/** An aggregate word before the column: a superlative order, a HAVING, or aggregates shown. */
function aggregateColumn(
  ps: PlannerState,
  ws: WalkState,
  k: number,
  item: SchemaItem,
  ref: ColumnRef,
  g: Gap,
): void {
  const agg = g.agg!;
  const gap = g.tokens;
  mark(ps, g.start + g.aggIdx, g.start + g.aggIdx + 1);
  const superlative = (agg === 'max' || agg === 'min') && ws.seenMain && !asksForValue(ps, item.start);
  if (superlative) {
    // ("the most orders" on a column of a related table orders by that column too)
    ps.orders.push({ kind: 'column', col: ref, direction: agg === 'max' ? 'desc' : 'asc' });
    ps.limit ??= 1;
    return;
  }
  // A comparison on an aggregate is a HAVING ("average price above 10"), also where the rows are
  // grouped by a column the table is not named beside ("for each continent where the average life
  // expectancy is below 72", "continents whose average life expectancy is above 72").
  // The comparative of "is shorter than 72" is an adjective item of its own: it is part of the cue.
  const skip = ps.items[k + 1]?.kind === 'adjective' && ps.items[k + 2]?.kind === 'number' ? 1 : 0;
  const nextItem = ps.items[k + 1 + skip];
  if (nextItem && nextItem.kind === 'number') {
    const cmp = comparisonBefore(ps, item.end, nextItem.start);
    const grouped = ps.groupCols.length > 0 || ps.select.some((s) => s.kind === 'column');
    if (cmp && (skip === 0 || cmp.start <= ps.items[k + 1]!.start) && (ws.seenMain || grouped)) {
      ps.having.push({ kind: 'aggregate', fn: agg, col: ref, op: cmp.op, value: nextItem.value });
      mark(ps, cmp.start, nextItem.end);
      for (let j = k + 1; j <= k + 1 + skip; j += 1) ws.consumed.add(j);
      return;
    }
  }
  // "the average and maximum age": every aggregate word of the list applies to the column
  const more: AggregateFn[] = [];
  for (let j = g.aggIdx - 1; j >= 0; j -= 1) {
    const w = gap[j]!.norm;
    const fn = aggWord(gap[j]);
    if (fn) more.unshift(fn);
    else if (w !== 'and' && w !== ',' && w !== 'or' && w !== 'the') break;
    mark(ps, g.start + j, g.start + j + 1);
  }
  for (const [n, fn] of more.entries()) {
    ps.select.push({
      kind: 'aggregate',
      fn,
      col: ref,
      distinct: false,
      table: null,
      at: item.start - more.length + n,
    });
  }
  ps.select.push({ kind: 'aggregate', fn: agg, col: ref, distinct: false, table: null, at: item.start });
}

/** "how many different countries": a count of the column's distinct values. */
function countDistinct(ps: PlannerState, k: number, item: SchemaItem, ref: ColumnRef): boolean {
  const intent = ps.countIntent;
  if (
    !intent ||
    item.start < intent.end ||
    item.start - intent.end > 4 ||
    column(ps, ref).key ||
    ps.items
      .slice(0, k)
      .some((x, n) => x.start >= intent.end && !(n === ps.mainItem && compound(ps, x, item, ref)))
  )
    return false;
  ps.select.push({ kind: 'aggregate', fn: 'count', col: ref, distinct: true, table: null, at: item.start });
  ps.countTable ??= ref.table;
  return true;
}

/**
 * "shop locations", "degree names": a table named in the singular right before a plural column of
 * its own (a compound noun), which the column belongs to.
 */
function compound(ps: PlannerState, table: Item, item: SchemaItem, ref: ColumnRef): boolean {
  if (table.end !== item.start || table.kind !== 'schema' || tableOf(ps, table.m) !== ref.table) return false;
  const head = ps.tokens[table.end - 1]!;
  const last = ps.tokens[item.end - 1]!;
  return !head.tags.has('Plural') && last.tags.has('Plural');
}

/** A column followed by a comparison and a value is a filter; the value item does the work. */
function filterHead(ps: PlannerState, ws: WalkState, k: number, item: SchemaItem, ref: ColumnRef): boolean {
  const items = ps.items;
  const nextItem = items[k + 1];
  const numberForNext =
    nextItem?.kind === 'number' && items[k + 2]?.kind === 'schema' && items[k + 2]!.start - nextItem.end <= 1;
  const headProjection =
    ws.mode === 'select' &&
    !ws.seenMain &&
    nextItem?.kind === 'value' &&
    !nextItem.m.occurrences.some((o) => o.table === ref.table && o.column === ref.column) &&
    nextItem.m.occurrences.length > 0;
  if (
    numberForNext ||
    headProjection ||
    (nextItem?.kind === 'number' && yearOfDates(ps, nextItem)) ||
    !nextItem ||
    !(nextItem.kind === 'number' || nextItem.kind === 'value' || nextItem.kind === 'date') ||
    nextItem.start - item.end > 5
  )
    return false;
  const between = norms(ps, item.end, nextItem.start);
  if (
    comparisonBefore(ps, item.end, nextItem.start) ||
    between.some((w) => FILTER_LINK_WORDS.has(w) || w.endsWith("n't")) ||
    between.length === 0
  ) {
    return !(ws.mode === 'select' && !ws.seenMain && between.includes('of'));
  }
  return false;
}

/** A column shown: after its table ("employee names"), in the select part, or in a list ("and their ages"). */
function projectColumn(
  ps: PlannerState,
  ws: WalkState,
  k: number,
  item: SchemaItem,
  ref: ColumnRef,
  g: Gap,
): void {
  const prevItem = ps.items[k - 1];
  if (
    prevItem &&
    prevItem.kind === 'schema' &&
    prevItem.end === item.start &&
    tableOf(ps, prevItem.m) === ref.table &&
    (k - 1 === ps.mainItem ? ws.mainFromSelect : ws.mode === 'select' || k - 1 === ws.listTable)
  ) {
    ps.select.push({ kind: 'column', col: ref, at: item.start });
    return;
  }
  if (ws.mode === 'select' || (!ws.seenMain && ws.mode !== 'filter')) {
    ps.select.push({ kind: 'column', col: ref, at: item.start });
    return;
  }
  // After the main table with no cue: another projection in a list ("and their ages").
  const listed = g.norms.some((w) => LIST_CONTINUATION_WORDS.has(w));
  if (listed && ps.select.length > 0 && !g.norms.some((w) => RELATIVE_WORDS.has(w) && w !== 'and')) {
    ps.select.push({ kind: 'column', col: ref, at: item.start });
  }
}
