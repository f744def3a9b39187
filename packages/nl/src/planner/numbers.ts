import { isFanOut, joinPath } from '../join-graph.js';
import type { ColumnRef, CompareOp } from '../query-plan.js';
import { yearRange } from '../question-lexer.js';
import type { IndexedColumn } from '../schema-index.js';
import { COMPARATIVE_WORDS, LIMIT_WORDS, MONEY_WORDS, SPEND_VERBS, SYNONYMS } from '../vocabulary.js';
import { adjectiveColumn } from './adjectives.js';
import { comparisonBefore, trailingComparison } from './comparisons.js';
import { ageFilter, dateColumn, yearOfDates } from './dates.js';
import {
  addTable,
  column,
  columnsByWords,
  distance,
  mark,
  negatedBetween,
  norms,
  type PlannerState,
  resolveColumn,
  tableOf,
  tablesInPlay,
} from './state.js';
import type { Item } from './types.js';
import { joinOrIntoIn } from './values.js';

/** "a price above the average", "older than the average age": compare with an aggregate of the column. */
export function averageComparisons(ps: PlannerState): void {
  const tokens = ps.tokens;
  const items = ps.items;
  for (let j = 1; j < tokens.length; j += 1) {
    const t = tokens[j]!;
    if (t.norm !== 'average' && t.norm !== 'mean') continue;
    const cmp = comparisonBefore(ps, Math.max(0, j - 4), j);
    const adjIdx = items.findIndex(
      (x) => x.kind === 'adjective' && x.grade === 'comparative' && x.end <= j && j - x.end <= 2,
    );
    const adjective = adjIdx === -1 ? null : (items[adjIdx] as Extract<Item, { kind: 'adjective' }>);
    if (!cmp && !(adjective && tokens[adjective.end]?.norm === 'than')) continue;
    const op: CompareOp = cmp ? cmp.op : adjective!.sense.direction === 'desc' ? '>' : '<';
    const start = cmp ? cmp.start : adjective!.start;
    // The column after "average" ("the average age"), if any
    const afterIdx = items.findIndex((x) => x.kind === 'schema' && x.start > j && x.start - j <= 3);
    const after = afterIdx === -1 ? null : items[afterIdx]!;
    const afterCol =
      after?.kind === 'schema' && tableOf(ps, after.m) === null ? resolveColumn(ps, after.m, ps.main) : null;
    // The column compared: named before the comparison, or the adjective's attribute, or the averaged one
    let col: ColumnRef | null = null;
    const beforeIdx = items.findLastIndex((x) => x.kind === 'schema' && x.end <= start && start - x.end <= 3);
    const before = beforeIdx === -1 ? null : items[beforeIdx]!;
    if (before?.kind === 'schema' && tableOf(ps, before.m) === null) {
      col = resolveColumn(ps, before.m, ps.main, (c) => c.category === 'number' || c.category === 'other');
      if (col) ps.preconsumed.add(beforeIdx);
    }
    if (!col && adjective) col = adjectiveColumn(ps, adjective.sense, null, (c) => c.category === 'number');
    col ??= afterCol;
    if (!col) continue;
    const arg = afterCol ?? col;
    if (afterCol) ps.preconsumed.add(afterIdx);
    if (adjIdx !== -1) ps.preconsumed.add(adjIdx);
    mark(ps, start, j + 1);
    if (after && afterCol) mark(ps, j + 1, after.end);
    if (before && ps.preconsumed.has(beforeIdx)) mark(ps, before.start, before.end);
    addTable(ps, col.table);
    ps.averageFilters.push({ col, op, fn: 'avg', arg });
  }
}

type NumberItem = Extract<Item, { kind: 'number' }>;
type AdjectiveItem = Extract<Item, { kind: 'adjective' }>;

