import { joinPath } from '../join-graph.js';
import type { SchemaMention } from '../link-schema.js';
import type { AggregateFn, ColumnRef, CompareOp, PeriodUnit } from '../query-plan.js';
import type { Token } from '../question-lexer.js';
import type { IndexedColumn, SchemaIndex } from '../schema-index.js';
import { AGGREGATE_CUES, NAME_PART_WORDS, NEGATION_WORDS } from '../vocabulary.js';
import type { Filter, HavingKey, Item, OrderKey, RankMeasure, SelectKey } from './types.js';

/** Everything the parts of the planner find out about a question, shared between them. */
export class PlannerState {
  readonly index: SchemaIndex;
  readonly tokens: readonly Token[];
  readonly items: Item[] = [];
  readonly understood = new Set<number>();
  unresolved = 0;
  // What the question asks for.
  readonly select: SelectKey[] = [];
  /**
   * `absent`: the negation belongs to the verb ("students who do not have a cat", "never bought
   * Lego"), so across a one-to-many step it means no related row has the value (NOT EXISTS), not a
   * related row with another value.
   */
  readonly filters: { filter: Filter; negatedTable: number | null; absent?: boolean }[] = [];
  /** Filter indexes that follow an "or" (the filter before is an alternative). */
  readonly orBefore = new Set<number>();
  readonly groupCols: { ref: ColumnRef; at: number }[] = [];
  readonly groupTables: { table: number; at: number }[] = [];
  readonly orders: OrderKey[] = [];
  readonly having: HavingKey[] = [];
  readonly negatedTables: number[] = [];
  readonly linkedTables: number[] = [];
  limit: number | null = null;
  distinct = false;
  countIntent: { start: number; end: number } | null = null;
  countTable: number | null = null;
  main: number | null = null;
  mainNamed = false;
  mainItem: number | null = null;
  /** How strongly the other words of the question point at each table (its columns, its values). */
  readonly support = new Map<number, number>();
  /** Token positions read by the ranking or the period (see {@link #walk}). */
  readonly claimed = new Set<number>();
  /** Reference time of relative dates (ages from dates of birth). */
  readonly now: Date;
  /** Token positions inside a date expression ("in the last 7 days"). */
  readonly dated = new Set<number>();
  /**
   * "top 5 customers by total spent": the main table's rows ranked by a measure. `measure` null: the
   * nearest money column; `alias` names the figure shown ("total_spent").
   */
  rank: {
    readonly direction: 'asc' | 'desc';
    readonly limit: number;
    measure: RankMeasure | null;
    readonly alias: string | null;
    /** Words (lemmas) that say which money column is meant when no measure is named ("spent"). */
    readonly hints: readonly string[];
  } | null = null;
  /** "revenue per month", "which year had the most orders": rows grouped by the period of a date. */
  period: { readonly unit: PeriodUnit; readonly which: boolean } | null = null;
  /** Items read ahead of the walk (by {@link #averageComparisons}). */
  readonly preconsumed = new Set<number>();
  readonly averageFilters: { col: ColumnRef; op: CompareOp; fn: AggregateFn; arg: ColumnRef }[] = [];
  readonly inLists: { col: ColumnRef; values: unknown[] }[] = [];

  constructor(index: SchemaIndex, tokens: readonly Token[], now: Date) {
    this.index = index;
    this.tokens = tokens;
    this.now = now;
  }
}

/** Stands in a gap for a word that another reading already took. */
export const CLAIMED: Token = {
  i: -1,
  text: '',
  norm: '',
  lemma: '',
  tags: new Set(),
  num: null,
  money: false,
  quoted: false,
  date: null,
  dateLength: 0,
  punct: true,
  capitalized: false,
};

export function aggWord(t: Token | undefined): AggregateFn | null {
  if (!t) return null;
  return AGGREGATE_CUES[t.norm] ?? null;
}

