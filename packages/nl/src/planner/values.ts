import type { ValueMention } from '../link-schema.js';
import type { ColumnRef } from '../query-plan.js';
import {
  ENDS_WORDS,
  FREE_TEXT_WORDS,
  LIKE_WORDS,
  NAMING_WORDS,
  PLACE_PREPOSITIONS,
  PLACE_WORDS,
  STARTS_WORDS,
  SUBSTRING_WORDS,
  VERB_AUXILIARIES,
} from '../vocabulary.js';
import {
  addTable,
  column,
  mark,
  norms,
  type PlannerState,
  partsOfName,
  resolveColumn,
  tablesInPlay,
} from './state.js';

/** The cue words around a value: how it is matched ("containing", "starting with") and whether negated. */
interface ValueCues {
  readonly before: readonly string[];
  readonly like: boolean;
  readonly starts: boolean;
  readonly ends: boolean;
  readonly neg: boolean;
  readonly absent: boolean;
}

/** A value of the question ("in Paris", "containing 'great'"): a condition on the column that holds it. */
export function valueFilter(
  ps: PlannerState,
  m: ValueMention,
  lastColumn: { ref: ColumnRef; end: number } | null,
  gapStart: number,
  negated: boolean,
): void {
  const before = norms(ps, Math.max(gapStart, m.start - 3), m.start);
  const after = norms(ps, m.end, m.end + 2);
  const wordCue = before.some((w) => SUBSTRING_WORDS.has(w));
  const like =
    before.some((w) => LIKE_WORDS.has(w)) ||
    (m.occurrences.length === 0 && (wordCue || (m.quoted && after[0] === 'in')));
  const neg = negated || before.some((w) => w === 'not' || w.endsWith("n't"));
  const cues: ValueCues = {
    before,
    like,
    starts: before.some((w) => STARTS_WORDS.has(w)),
    ends: before.some((w) => ENDS_WORDS.has(w)),
    neg,
    absent: neg && verbNegated(ps, Math.max(gapStart, m.start - 4), m.start),
  };
  const found = valueColumn(ps, m, lastColumn, cues, after);
  if (found === null) {
    ps.unresolved += 1;
    return;
  }
  const { col, value } = found;
  addTable(ps, col.table);
  mark(ps, m.start - before.length, m.start);
  if (cues.like || cues.starts || cues.ends) {
    likeFilter(ps, col, value, lastColumn, cues);
    return;
  }
  // "in France or Germany": collect an OR list into IN (...)
  if (joinOrIntoIn(ps, col, m.start, value)) return;
  ps.filters.push({
    filter: { kind: 'compare', col, op: cues.neg ? '<>' : '=', value },
    negatedTable: null,
    absent: cues.absent,
  });
}

/** The column a value is about, and the value as stored (null: none found). */
function valueColumn(
  ps: PlannerState,
  m: ValueMention,
  lastColumn: { ref: ColumnRef; end: number } | null,
  cues: ValueCues,
  after: readonly string[],
): { col: ColumnRef; value: string } | null {
  if (m.occurrences.length > 0) {
    const best = bestOccurrence(ps, m, lastColumn);
    return { col: { table: best.table, column: best.column }, value: best.value };
  }
  let col: ColumnRef | null = null;
  if (cues.like && after[0] === 'in' && columnAfter(ps, m.end)) {
    col = columnAfter(ps, m.end);
  } else if (
    lastColumn &&
    m.start - lastColumn.end <= 5 &&
    column(ps, lastColumn.ref).category !== 'number'
  ) {
    col = lastColumn.ref;
  } else {
    const named = cues.before.some((w) => NAMING_WORDS.has(w));
    const main = ps.index.tables[ps.main!]!;
    const label = main.labelColumn;
    if (label !== null && (named || m.quoted)) col = { table: main.id, column: label };
    else if (cues.like) {
      // "reviews containing the word 'great'": the main table's text
      const text = main.columns.filter((c) => c.category === 'text' && !c.key);
      const best = text.find((c) => c.words.some((w) => FREE_TEXT_WORDS.has(w))) ?? text[0];
      if (best) col = { table: main.id, column: best.index };
    }
  }
  return col === null ? null : { col, value: m.text };
}