/** How a number is compared: "between 1 and 2", "1 to 2", "more than 3", "3 or more", "heavier than 10". */
interface NumberComparison {
  op: CompareOp;
  /** The upper bound of a range ("between 1 and 2"). */
  high: number | null;
  isRange: boolean;
  /** The token after the number and its comparison words. */
  afterEnd: number;
  /** A comparative adjective before "than" ("older than 30"). */
  adjective: AdjectiveItem | null;
}

/** A number of the question: a limit, a count of related rows, or a comparison on a column. */
export function numberItem(
  ps: PlannerState,
  k: number,
  lastColumn: { ref: ColumnRef; end: number } | null,
  lastTable: { table: number; end: number } | null,
  consumed: Set<number>,
): void {
  const items = ps.items;
  const item = items[k]! as NumberItem;
  const prevTok = ps.tokens[item.start - 1];
  if (prevTok && LIMIT_WORDS.has(prevTok.norm)) return; // a limit
  // "the 3 oldest", "5 most expensive"
  const nextItem = items[k + 1];
  if (
    nextItem &&
    nextItem.kind === 'adjective' &&
    nextItem.grade === 'superlative' &&
    nextItem.start === item.end
  ) {
    ps.limit = item.value;
    mark(ps, item.start, item.end);
    return;
  }
  const cmp = readComparison(ps, k, item, consumed);
  mark(ps, item.start, item.end);
  // What it applies to.
  const follow = items[k + 1 + (cmp.isRange && items[k + 1]?.start === item.end + 1 ? 1 : 0)];
  if (countOfRows(ps, item, follow, cmp, consumed)) return;
  const col = numberTarget(ps, k, item, follow, cmp, lastColumn, lastTable, consumed);
  if (col === null) return;
  applyNumber(ps, item, follow, cmp, col);
}

function readComparison(
  ps: PlannerState,
  k: number,
  item: NumberItem,
  consumed: Set<number>,
): NumberComparison {
  const items = ps.items;
  const tokens = ps.tokens;
  const prevTok = tokens[item.start - 1];
  const second = tokens[item.end + 1];
  const isRange =
    second?.num != null &&
    ((prevTok?.norm === 'between' && tokens[item.end]?.norm === 'and') ||
      (tokens[item.end]?.norm === 'to' && !tokens[item.end + 1]?.date));
  const out: NumberComparison = { op: '=', high: null, isRange, afterEnd: item.end, adjective: null };
  if (isRange) {
    out.high = second!.num!;
    out.afterEnd = item.end + 2;
    const nextIdx = items.findIndex((x) => x.start === item.end + 1);
    if (nextIdx !== -1) consumed.add(nextIdx);
    mark(ps, prevTok?.norm === 'between' ? item.start - 1 : item.start, out.afterEnd);
    return out;
  }
  const cmp = comparisonBefore(ps, Math.max(0, item.start - 5), item.start);
  const trailing = trailingComparison(ps, item.end);
  if (cmp) {
    out.op = cmp.op;
    mark(ps, cmp.start, item.start);
  } else if (trailing) {
    out.op = trailing.op;
    out.afterEnd = trailing.end;
    mark(ps, item.end, trailing.end);
  } else if (prevTok?.norm === 'than') comparativeThan(ps, k, item, consumed, out);
  // "above age 20": the comparison stands before the column that precedes the number
  const prevItem = items[k - 1];
  if (!cmp && !trailing && out.op === '=' && prevItem?.kind === 'schema' && prevItem.end === item.start) {
    const early = comparisonBefore(ps, Math.max(0, prevItem.start - 4), prevItem.start);
    if (early) {
      out.op = early.op;
      mark(ps, early.start, prevItem.start);
    }
  }
  // "not higher than 4" -> at most
  if (cmp && negatedBetween(ps, cmp.start - 1, cmp.start)) {
    const op = out.op;
    out.op = op === '>' ? '<=' : op === '<' ? '>=' : op === '>=' ? '<' : op === '<=' ? '>' : op;
    mark(ps, cmp.start - 1, cmp.start);
  } else if (!cmp && out.op === '=' && negatedBetween(ps, item.start - 2, item.start)) out.op = '<>';
  return out;
}