export function matchSeq(tokens: readonly Token[], at: number, words: readonly string[]): boolean {
  for (let k = 0; k < words.length; k += 1) {
    const t = tokens[at + k];
    if (!t || (t.norm !== words[k] && !(words[k] === 'not' && t.lemma === 'not'))) return false;
  }
  return true;
}

/** `first_name`, `last_name`, `given_name`, `surname`: one part of a person's name. */
export function isNamePart(c: IndexedColumn): boolean {
  const w = c.words;
  if (w.length === 1) return w[0] === 'surname' || w[0] === 'forename';
  return w.length === 2 && w[1] === 'name' && NAME_PART_WORDS.has(w[0]!);
}

export function mark(ps: PlannerState, start: number, end: number): void {
  for (let k = start; k < end; k += 1) ps.understood.add(k);
}

/** Best table candidate of a mention (when a table is at least as likely as a column). */
export function tableOf(ps: PlannerState, m: SchemaMention): number | null {
  const best = m.candidates[0];
  const tables = m.candidates.filter((c) => c.target.kind === 'table');
  const top = tables[0];
  if (!best || !top) return null;
  if (top.score + 0.05 < best.score) return null;
  let choice = top;
  for (const c of tables) {
    if (c.score + 0.05 < top.score) continue;
    if ((ps.support.get(c.target.table) ?? 0) > (ps.support.get(choice.target.table) ?? 0)) choice = c;
  }
  return choice.target.table;
}

export function column(ps: PlannerState, ref: ColumnRef): IndexedColumn {
  return ps.index.tables[ref.table]!.columns[ref.column]!;
}

/** Chooses the column a mention names, preferring tables already in play. */
export function resolveColumn(
  ps: PlannerState,
  m: SchemaMention,
  near: number | null,
  filter: (c: IndexedColumn) => boolean = () => true,
): ColumnRef | null {
  let best: { ref: ColumnRef; score: number } | null = null;
  const inPlay = new Set(ps.linkedTables);
  for (const c of m.candidates) {
    if (c.target.kind !== 'column') continue;
    const ref = { table: c.target.table, column: c.target.column };
    const col = column(ps, ref);
    if (!filter(col)) continue;
    let score = c.score;
    if (ref.table === ps.main) score += 0.3;
    if (ref.table === near) score += 0.35;
    if (inPlay.has(ref.table)) score += 0.2;
    else if (ps.main !== null && joinPath(ps.index, ps.main, ref.table, 2) !== null) score += 0.1;
    // Nearer tables first: "spent" is the total of the customer's orders before the amount of their payments.
    if (ps.main !== null && ref.table !== ps.main) {
      const p = joinPath(ps.index, ps.main, ref.table);
      score -= p === null ? 0.2 : 0.03 * p.length;
    }
    if (col.key && !m.candidates.some((x) => x.target.kind === 'column' && x.score >= c.score && x !== c))
      score -= 0.02;
    if (best === null || score > best.score) best = { ref, score };
  }
  return best ? best.ref : null;
}

/** The table named by the next schema mention that is a table, within a few tokens ("name of the singer"). */
export function nearTableAfter(ps: PlannerState, itemIdx: number, maxGap = 4): number | null {
  const item = ps.items[itemIdx]!;
  for (let k = itemIdx + 1; k < ps.items.length; k += 1) {
    const next = ps.items[k]!;
    if (next.start - item.end > maxGap) return null;
    if (next.kind === 'schema') {
      const t = tableOf(ps, next.m);
      if (t !== null) return t;
    }
  }
  return null;
}

/** Columns of tables in play whose words match one of `words` (best first). */
export function columnsByWords(
  ps: PlannerState,
  words: readonly string[],
  tables: readonly number[],
  category?: (c: IndexedColumn) => boolean,
): ColumnRef[] {
  const out: { ref: ColumnRef; rank: number }[] = [];
  for (const [ti, table] of tables.entries()) {
    for (const c of ps.index.tables[table]!.columns) {
      if (category && !category(c)) continue;
      const wi = words.findIndex((w) => c.words.includes(w));
      if (wi === -1) continue;
      out.push({ ref: { table, column: c.index }, rank: wi * 10 + ti });
    }
  }
  return out.sort((a, b) => a.rank - b.rank).map((o) => o.ref);
}

