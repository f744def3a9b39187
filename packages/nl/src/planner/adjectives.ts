import type { ColumnRef } from '../query-plan.js';
import type { IndexedColumn } from '../schema-index.js';
import {
  ADJECTIVES,
  type AdjectiveSense,
  IRREGULAR_GRADES,
  MOST_EXCLUDED_ADJECTIVES,
  RELATIVE_CLAUSE_WORDS,
} from '../vocabulary.js';
import {
  addTable,
  column,
  columnsByWords,
  mark,
  type PlannerState,
  resolveColumn,
  tableOf,
  tablesInPlay,
} from './state.js';
import type { Item } from './types.js';

export function adjectiveAt(ps: PlannerState, i: number): Item | null {
  const tokens = ps.tokens;
  const t = tokens[i]!;
  const next = tokens[i + 1];
  // "most expensive", "least popular"
  if ((t.norm === 'most' || t.norm === 'least') && next) {
    // "most expensive", and adverbs of the same stem: "most recently"
    const sense = ADJECTIVES[next.norm] ?? ADJECTIVES[next.norm.replace(/ly$/, '')];
    if (sense && !MOST_EXCLUDED_ADJECTIVES.has(next.norm)) {
      const flipped: AdjectiveSense =
        t.norm === 'least' ? { ...sense, direction: sense.direction === 'asc' ? 'desc' : 'asc' } : sense;
      return {
        kind: 'adjective',
        start: i,
        end: i + 2,
        sense: flipped,
        grade: 'superlative',
        stem: next.norm,
      };
    }
  }
  if ((t.norm === 'more' || t.norm === 'less') && next && tokens[i + 2]?.norm === 'than') {
    const sense = ADJECTIVES[next.norm];
    if (sense) {
      const flipped: AdjectiveSense =
        t.norm === 'less' ? { ...sense, direction: sense.direction === 'asc' ? 'desc' : 'asc' } : sense;
      return {
        kind: 'adjective',
        start: i,
        end: i + 2,
        sense: flipped,
        grade: 'comparative',
        stem: next.norm,
      };
    }
  }
  const irregular = IRREGULAR_GRADES[t.norm];
  let stem: string | null = irregular?.stem ?? null;
  let grade: 'superlative' | 'comparative' | null = irregular?.grade ?? null;
  if (stem === null) {
    if (t.tags.has('Superlative') || /est$/.test(t.norm)) grade = 'superlative';
    else if (t.tags.has('Comparative') || (/er$/.test(t.norm) && next?.norm === 'than'))
      grade = 'comparative';
    if (grade !== null) stem = ADJECTIVES[t.lemma] ? t.lemma : null;
    if (stem === null && grade !== null) {
      const base = t.norm.replace(/(est|er)$/, '');
      for (const cand of [base, base + 'e', base.replace(/(.)\1$/, '$1'), base.replace(/i$/, 'y')]) {
        if (ADJECTIVES[cand]) {
          stem = cand;
          break;
        }
      }
    }
  }
  if (stem === null || grade === null) return null;
  const sense = ADJECTIVES[stem];
  if (!sense) return null;
  return { kind: 'adjective', start: i, end: i + 1, sense, grade, stem };
}

export function adjectiveColumn(
  ps: PlannerState,
  sense: AdjectiveSense,
  lastColumn: { ref: ColumnRef; end: number } | null,
  filter: (c: IndexedColumn) => boolean,
): ColumnRef | null {
  // The main table's own attribute first ("the most recent order" is about orders' dates).
  for (const tables of [[ps.main!], tablesInPlay(ps)]) {
    const found = columnsByWords(ps, sense.words, tables, (c) => filter(c) || c.category === 'date');
    if (found[0]) return found[0];
  }
  // "the oldest dog" where age is stored as text (many real schemas): the column the adjective
  // names, when no number or date column is named by it
  const text = columnsByWords(ps, sense.words, tablesInPlay(ps), (c) => c.category === 'text' && !c.key);
  if (text[0]) return text[0];
  if (sense.words.length === 0 && lastColumn) return lastColumn.ref;
  return null;
}

export function adjectiveItem(
  ps: PlannerState,
  k: number,
  lastColumn: { ref: ColumnRef; end: number } | null,
  consumed: Set<number>,
): void {
  const item = ps.items[k]! as Extract<Item, { kind: 'adjective' }>;
  const next = ps.items[k + 1];
  if (item.grade === 'comparative') {
    // handled with its number; alone ("older singers") it is not understood
    return;
  }
  // "highest age": the column follows the adjective
  let col: ColumnRef | null = null;
  if (next && next.kind === 'schema' && next.start - item.end <= 1) {
    const t = tableOf(ps, next.m);
    if (t === null) {
      col = resolveColumn(ps, next.m, null, (c) => c.category !== 'text' || item.sense.words.length === 0);
      if (col !== null) consumed.add(k + 1);
    }
  }
  if (col === null) col = adjectiveColumn(ps, item.sense, lastColumn, (c) => c.category === 'number');
  if (col === null) {
    ps.unresolved += 1;
    return;
  }
  mark(ps, item.start, item.end);
  if (consumed.has(k + 1)) mark(ps, next!.start, next!.end);
  addTable(ps, col.table);
  const c = column(ps, col);
  let direction = item.sense.direction;
  if (
    item.sense.invertedFor?.some((w) => c.words.includes(w)) ||
    (c.category === 'date' && item.sense.words[0] === 'age')
  ) {
    direction = direction === 'asc' ? 'desc' : 'asc';
  }
  // "what is the largest population" asks for the value
  // Only "what is the largest ..." asks for the value; "the most recently created customer" wants the row.
  const asks =
    ps.tokens[0]?.norm === 'what' &&
    !ps.tokens.slice(0, item.start).some((t) => RELATIVE_CLAUSE_WORDS.has(t.norm));
  const headOnly = ps.select.length === 0 && asks && next && next.kind === 'schema' && consumed.has(k + 1);
  if (headOnly && ps.mainItem !== null && ps.mainItem > k) {
    ps.select.push({
      kind: 'aggregate',
      fn: direction === 'desc' ? 'max' : 'min',
      col,
      distinct: false,
      table: null,
      at: item.start,
    });
    return;
  }
  ps.orders.push({ kind: 'column', col, direction });
  const after = ps.tokens[item.end];
  const plural = after && after.norm !== after.lemma && after.tags.has('Plural');
  if (!plural) ps.limit ??= 1;
}