/** "heavier than 10", "a greater weight than 10", "older than 30". */
function comparativeThan(
  ps: PlannerState,
  k: number,
  item: NumberItem,
  consumed: Set<number>,
  out: NumberComparison,
): void {
  const items = ps.items;
  const prevAdj = items[k - 1]?.kind === 'adjective' ? (items[k - 1] as AdjectiveItem) : null;
  if (prevAdj && prevAdj.grade === 'comparative' && item.start - prevAdj.end <= 1) {
    out.adjective = prevAdj;
    consumed.add(k - 1);
    out.op = prevAdj.sense.direction === 'desc' ? '>' : '<';
    mark(ps, prevAdj.start, item.start);
    return;
  }
  for (let j = item.start - 2; j >= Math.max(0, item.start - 6); j -= 1) {
    const dir = COMPARATIVE_WORDS[ps.tokens[j]!.norm];
    if (dir) {
      out.op = dir;
      mark(ps, j, j + 1);
      mark(ps, item.start - 1, item.start);
      break;
    }
  }
}

/** "more than 3 orders": a count of rows of the table named right after the number. */
function countOfRows(
  ps: PlannerState,
  item: NumberItem,
  follow: Item | undefined,
  cmp: NumberComparison,
  consumed: Set<number>,
): boolean {
  if (!(follow && follow.kind === 'schema' && follow.start - cmp.afterEnd <= 1)) return false;
  const t = tableOf(ps, follow.m);
  if (t === null) return false;
  consumed.add(ps.items.indexOf(follow));
  mark(ps, follow.start, follow.end);
  if (t !== ps.main) addTable(ps, t);
  if (cmp.high !== null) {
    ps.having.push({ kind: 'count-of', table: t, op: '>=', value: item.value });
    ps.having.push({ kind: 'count-of', table: t, op: '<=', value: cmp.high });
  } else ps.having.push({ kind: 'count-of', table: t, op: cmp.op, value: item.value });
  return true;
}

/**
 * The column a number is compared on (null: none, or the number was placed on a date column as a
 * year, which is done here).
 */
function numberTarget(
  ps: PlannerState,
  k: number,
  item: NumberItem,
  follow: Item | undefined,
  cmp: NumberComparison,
  lastColumn: { ref: ColumnRef; end: number } | null,
  lastTable: { table: number; end: number } | null,
  consumed: Set<number>,
): ColumnRef | null {
  let col: ColumnRef | null = alternativeTarget(ps, k, follow, lastColumn);
  if (col !== null) return col;
  if (follow && follow.kind === 'schema' && follow.start - cmp.afterEnd <= 1) {
    // "with 8 cylinders"
    col = resolveColumn(ps, follow.m, lastTable?.table ?? null, (c) => c.category !== 'text' || true);
    if (col !== null) {
      consumed.add(ps.items.indexOf(follow));
      mark(ps, follow.start, follow.end);
    }
  }
  if (col === null && cmp.adjective)
    col = adjectiveColumn(ps, cmp.adjective.sense, lastColumn, (c) => c.category === 'number');
  // "30 years old"
  if (col === null && follow && follow.kind === 'adjective' && follow.start - cmp.afterEnd <= 2) {
    col = adjectiveColumn(ps, follow.sense, lastColumn, (c) => c.category === 'number');
    if (col !== null) {
      consumed.add(ps.items.indexOf(follow));
      mark(ps, item.end, follow.end);
    }
  }
  // "revenue per month in 2024": a year after "in", when no column holds years, is a range of dates
  if (col === null && cmp.op === '=' && cmp.high === null && yearOfDates(ps, item)) {
    const dc = dateColumn(ps, null, item.start);
    if (dc !== null) {
      const r = yearRange(item.value);
      addTable(ps, dc.table);
      mark(ps, item.start - 1, item.start);
      ps.filters.push({
        filter: { kind: 'range', col: dc, low: r.start, high: r.end, halfOpen: true },
        negatedTable: null,
      });
      return null;
    }
  }
  if (col === null) col = numberColumn(ps, k, lastColumn, item.money);
  if (col === null) {
    if (!yearOnDates(ps, item, cmp, lastColumn)) ps.unresolved += 1;
    return null;
  }
  return col;
}