/** Foreign-key steps from the main table (99 when not connected). */
export function distance(ps: PlannerState, table: number): number {
  if (ps.main === null || table === ps.main) return 0;
  return joinPath(ps.index, ps.main, table)?.length ?? 99;
}

export function tablesInPlay(ps: PlannerState): number[] {
  const out: number[] = [];
  if (ps.main !== null) out.push(ps.main);
  for (const t of ps.linkedTables) if (!out.includes(t)) out.push(t);
  if (ps.main !== null) {
    for (const fk of ps.index.edges.get(ps.main) ?? []) {
      const other = fk.table === ps.main ? fk.referencedTable : fk.table;
      if (!out.includes(other)) out.push(other);
    }
  }
  return out;
}

export function norms(ps: PlannerState, start: number, end: number): string[] {
  return ps.tokens.slice(Math.max(0, start), Math.max(0, end)).map((t) => t.norm);
}

export function negatedBetween(ps: PlannerState, start: number, end: number): boolean {
  for (let k = Math.max(0, start); k < end; k += 1) {
    const t = ps.tokens[k]!;
    if (t.lemma === 'not' || NEGATION_WORDS.has(t.norm)) return true;
  }
  return false;
}

export function addTable(ps: PlannerState, t: number): void {
  if (t !== ps.main && !ps.linkedTables.includes(t)) ps.linkedTables.push(t);
}

export function insideSchema(ps: PlannerState, i: number): boolean {
  return ps.items.some((it) => it.kind === 'schema' && it.start <= i && i < it.end);
}

/** "owned by students", "written by X": a passive verb before `by`, not a grouping. */
export function passiveBy(ps: PlannerState, from: number, to: number): boolean {
  for (let j = to - 1; j >= from; j -= 1) {
    if (ps.tokens[j]!.norm !== 'by') continue;
    const before = ps.tokens[j - 1];
    return (
      !!before &&
      !insideSchema(ps, before.i) &&
      (before.tags.has('PastTense') || before.tags.has('Participle'))
    );
  }
  return false;
}

export function hasAggregate(ps: PlannerState): boolean {
  return ps.countIntent !== null || ps.select.some((s) => s.kind === 'aggregate');
}

/**
 * The columns that name a row of a table: its label, and when that is one part of a name
 * (`first_name`) the other parts too (`last_name`), in table order.
 */
export function nameColumns(ps: PlannerState, table: number): number[] {
  const t = ps.index.tables[table]!;
  if (t.labelColumn === null) return [];
  const label = t.columns[t.labelColumn]!;
  if (!isNamePart(label)) return [label.index];
  return t.columns
    .filter((c) => isNamePart(c) && (c.category === 'text' || c.category === 'other'))
    .map((c) => c.index);
}

/**
 * The columns a mention at `at` stands for: all parts of a person's name when the question says
 * just "name" and the column found is one part (`first_name`); else the column itself.
 */
export function partsOfName(ps: PlannerState, col: ColumnRef, at: number): number[] {
  const item = ps.items.find((x) => x.kind === 'schema' && x.start === at && x.end === at + 1);
  if (!item || ps.tokens[at]!.lemma !== 'name' || !isNamePart(column(ps, col))) return [col.column];
  const parts = ps.index.tables[col.table]!.columns.filter(
    (c) => isNamePart(c) && (c.category === 'text' || c.category === 'other'),
  );
  return parts.length > 1 ? parts.map((c) => c.index) : [col.column];
}

export function sameRef(a: ColumnRef, b: ColumnRef): boolean {
  return a.table === b.table && a.column === b.column;
}