/** Of the columns that hold a value, the one the question most likely means. */
function bestOccurrence(
  ps: PlannerState,
  m: ValueMention,
  lastColumn: { ref: ColumnRef; end: number } | null,
): ValueMention['occurrences'][number] {
  const inPlay = tablesInPlay(ps);
  const placePreposition = PLACE_PREPOSITIONS.has(ps.tokens[m.start - 1]?.norm ?? '');
  const scored = m.occurrences.map((o) => {
    let score = 0;
    if (
      lastColumn &&
      lastColumn.ref.table === o.table &&
      lastColumn.ref.column === o.column &&
      m.start - lastColumn.end <= 4
    )
      score += 3;
    if (o.table === ps.main) score += 1;
    if (ps.linkedTables.includes(o.table)) score += 0.8;
    if (inPlay.includes(o.table)) score += 0.3;
    if (!m.quoted && m.occurrences.some((x) => x !== o && x.value === m.text) && o.value !== m.text)
      score -= 0.1;
    // "in Paris", "from France": a place, so a column about places
    if (
      placePreposition &&
      column(ps, { table: o.table, column: o.column }).words.some((w) => PLACE_WORDS.has(w))
    )
      score += 0.5;
    return { o, score };
  });
  scored.sort((a, b) => b.score - a.score);
  return scored[0]!.o;
}

/** "whose name contains 'an'" with first_name and last_name: any part matches (none, negated). */
function likeFilter(
  ps: PlannerState,
  col: ColumnRef,
  value: string,
  lastColumn: { ref: ColumnRef; end: number } | null,
  cues: ValueCues,
): void {
  const pattern = cues.starts ? `${value}%` : cues.ends ? `%${value}` : `%${value}%`;
  const same =
    lastColumn !== null && lastColumn.ref.table === col.table && lastColumn.ref.column === col.column;
  const parts = same ? partsOfName(ps, col, lastColumn.end - 1) : [col.column];
  for (const [n, c] of parts.entries()) {
    if (n > 0 && !cues.neg) ps.orBefore.add(ps.filters.length);
    ps.filters.push({
      filter: {
        kind: 'compare',
        col: { table: col.table, column: c },
        op: cues.neg ? 'not like' : 'like',
        value: pattern,
      },
      negatedTable: null,
      absent: cues.absent,
    });
  }
}

/** A negated verb between `start` and `end`: "do not have", "doesn't own", "never ordered", "without". */
export function verbNegated(ps: PlannerState, start: number, end: number): boolean {
  for (let k = Math.max(0, start); k < end; k += 1) {
    const t = ps.tokens[k]!;
    if (t.norm === 'never' || t.norm === 'without') return true;
    if (t.norm.endsWith("n't") && t.norm !== "isn't" && t.norm !== "aren't" && t.norm !== "wasn't")
      return true;
    const prev = ps.tokens[k - 1]?.norm ?? '';
    if (t.norm === 'not' && (VERB_AUXILIARIES.has(prev) || prev === 'but')) return true;
  }
  return false;
}

/** The column named within a few tokens after `at` ("'Hey' in its name"). */
export function columnAfter(ps: PlannerState, at: number): ColumnRef | null {
  const next = ps.items.find((x) => x.start >= at && x.start - at <= 3 && x.kind === 'schema');
  if (next?.kind !== 'schema') return null;
  mark(ps, at, next.end);
  return resolveColumn(ps, next.m, ps.main, (c) => c.category === 'text' || c.category === 'other');
}

/**
 * `col IN (...)`. Numbers compared with a column stored as text ("in 2014 or 2015" on a text
 * column Year) are bound as text: SQLite applies the column's affinity to `col = ?` but not to the
 * values of an IN list, which then match nothing.
 */
/**
 * "France or Germany", "32 or 33": a value right after "or" for the column of the last filter, an
 * equality, replaces that filter with IN (both values). True when it did.
 */
export function joinOrIntoIn(ps: PlannerState, col: ColumnRef, start: number, value: unknown): boolean {
  const last = ps.filters[ps.filters.length - 1];
  if (
    ps.tokens[start - 1]?.norm !== 'or' ||
    last?.filter.kind !== 'compare' ||
    last.filter.op !== '=' ||
    last.filter.col.table !== col.table ||
    last.filter.col.column !== col.column
  )
    return false;
  ps.filters.pop();
  ps.orBefore.delete(ps.filters.length + 1);
  pushIn(ps, col, [last.filter.value, value]);
  return true;
}

export function pushIn(ps: PlannerState, col: ColumnRef, values: unknown[]): void {
  const text = column(ps, col).category === 'text';
  ps.inLists.push({
    col,
    values: text ? values.map((v) => (typeof v === 'number' ? String(v) : v)) : values,
  });
}