/**
 * "32 or 33 years old", "with 4 or 6 cylinders": the first of two numbers joined by "or" speaks
 * about the column named after the second (which reads that column itself, and makes the pair an IN).
 */
function alternativeTarget(
  ps: PlannerState,
  k: number,
  follow: Item | undefined,
  lastColumn: { ref: ColumnRef; end: number } | null,
): ColumnRef | null {
  if (follow?.kind !== 'number') return null;
  const between = norms(ps, ps.items[k]!.end, follow.start);
  if (between.length !== 1 || (between[0] !== 'or' && between[0] !== ',')) return null;
  const after = ps.items[k + 2];
  if (after?.kind === 'schema' && after.start - follow.end <= 1) {
    // (a column named right after the numbers is meant even when it is stored as text)
    const col = resolveColumn(ps, after.m, null, (c) => !c.key);
    if (col !== null) return col;
  }
  if (after?.kind === 'adjective' && after.start - follow.end <= 2)
    return adjectiveColumn(ps, after.sense, lastColumn, (c) => c.category === 'number');
  return null;
}

/** A year with no year column: a date column in that year. */
function yearOnDates(
  ps: PlannerState,
  item: NumberItem,
  cmp: NumberComparison,
  lastColumn: { ref: ColumnRef; end: number } | null,
): boolean {
  if (!(Number.isInteger(item.value) && item.value >= 1000 && item.value <= 2999)) return false;
  const dc = dateColumn(ps, lastColumn, item.start);
  if (dc === null) return false;
  const { op, high } = cmp;
  const r = yearRange(item.value);
  const rh = yearRange(high ?? item.value);
  addTable(ps, dc.table);
  if (op === '=')
    ps.filters.push({
      filter: { kind: 'range', col: dc, low: r.start, high: rh.end, halfOpen: true },
      negatedTable: null,
    });
  else if (op === '>' || op === '<=')
    ps.filters.push({
      filter: { kind: 'compare', col: dc, op: op === '>' ? '>=' : '<', value: r.end },
      negatedTable: null,
    });
  else ps.filters.push({ filter: { kind: 'compare', col: dc, op, value: r.start }, negatedTable: null });
  return true;
}

/** The condition a number puts on its column: an age, a range, a total over related rows, IN, or a comparison. */
function applyNumber(
  ps: PlannerState,
  item: NumberItem,
  follow: Item | undefined,
  cmp: NumberComparison,
  col: ColumnRef,
): void {
  const tokens = ps.tokens;
  const { op, high, adjective } = cmp;
  addTable(ps, col.table);
  // "older than 30" about a date of birth: an age, counted in whole years up to now
  const age =
    adjective !== null
      ? adjective.stem === 'old' || adjective.stem === 'young'
      : follow?.kind === 'adjective' && (follow.stem === 'old' || follow.stem === 'young');
  if (age && column(ps, col).category === 'date' && item.value < 200) {
    ageFilter(ps, col, op, item.value, high);
    return;
  }
  if (high !== null) {
    ps.filters.push({
      filter: { kind: 'range', col, low: item.value, high, halfOpen: false },
      negatedTable: null,
    });
    return;
  }
  // "customers who spent over $1000": a total over related rows.
  const verbBefore = tokens
    .slice(Math.max(0, item.start - 6), item.start)
    .some((t) => SPEND_VERBS.has(t.norm) || SPEND_VERBS.has(t.lemma));
  const totalWord = tokens.some(
    (t) => t.norm === 'total' || t.norm === 'altogether' || t.norm === 'combined',
  );
  if (col.table !== ps.main && ps.main !== null && (verbBefore || totalWord)) {
    const path = joinPath(ps.index, ps.main, col.table);
    if (path?.some((s) => isFanOut(ps.index, s))) {
      ps.having.push({ kind: 'aggregate', fn: 'sum', col, op, value: item.value });
      return;
    }
  }
  if (op === '=' && joinOrIntoIn(ps, col, item.start, item.value)) return;
  ps.filters.push({ filter: { kind: 'compare', col, op, value: item.value }, negatedTable: null });
}

/** The column a bare number speaks about. */
export function numberColumn(
  ps: PlannerState,
  k: number,
  lastColumn: { ref: ColumnRef; end: number } | null,
  money: boolean,
): ColumnRef | null {
  const item = ps.items[k]!;
  const numeric = (c: IndexedColumn): boolean =>
    c.category === 'number' || c.category === 'date' || c.category === 'other';
  if (lastColumn && item.start - lastColumn.end <= 5 && numeric(column(ps, lastColumn.ref)))
    return lastColumn.ref;
  // A column named right before the number is meant even when it is stored as text.
  if (lastColumn && item.start - lastColumn.end <= 3 && !column(ps, lastColumn.ref).key)
    return lastColumn.ref;
  // "no less than 3000 and no more than 4000": the second bound of the same column
  const last = ps.filters[ps.filters.length - 1];
  const joiner = norms(ps, item.start - 5, item.start);
  if (
    last &&
    last.filter.kind === 'compare' &&
    typeof last.filter.value === 'number' &&
    (joiner.includes('and') || joiner.includes('but'))
  )
    return last.filter.col;
  const tables = tablesInPlay(ps);
  if (money) {
    const verbs = ps.tokens
      .slice(Math.max(0, item.start - 6), item.start)
      .flatMap((t) => SYNONYMS[t.lemma] ?? []);
    // The nearest table with a money column: the main table, then one join away, and so on.
    const byDistance = [...tables].sort((a, b) => distance(ps, a) - distance(ps, b));
    for (const t of byDistance) {
      const found = columnsByWords(
        ps,
        [...verbs, ...MONEY_WORDS],
        [t],
        (c) => c.category === 'number' && !c.key,
      );
      if (found[0]) return found[0];
    }
  }
  // A year: a column named year
  const v = (item as { value: number }).value;
  if (Number.isInteger(v) && v >= 1000 && v <= 2999) {
    const years = columnsByWords(
      ps,
      ['year'],
      tables,
      (c) => c.category === 'number' || c.category === 'other' || c.category === 'text',
    );
    if (years[0]) return years[0];
    if (dateColumn(ps, lastColumn) !== null) return null;
  }
  // The words right before ("aged 30", "priced over 10") through synonyms; words that name a
  // table ("orders in 2023") do not count.
  const before = ps.tokens
    .slice(Math.max(0, item.start - 4), item.start)
    .filter(
      (t) =>
        !ps.items.some(
          (x) => x.kind === 'schema' && x.start <= t.i && t.i < x.end && tableOf(ps, x.m) !== null,
        ),
    )
    .flatMap((t) => [t.lemma, ...(SYNONYMS[t.lemma] ?? [])]);
  const byWords = columnsByWords(ps, before, tables, (c) => c.category === 'number' && !c.key);
  if (byWords[0]) return byWords[0];
  // "red items over 2": a comparison with no column named is about the main table's price or
  // amount, or about its only number column.
  if (comparisonBefore(ps, Math.max(0, item.start - 4), item.start) && ps.main !== null) {
    const money = columnsByWords(ps, MONEY_WORDS, [ps.main], (c) => c.category === 'number' && !c.key);
    if (money[0]) return money[0];
    const numbers = ps.index.tables[ps.main]!.columns.filter((c) => c.category === 'number' && !c.key);
    if (numbers.length === 1) return { table: ps.main, column: numbers[0]!.index };
  }
  return null;
}
