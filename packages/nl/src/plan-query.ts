import {
  AGGREGATE_CUES,
  ASC_WORDS,
  BARE_RANKING_WORDS,
  COMPARISON_CUES,
  DESC_WORDS,
  DISTINCT_WORDS,
  ENDS_WORDS,
  GROUP_WORDS,
  LIKE_WORDS,
  NAMING_WORDS,
  NEGATION_WORDS,
  ORDER_VERBS,
  PERIOD_ADVERBS,
  PERIOD_NOUNS,
  RANKING_WORDS,
  STARTS_WORDS,
  TRAILING_COMPARISON_CUES,
  VERB_AUXILIARIES,
} from './cue-words.js';
import { isFanOut, joinPath } from './join-graph.js';
import type { LinkedQuestion, SchemaMention, ValueMention } from './link-schema.js';
import type {
  AggregateFn,
  ColumnRef,
  CompareOp,
  Condition,
  Expr,
  JoinStep,
  OrderItem,
  PeriodUnit,
  QueryPlan,
  SelectItem,
} from './query-plan.js';
import { type DateRange, type Token, yearRange } from './question-lexer.js';
import type { IndexedColumn, SchemaIndex } from './schema-index.js';
import { ADJECTIVES, type AdjectiveSense, IRREGULAR_GRADES, SYNONYMS } from './vocabulary.js';

/** The outcome of planning: a plan (or null), and which tokens were understood. */
export interface PlanResult {
  readonly plan: QueryPlan | null;
  /** Token positions the planner used (schema words, values, numbers, cue words). */
  readonly understood: ReadonlySet<number>;
  /** A problem that stopped planning, in plain English. */
  readonly problem: string | null;
  /** The main table was named by the question (not guessed from columns or values). */
  readonly mainNamed: boolean;
  /** Number of filters, aggregates... that found no column to apply to. */
  readonly unresolved: number;
}

type Item =
  | { readonly kind: 'schema'; readonly start: number; readonly end: number; readonly m: SchemaMention }
  | { readonly kind: 'value'; readonly start: number; readonly end: number; readonly m: ValueMention }
  | {
      readonly kind: 'number';
      readonly start: number;
      readonly end: number;
      readonly value: number;
      readonly money: boolean;
    }
  | { readonly kind: 'date'; readonly start: number; readonly end: number; readonly range: DateRange }
  | {
      readonly kind: 'adjective';
      readonly start: number;
      readonly end: number;
      readonly sense: AdjectiveSense;
      readonly grade: 'superlative' | 'comparative';
      readonly stem: string;
    };

/** A filter on a column of any table; placed in WHERE, a join or an EXISTS when the plan is assembled. */
type Filter =
  | { readonly kind: 'compare'; readonly col: ColumnRef; readonly op: CompareOp; readonly value: unknown }
  | {
      readonly kind: 'range';
      readonly col: ColumnRef;
      readonly low: unknown;
      readonly high: unknown;
      readonly halfOpen: boolean;
    };

type OrderKey =
  | { readonly kind: 'column'; readonly col: ColumnRef; readonly direction: 'asc' | 'desc' }
  | {
      readonly kind: 'aggregate';
      readonly fn: AggregateFn;
      readonly col: ColumnRef | null;
      readonly direction: 'asc' | 'desc';
    }
  | { readonly kind: 'count-of'; readonly table: number; readonly direction: 'asc' | 'desc' };

type HavingKey =
  | { readonly kind: 'count-of'; readonly table: number; readonly op: CompareOp; readonly value: number }
  | {
      readonly kind: 'aggregate';
      readonly fn: AggregateFn;
      readonly col: ColumnRef;
      readonly op: CompareOp;
      readonly value: number;
    };

/** What "top 5 customers by ..." ranks by: a count of related rows, or a column (summed across a one-to-many step). */
type RankMeasure =
  | { readonly kind: 'count'; readonly table: number }
  | { readonly kind: 'column'; readonly col: ColumnRef; readonly fn: AggregateFn | null };

/** `at`: token position in the question, so that columns come out in the order they were asked for. */
type SelectKey =
  | { readonly kind: 'column'; readonly col: ColumnRef; readonly at: number }
  | {
      readonly kind: 'aggregate';
      readonly fn: AggregateFn;
      readonly col: ColumnRef | null;
      readonly distinct: boolean;
      readonly table: number | null;
      readonly at: number;
    }
  | { readonly kind: 'table'; readonly table: number; readonly at: number };

const MONEY_WORDS = [
  'amount',
  'total',
  'price',
  'cost',
  'payment',
  'salary',
  'revenue',
  'spent',
  'fee',
  'balance',
  'value',
];
const SPEND_VERBS = new Set([
  'spend',
  'spent',
  'pay',
  'paid',
  'earn',
  'earned',
  'make',
  'made',
  'generate',
  'bring',
  'brought',
]);
const PLACE_WORDS: ReadonlySet<string> = new Set([
  'city',
  'country',
  'location',
  'address',
  'region',
  'state',
  'town',
  'place',
  'continent',
  'area',
  'district',
  'province',
  'hometown',
  'nationality',
  'citizenship',
  'venue',
  'county',
]);
const COMMON_WORDS: ReadonlySet<string> = new Set(['common', 'frequent', 'popular', 'usual', 'typical']);
const COMPARATIVE_WORDS: Readonly<Record<string, CompareOp>> = {
  more: '>',
  greater: '>',
  higher: '>',
  larger: '>',
  bigger: '>',
  longer: '>',
  later: '>',
  older: '>',
  heavier: '>',
  taller: '>',
  less: '<',
  fewer: '<',
  lower: '<',
  smaller: '<',
  shorter: '<',
  earlier: '<',
  younger: '<',
  lighter: '<',
};
const TRANSPARENT_AFTER_AGGREGATE = new Set([
  'the',
  'of',
  'a',
  'an',
  'amount',
  'number',
  'value',
  'count',
  'all',
  'level',
  'rate',
  'the',
  'its',
  'their',
  'total',
  'different',
  'distinct',
  'unique',
  'overall',
]);
const RELATIVE_WORDS = new Set([
  'who',
  'that',
  'which',
  'whose',
  'where',
  'with',
  'having',
  'whom',
  'when',
  'in',
  'from',
  'of',
  'by',
  'for',
  'on',
  'at',
  'has',
  'have',
  'had',
  'is',
  'are',
  'was',
  'were',
  'did',
  'does',
  'do',
]);

/** Stands in a gap for a word that another reading already took. */
const CLAIMED: Token = {
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

function aggWord(t: Token | undefined): AggregateFn | null {
  if (!t) return null;
  return AGGREGATE_CUES[t.norm] ?? null;
}

function matchSeq(tokens: readonly Token[], at: number, words: readonly string[]): boolean {
  for (let k = 0; k < words.length; k += 1) {
    const t = tokens[at + k];
    if (!t || (t.norm !== words[k] && !(words[k] === 'not' && t.lemma === 'not'))) return false;
  }
  return true;
}

class Planner {
  readonly #index: SchemaIndex;
  readonly #tokens: readonly Token[];
  readonly #items: Item[] = [];
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
  readonly #support = new Map<number, number>();
  /** Token positions read by the ranking or the period (see {@link #walk}). */
  readonly #claimed = new Set<number>();
  /** Reference time of relative dates (ages from dates of birth). */
  readonly #now: Date;
  /** Token positions inside a date expression ("in the last 7 days"). */
  readonly #dated = new Set<number>();
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

  constructor(index: SchemaIndex, linked: LinkedQuestion, now: Date) {
    this.#index = index;
    this.#tokens = linked.tokens;
    this.#now = now;
    for (const t of linked.tokens) for (let k = 0; k < t.dateLength; k += 1) this.#dated.add(t.i + k);
    const covered = new Set<number>();
    for (const m of linked.mentions) {
      const seen = new Set<number>();
      if (m.kind === 'schema') {
        for (const c of m.candidates) {
          if (c.target.kind !== 'column' || c.score < 0.6 || seen.has(c.target.table)) continue;
          seen.add(c.target.table);
          this.#support.set(c.target.table, (this.#support.get(c.target.table) ?? 0) + c.score);
        }
      } else {
        for (const o of m.occurrences) {
          if (seen.has(o.table)) continue;
          seen.add(o.table);
          this.#support.set(o.table, (this.#support.get(o.table) ?? 0) + 0.5);
        }
      }
    }
    for (const m of linked.mentions) {
      if (m.kind === 'schema') this.#items.push({ kind: 'schema', start: m.start, end: m.end, m });
      else this.#items.push({ kind: 'value', start: m.start, end: m.end, m });
      for (let k = m.start; k < m.end; k += 1) covered.add(k);
    }
    const tokens = this.#tokens;
    for (let i = 0; i < tokens.length; i += 1) {
      const t = tokens[i]!;
      if (covered.has(i)) continue;
      if (t.date && t.dateLength > 0) {
        const end = i + t.dateLength;
        this.#items.push({ kind: 'date', start: i, end, range: t.date });
        for (let k = i; k < end; k += 1) covered.add(k);
        i = end - 1;
        continue;
      }
      if (t.num !== null) {
        this.#items.push({ kind: 'number', start: i, end: i + 1, value: t.num, money: t.money });
        continue;
      }
      const adj = this.#adjectiveAt(i);
      if (adj) {
        this.#items.push(adj);
        i = adj.end - 1;
      }
    }
    this.#items.sort((a, b) => a.start - b.start);
  }

  #adjectiveAt(i: number): Item | null {
    const tokens = this.#tokens;
    const t = tokens[i]!;
    const next = tokens[i + 1];
    // "most expensive", "least popular"
    if ((t.norm === 'most' || t.norm === 'least') && next) {
      // "most expensive", and adverbs of the same stem: "most recently"
      const sense = ADJECTIVES[next.norm] ?? ADJECTIVES[next.norm.replace(/ly$/, '')];
      if (sense && !['high', 'low', 'great'].includes(next.norm)) {
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

  #mark(start: number, end: number): void {
    for (let k = start; k < end; k += 1) this.understood.add(k);
  }

  /** Best table candidate of a mention (when a table is at least as likely as a column). */
  #tableOf(m: SchemaMention): number | null {
    const best = m.candidates[0];
    const tables = m.candidates.filter((c) => c.target.kind === 'table');
    const top = tables[0];
    if (!best || !top) return null;
    if (top.score + 0.05 < best.score) return null;
    let choice = top;
    for (const c of tables) {
      if (c.score + 0.05 < top.score) continue;
      if ((this.#support.get(c.target.table) ?? 0) > (this.#support.get(choice.target.table) ?? 0))
        choice = c;
    }
    return choice.target.table;
  }

  #column(ref: ColumnRef): IndexedColumn {
    return this.#index.tables[ref.table]!.columns[ref.column]!;
  }

  /** Chooses the column a mention names, preferring tables already in play. */
  #resolveColumn(
    m: SchemaMention,
    near: number | null,
    filter: (c: IndexedColumn) => boolean = () => true,
  ): ColumnRef | null {
    let best: { ref: ColumnRef; score: number } | null = null;
    const inPlay = new Set(this.linkedTables);
    for (const c of m.candidates) {
      if (c.target.kind !== 'column') continue;
      const ref = { table: c.target.table, column: c.target.column };
      const col = this.#column(ref);
      if (!filter(col)) continue;
      let score = c.score;
      if (ref.table === this.main) score += 0.3;
      if (ref.table === near) score += 0.35;
      if (inPlay.has(ref.table)) score += 0.2;
      else if (this.main !== null && joinPath(this.#index, this.main, ref.table, 2) !== null) score += 0.1;
      // Nearer tables first: "spent" is the total of the customer's orders before the amount of their payments.
      if (this.main !== null && ref.table !== this.main) {
        const p = joinPath(this.#index, this.main, ref.table);
        score -= p === null ? 0.2 : 0.03 * p.length;
      }
      if (col.key && !m.candidates.some((x) => x.target.kind === 'column' && x.score >= c.score && x !== c))
        score -= 0.02;
      if (best === null || score > best.score) best = { ref, score };
    }
    return best ? best.ref : null;
  }

  /** The table named by the next schema mention that is a table, within a few tokens ("name of the singer"). */
  #nearTableAfter(itemIdx: number, maxGap = 4): number | null {
    const item = this.#items[itemIdx]!;
    for (let k = itemIdx + 1; k < this.#items.length; k += 1) {
      const next = this.#items[k]!;
      if (next.start - item.end > maxGap) return null;
      if (next.kind === 'schema') {
        const t = this.#tableOf(next.m);
        if (t !== null) return t;
      }
    }
    return null;
  }

  /** Columns of tables in play whose words match one of `words` (best first). */
  #columnsByWords(
    words: readonly string[],
    tables: readonly number[],
    category?: (c: IndexedColumn) => boolean,
  ): ColumnRef[] {
    const out: { ref: ColumnRef; rank: number }[] = [];
    for (const [ti, table] of tables.entries()) {
      for (const c of this.#index.tables[table]!.columns) {
        if (category && !category(c)) continue;
        const wi = words.findIndex((w) => c.words.includes(w));
        if (wi === -1) continue;
        out.push({ ref: { table, column: c.index }, rank: wi * 10 + ti });
      }
    }
    return out.sort((a, b) => a.rank - b.rank).map((o) => o.ref);
  }

  /** Foreign-key steps from the main table (99 when not connected). */
  #distance(table: number): number {
    if (this.main === null || table === this.main) return 0;
    return joinPath(this.#index, this.main, table)?.length ?? 99;
  }

  #tablesInPlay(): number[] {
    const out: number[] = [];
    if (this.main !== null) out.push(this.main);
    for (const t of this.linkedTables) if (!out.includes(t)) out.push(t);
    if (this.main !== null) {
      for (const fk of this.#index.edges.get(this.main) ?? []) {
        const other = fk.table === this.main ? fk.referencedTable : fk.table;
        if (!out.includes(other)) out.push(other);
      }
    }
    return out;
  }

  #norms(start: number, end: number): string[] {
    return this.#tokens.slice(Math.max(0, start), Math.max(0, end)).map((t) => t.norm);
  }

  /** The comparison cue ending right before `at` (within the gap since `from`), with its start. */
  #comparisonBefore(from: number, at: number): { op: CompareOp; start: number } | null {
    for (let s = at - 1; s >= from && s >= at - 4; s -= 1) {
      for (const cue of COMPARISON_CUES) {
        if (s + cue.words.length === at && matchSeq(this.#tokens, s, cue.words))
          return { op: cue.op, start: s };
        // "more than the" / "at least a"
        if (
          s + cue.words.length === at - 1 &&
          matchSeq(this.#tokens, s, cue.words) &&
          ['the', 'a', 'an', 'of', 'about', 'around'].includes(this.#tokens[at - 1]!.norm)
        )
          return { op: cue.op, start: s };
      }
    }
    return null;
  }

  #trailingComparison(at: number): { op: CompareOp; end: number } | null {
    for (const cue of TRAILING_COMPARISON_CUES) {
      if (matchSeq(this.#tokens, at, cue.words)) return { op: cue.op, end: at + cue.words.length };
    }
    return null;
  }

  #negatedBetween(start: number, end: number): boolean {
    for (let k = Math.max(0, start); k < end; k += 1) {
      const t = this.#tokens[k]!;
      if (t.lemma === 'not' || NEGATION_WORDS.has(t.norm)) return true;
    }
    return false;
  }

  #addTable(t: number): void {
    if (t !== this.main && !this.linkedTables.includes(t)) this.linkedTables.push(t);
  }

  plan(): PlanResult {
    const tokens = this.#tokens;
    const items = this.#items;

    // Count intent: "how many", "number of", "count of", "count the".
    for (let i = 0; i < tokens.length; i += 1) {
      // "ranked by the number of orders", "the most number of degrees": what rows are sorted by,
      // not what is counted
      const after = tokens[i - 1]?.norm === 'the' ? tokens[i - 2] : tokens[i - 1];
      if (after?.norm === 'by' || (matchSeq(tokens, i, ['number', 'of']) && RANKING_WORDS[after?.norm ?? '']))
        continue;
      if (matchSeq(tokens, i, ['how', 'many'])) this.countIntent = { start: i, end: i + 2 };
      else if (matchSeq(tokens, i, ['number', 'of']) && !this.#insideSchema(i))
        this.countIntent = { start: i, end: i + 2 };
      else if ((tokens[i]!.norm === 'count' && i < 2) || matchSeq(tokens, i, ['count', 'of']))
        this.countIntent = { start: i, end: i + 1 };
      if (this.countIntent) break;
    }
    if (this.countIntent) {
      // "count the number of", "what is the total number of": the last cue word ends the intent.
      let end = this.countIntent.end;
      for (let j = end; j < Math.min(tokens.length, end + 4); j += 1) {
        if (matchSeq(tokens, j, ['number', 'of'])) end = j + 2;
      }
      this.countIntent = { start: this.countIntent.start, end };
      this.#mark(this.countIntent.start, this.countIntent.end);
    }

    // Main table: the counted table, else the first table named (not negated), else by columns.
    let firstTable: { item: number; table: number } | null = null;
    for (const [k, item] of items.entries()) {
      if (item.kind !== 'schema') continue;
      const t = this.#tableOf(item.m);
      if (t === null) continue;
      const before = this.#norms(item.start - 3, item.start);
      if (before.some((w) => NEGATION_WORDS.has(w) || w === 'not') && firstTable !== null) continue;
      if (this.countIntent && item.start >= this.countIntent.end && item.start - this.countIntent.end <= 3) {
        firstTable = { item: k, table: t };
        this.countTable = t;
        break;
      }
      if (firstTable === null) firstTable = { item: k, table: t };
      if (!this.countIntent) break;
    }
    if (firstTable) {
      this.main = firstTable.table;
      this.mainItem = firstTable.item;
      this.mainNamed = true;
    } else {
      const votes = new Map<number, number>();
      for (const item of items) {
        if (item.kind === 'schema') {
          const seen = new Set<number>();
          for (const c of item.m.candidates) {
            if (seen.has(c.target.table)) continue;
            seen.add(c.target.table);
            votes.set(c.target.table, (votes.get(c.target.table) ?? 0) + c.score);
          }
        } else if (item.kind === 'value') {
          for (const o of item.m.occurrences) votes.set(o.table, (votes.get(o.table) ?? 0) + 0.5);
        }
      }
      let best: [number, number] | null = null;
      for (const [t, v] of votes) if (best === null || v > best[1]) best = [t, v];
      if (best === null) {
        return {
          plan: null,
          understood: this.understood,
          problem: 'no table of the database is named',
          mainNamed: false,
          unresolved: 0,
        };
      }
      this.main = best[0];
    }

    // (the ranking may move the main table: "which support agent has the most tickets")
    this.#ranking();
    this.#periods();
    this.#averageComparisons();
    this.#walk();
    // An average asked for and computed nowhere ("average delivery time in days"): the answer would
    // not be what was asked.
    const averaged =
      this.select.some((x) => x.kind === 'aggregate' && x.fn === 'avg') ||
      this.orders.some((o) => o.kind === 'aggregate' && o.fn === 'avg') ||
      this.having.some((h) => h.kind === 'aggregate' && h.fn === 'avg') ||
      this.averageFilters.length > 0 ||
      (this.rank?.measure?.kind === 'column' && this.rank.measure.fn === 'avg');
    for (const t of tokens)
      if (
        AGGREGATE_CUES[t.norm] === 'avg' &&
        !averaged &&
        !this.understood.has(t.i) &&
        !this.#insideSchema(t.i)
      )
        this.unresolved += 1;
    return this.#assemble(this.main!);
  }

  /**
   * "top 5 customers by total spent", "the 3 best products by average rating", "bottom 10 customers
   * by number of orders", "top customers", "the 5 customers who spent the most": the rows of the main
   * table ranked by a measure. A measure over related rows (a sum, a count) is grouped by the main
   * table's key and shown next to its name.
   */
  #ranking(): void {
    if (this.mainItem === null) return;
    const tokens = this.#tokens;
    const items = this.#items;
    const mainItem = items[this.mainItem]!;
    const numberAt = (k: number): boolean => tokens[k]?.num != null && !this.#dated.has(k);
    const consume = (start: number, end: number): void => {
      for (const [n, x] of items.entries()) if (x.start >= start && x.end <= end) this.#preconsumed.add(n);
      this.#mark(start, end);
      for (let p = start; p < end; p += 1) this.#claimed.add(p);
    };
    // "which support agent has the most open tickets": the rows a value describes (employees whose
    // role is 'Support Agent'), ranked by the number of their related rows of the table named
    const subject = items[0];
    const first = tokens[0]?.norm ?? '';
    if (subject?.kind === 'value' && subject.start <= 2 && ['which', 'what', 'who'].includes(first)) {
      let k = subject.end;
      const verb = tokens[k]?.norm ?? '';
      if (['has', 'have', 'had', 'with', 'handles', 'handled', 'gets', 'got'].includes(verb)) {
        k += tokens[k + 1]?.norm === 'the' ? 2 : 1;
        const most = tokens[k]?.norm ?? '';
        const counted = this.main!;
        for (const o of ['most', 'fewest', 'least'].includes(most) && mainItem.start > k
          ? subject.m.occurrences
          : []) {
          if (o.table === counted) continue;
          const path = joinPath(this.#index, o.table, counted);
          if (!path?.some((step) => isFanOut(this.#index, step))) continue;
          this.main = o.table;
          this.mainItem = null;
          this.linkedTables.push(counted);
          this.filters.push({
            filter: { kind: 'compare', col: { table: o.table, column: o.column }, op: '=', value: o.value },
            negatedTable: null,
          });
          consume(subject.start - 1, subject.end);
          this.#mark(subject.end, k);
          consume(k, k + 1);
          consume(mainItem.start, mainItem.end);
          const alias = tokens
            .slice(k + 1, mainItem.end)
            .map((t) => t.norm)
            .filter((w) => /^[a-z0-9]+$/.test(w))
            .join('_');
          this.rank = {
            direction: most === 'most' ? 'desc' : 'asc',
            limit: 1,
            measure: { kind: 'count', table: counted },
            alias: alias || null,
            hints: [],
          };
          this.limit = 1;
          return;
        }
      }
    }
    const mainLast = tokens[mainItem.end - 1]!;
    const plural = mainLast.norm !== mainLast.lemma;
    // The ranking word right before the main table, its number before or after it.
    let at = mainItem.start - 1;
    let limit: number | null = null;
    let from = at + 1;
    if (numberAt(at)) {
      limit = tokens[at]!.num;
      at -= 1;
    }
    // "best-selling products", "the 5 best selling products": ranked by how much of them was sold
    const selling = /^(best|top|worst)-?sell(ing|er)$/.exec(tokens[at]?.norm ?? '');
    const twoWords =
      tokens[at]?.norm === 'selling' && ['best', 'top', 'worst'].includes(tokens[at - 1]?.norm ?? '');
    if (selling !== null || twoWords) {
      const sold = this.#soldMeasure();
      if (sold === null) return;
      from = twoWords ? at - 1 : at;
      if (limit === null && numberAt(from - 1)) {
        limit = tokens[from - 1]!.num;
        from -= 1;
      }
      if (tokens[from - 1]?.norm === 'top') from -= 1;
      consume(from, mainItem.start);
      const worst = (selling?.[1] ?? tokens[at - 1]!.norm) === 'worst';
      this.rank = {
        direction: worst ? 'asc' : 'desc',
        limit: limit ?? (plural ? 10 : 1),
        measure: sold,
        alias: null,
        hints: [],
      };
      this.limit = this.rank.limit;
      return;
    }
    const word = tokens[at]?.norm ?? '';
    let direction = RANKING_WORDS[word];
    if (direction !== undefined) {
      from = at;
      if (limit === null && numberAt(at - 1)) {
        limit = tokens[at - 1]!.num;
        from = at - 1;
      }
      // "by total spent", "by the number of orders", "sorted by revenue"
      let by = -1;
      for (let k = mainItem.end; k < tokens.length; k += 1) {
        if (tokens[k]!.norm !== 'by') continue;
        const before = tokens[k - 1];
        if (before && ORDER_VERBS.has(before.norm)) this.#mark(k - 1, k);
        else if (this.#passiveBy(k, k + 1)) continue;
        by = k;
        break;
      }
      if (by === -1 && !BARE_RANKING_WORDS.has(word)) return;
      const measure = by === -1 ? null : this.#rankMeasure(by + 1);
      if (by !== -1 && measure === null) return;
      consume(from, mainItem.start);
      if (measure !== null) consume(by, measure.end);
      this.rank = {
        direction,
        limit: limit ?? (plural ? 10 : 1),
        measure: measure?.measure ?? null,
        alias: measure?.alias ?? null,
        hints: [],
      };
      this.limit = this.rank.limit;
      return;
    }
    // "the 5 customers who spent the most", "customers who paid the least"
    for (let k = mainItem.end; k < tokens.length; k += 1) {
      const verb = tokens[k]!;
      if (!SPEND_VERBS.has(verb.norm) && !SPEND_VERBS.has(verb.lemma)) continue;
      const w = tokens[k + 1]?.norm === 'the' ? k + 2 : k + 1;
      const most = tokens[w]?.norm;
      if (most !== 'most' && most !== 'least') continue;
      direction = most === 'most' ? 'desc' : 'asc';
      if (limit !== null) consume(mainItem.start - 1, mainItem.start);
      consume(k, w + 1);
      this.rank = {
        direction,
        limit: limit ?? (plural ? 10 : 1),
        measure: null,
        alias: null,
        hints: [verb.lemma, ...(SYNONYMS[verb.lemma] ?? [])],
      };
      this.limit = this.rank.limit;
      return;
    }
  }

  /**
   * How much of the main table's rows was sold: the sum of a quantity column of a table that refers
   * to it (`order_items.quantity`), else the number of rows of an order-like table that refers to it.
   */
  #soldMeasure(): RankMeasure | null {
    const main = this.main!;
    const children = (this.#index.edges.get(main) ?? [])
      .filter((fk) => fk.referencedTable === main && fk.table !== main)
      .map((fk) => fk.table);
    for (const t of children) {
      const q = this.#index.tables[t]!.columns.find(
        (c) => c.category === 'number' && !c.key && c.words.some((w) => ['quantity', 'sold'].includes(w)),
      );
      if (q) return { kind: 'column', col: { table: t, column: q.index }, fn: 'sum' };
    }
    for (const t of children) {
      if (this.#index.tables[t]!.words.some((w) => ['order', 'sale', 'purchase', 'item', 'line'].includes(w)))
        return { kind: 'count', table: t };
    }
    return null;
  }

  /**
   * The measure named after "by" in a ranking, from token `k`: "the number of orders", "orders"
   * (a count), "total spent", "average rating", "revenue" (a column). `end`: the token after it.
   */
  #rankMeasure(k: number): { measure: RankMeasure; alias: string | null; end: number } | null {
    const tokens = this.#tokens;
    const items = this.#items;
    while (['the', 'their', 'its', 'his', 'her', 'a', 'an'].includes(tokens[k]?.norm ?? '')) k += 1;
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
    while (['the', 'their', 'its', 'a', 'an'].includes(tokens[k]?.norm ?? '')) k += 1;
    // "total pages", "average rating": an aggregate word that names no column of its own
    let fn: AggregateFn | null = null;
    const word = AGGREGATE_CUES[tokens[k]?.norm ?? ''];
    if (!counting && word !== undefined && itemAt(k) === null) {
      fn = word;
      k += 1;
      while (['of', 'the', 'their', 'its'].includes(tokens[k]?.norm ?? '')) k += 1;
    }
    let item = itemAt(k);
    if (item === null) return null;
    const table = this.#tableOf(item.m);
    if (table !== null && table !== this.main) {
      return { measure: { kind: 'count', table }, alias: alias(item.end), end: item.end };
    }
    if (counting) return null;
    // "total spent": an aggregate word that is also a column name, before the column meant
    const cue = fn === null ? AGGREGATE_CUES[tokens[k]!.norm] : undefined;
    if (cue !== undefined) {
      const next = items.find((y) => y.start > k && y.start - item!.end <= 1 && y.kind === 'schema');
      if (item.end - item.start === 1 && next?.kind === 'schema' && this.#tableOf(next.m) === null) {
        fn = cue;
        item = next;
      }
    }
    const col = this.#resolveColumn(item.m, null);
    if (col === null) return null;
    if (col.table === this.main) fn = null;
    else {
      const path = joinPath(this.#index, this.main!, col.table);
      const fanOut = path?.some((s) => isFanOut(this.#index, s)) ?? false;
      if (!fanOut) fn = null;
      else if (fn === null && this.#column(col).category === 'number') fn = 'sum';
    }
    this.#addTable(col.table);
    return {
      measure: { kind: 'column', col, fn },
      alias: fn === null ? null : alias(item.end),
      end: item.end,
    };
  }

  /**
   * "revenue per month", "orders by year", "monthly revenue", "which year had the most orders": group
   * by the period of a date. A word that names a column of the schema ("per year" with a `year`
   * column) is left to the column.
   */
  #periods(): void {
    const tokens = this.#tokens;
    for (let i = 0; i < tokens.length; i += 1) {
      if (this.#dated.has(i)) continue;
      const t = tokens[i]!;
      let unit: PeriodUnit | undefined = PERIOD_ADVERBS[t.norm];
      let start = i;
      let which = false;
      if (unit === undefined) {
        const noun = PERIOD_NOUNS[t.lemma];
        const prev = tokens[i - 1]?.norm ?? '';
        if (noun === undefined) continue;
        if (['per', 'by', 'each', 'every'].includes(prev)) {
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
      const named = this.#items.some(
        (x) =>
          x.kind === 'schema' &&
          x.start <= i &&
          i < x.end &&
          x.m.candidates.some((c) => c.target.kind === 'column' && c.score >= 0.6),
      );
      if (named) continue;
      this.period = { unit, which };
      this.#mark(start, i + 1);
      for (let p = start; p <= i; p += 1) this.#claimed.add(p);
      return;
    }
  }

  /** Items read ahead of the walk (by {@link #averageComparisons}). */
  readonly #preconsumed = new Set<number>();
  readonly averageFilters: { col: ColumnRef; op: CompareOp; fn: AggregateFn; arg: ColumnRef }[] = [];

  /** "a price above the average", "older than the average age": compare with an aggregate of the column. */
  #averageComparisons(): void {
    const tokens = this.#tokens;
    const items = this.#items;
    for (let j = 1; j < tokens.length; j += 1) {
      const t = tokens[j]!;
      if (t.norm !== 'average' && t.norm !== 'mean') continue;
      const cmp = this.#comparisonBefore(Math.max(0, j - 4), j);
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
        after?.kind === 'schema' && this.#tableOf(after.m) === null
          ? this.#resolveColumn(after.m, this.main)
          : null;
      // The column compared: named before the comparison, or the adjective's attribute, or the averaged one
      let col: ColumnRef | null = null;
      const beforeIdx = items.findLastIndex(
        (x) => x.kind === 'schema' && x.end <= start && start - x.end <= 3,
      );
      const before = beforeIdx === -1 ? null : items[beforeIdx]!;
      if (before?.kind === 'schema' && this.#tableOf(before.m) === null) {
        col = this.#resolveColumn(
          before.m,
          this.main,
          (c) => c.category === 'number' || c.category === 'other',
        );
        if (col) this.#preconsumed.add(beforeIdx);
      }
      if (!col && adjective)
        col = this.#adjectiveColumn(adjective.sense, null, (c) => c.category === 'number');
      col ??= afterCol;
      if (!col) continue;
      const arg = afterCol ?? col;
      if (afterCol) this.#preconsumed.add(afterIdx);
      if (adjIdx !== -1) this.#preconsumed.add(adjIdx);
      this.#mark(start, j + 1);
      if (after && afterCol) this.#mark(j + 1, after.end);
      if (before && this.#preconsumed.has(beforeIdx)) this.#mark(before.start, before.end);
      this.#addTable(col.table);
      this.averageFilters.push({ col, op, fn: 'avg', arg });
    }
  }

  #insideSchema(i: number): boolean {
    return this.#items.some((it) => it.kind === 'schema' && it.start <= i && i < it.end);
  }

  /** Walks the items in order and gives each its role. */
  #walk(): void {
    const tokens = this.#tokens;
    const items = this.#items;
    const main = this.main!;
    let mode: 'select' | 'group' | 'order' | 'filter' = 'select';
    let lastColumn: { ref: ColumnRef; end: number } | null = null;
    let lastTable: { table: number; end: number } | null = null;
    let seenMain = false;
    let mainFromSelect = false;
    let carry: { fn: AggregateFn; until: number } | null = null;
    /** A table named in a list of shown things ("and their category names"). */
    let listTable = -1;
    let prevEnd = 0;
    const consumed = new Set<number>();
    let orderDirection: 'asc' | 'desc' | null = null;

    for (const t of tokens) {
      if (DESC_WORDS.has(t.norm) && ['descending', 'desc', 'decreasing', 'reverse'].includes(t.norm))
        orderDirection = 'desc';
      if (t.norm === 'reversed') orderDirection = 'desc';
      if (
        ASC_WORDS.has(t.norm) &&
        ['ascending', 'asc', 'increasing', 'alphabetical', 'alphabetically'].includes(t.norm)
      )
        orderDirection = 'asc';
    }
    // "from the oldest to the youngest", "from highest to lowest": a direction, not a superlative
    const sortPhrase = new Set<number>();
    for (let i = 0; i + 1 < tokens.length; i += 1) {
      if (tokens[i]!.norm !== 'from') continue;
      const next = tokens.slice(i + 1, i + 4).find((x) => x.norm !== 'the');
      if (!next) continue;
      if (
        ['highest', 'largest', 'most', 'biggest', 'greatest', 'best', 'newest', 'latest'].includes(next.norm)
      )
        orderDirection = 'desc';
      else if (['lowest', 'smallest', 'least', 'fewest', 'worst', 'earliest'].includes(next.norm))
        orderDirection = 'asc';
      else if (next.norm === 'oldest' || next.norm === 'youngest')
        orderDirection = next.norm === 'oldest' ? 'desc' : 'asc';
      else continue;
      const to = tokens.slice(i + 2, i + 8).findIndex((x) => x.norm === 'to');
      const end = to === -1 ? i + 2 : i + 2 + to + 3;
      this.#mark(i, end);
      for (let j = i; j < end; j += 1) sortPhrase.add(j);
    }
    for (const [i, t] of tokens.entries()) {
      if (
        [
          'descending',
          'desc',
          'decreasing',
          'ascending',
          'asc',
          'increasing',
          'alphabetical',
          'alphabetically',
          'reverse',
          'reversed',
        ].includes(t.norm)
      )
        this.#mark(i, i + 1);
    }

    for (const k of this.#preconsumed) consumed.add(k);
    for (let k = 0; k < items.length; k += 1) {
      const item = items[k]!;
      if (consumed.has(k)) continue;
      const gapStart = prevEnd;
      // Words a ranking or a period already read ("spent the most", "per month") play no other part.
      const gap = tokens.slice(gapStart, item.start).map((t) => (this.#claimed.has(t.i) ? CLAIMED : t));
      const gapNorms = gap.map((t) => t.norm);
      prevEnd = Math.max(prevEnd, item.end);
      // "older than 20 or living in Paris": the next filter is an alternative to the last one
      if (gapNorms.includes('or') && this.filters.length > 0) this.orBefore.add(this.filters.length);

      // Mode changes from the words between the previous item and this one.
      const lastWords = gapNorms.filter(
        (w) => !['the', 'their', 'its', 'his', 'her', 'a', 'an', 'all'].includes(w),
      );
      const lastWord = lastWords[lastWords.length - 1];
      const sortHere = gapNorms.some((w) => ORDER_VERBS.has(w) || w === 'order');
      const sortSeen = sortHere || tokens.slice(0, item.start).some((t) => ORDER_VERBS.has(t.norm));
      const byOrder = lastWord === 'by' && !this.#passiveBy(gapStart, item.start) && !this.#hasAggregate();
      if (
        (sortHere && (gapNorms.includes('by') || gapNorms.includes('of') || gapNorms.includes('on'))) ||
        (lastWord === 'by' && sortSeen) ||
        byOrder
      ) {
        mode = 'order';
        this.#mark(gapStart, item.start);
      } else if (
        lastWords.slice(-2).some((w) => GROUP_WORDS.has(w)) ||
        (lastWord === 'by' && mode !== 'order' && !this.#passiveBy(gapStart, item.start))
      ) {
        mode = 'group';
        this.#mark(gapStart, item.start);
      } else if (gapNorms.some((w) => RELATIVE_WORDS.has(w)) && mode !== 'select') {
        if (
          !(gapNorms.length === 1 && gapNorms[0] === 'and') &&
          !(mode === 'group' && gapNorms.every((w) => w === 'and' || w === ','))
        )
          mode = 'filter';
      }
      if (
        seenMain &&
        mode === 'select' &&
        gapNorms.some((w) => RELATIVE_WORDS.has(w) && w !== 'of' && w !== 'for')
      )
        mode = 'filter';
      if (gapNorms.some((w) => DISTINCT_WORDS.has(w))) {
        this.distinct = true;
        gap.forEach((t) => {
          if (DISTINCT_WORDS.has(t.norm)) this.understood.add(t.i);
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
      if (carry && carry.until === item.start && item.kind === 'schema') {
        agg = carry.fn;
        aggAdjacent = true;
      }
      carry = null;
      const negated = this.#negatedBetween(gapStart, item.start);

      switch (item.kind) {
        case 'schema': {
          const table = this.#tableOf(item.m);
          const isMain = k === this.mainItem;
          const nextAdj = items[k + 1];
          if (
            agg &&
            aggAdjacent &&
            nextAdj?.kind === 'schema' &&
            nextAdj.start === item.end &&
            this.#tableOf(nextAdj.m) === null &&
            !['most', 'fewest', 'least'].includes(gap[aggIdx]?.norm ?? '')
          ) {
            carry = { fn: agg, until: nextAdj.start };
          }
          // "total amount of orders": an aggregate word that is also a column name.
          const firstWord: Token = tokens[item.start]!;
          const aggName: AggregateFn | undefined = AGGREGATE_CUES[firstWord.norm];
          if (aggName && item.end - item.start === 1 && !isMain) {
            const follow = items[k + 1];
            const between = tokens.slice(item.end, follow?.start ?? item.end);
            if (
              follow?.kind === 'schema' &&
              follow.start - item.end <= 6 &&
              this.#tableOf(follow.m) === null &&
              between.every(
                (t) =>
                  aggWord(t) || TRANSPARENT_AFTER_AGGREGATE.has(t.norm) || t.norm === ',' || t.norm === 'and',
              )
            ) {
              // Read as an aggregate word: the gap before the next column now starts with it
              // ("average, minimum and maximum age").
              prevEnd = item.start;
              continue;
            }
          }
          if (isMain) {
            seenMain = true;
            mainFromSelect = mode === 'select';
            this.#mark(item.start, item.end);
            lastTable = { table: main, end: item.end };
            if (mode === 'select' || mode === 'filter') mode = 'filter';
            if (mode === 'group' && lastWords.slice(-2).some((w) => GROUP_WORDS.has(w))) {
              // "for each product": group by the main table itself
              this.groupTables.push({ table: main, at: item.start });
            }
            if (agg === 'max' || agg === 'min') {
              // "the most orders" where orders is the main table of a grouped question
              const word = gap[aggIdx]?.norm ?? '';
              if (word === 'most' || word === 'fewest' || word === 'least') {
                this.orders.push({
                  kind: 'aggregate',
                  fn: 'count',
                  col: null,
                  direction: word === 'most' ? 'desc' : 'asc',
                });
                this.#mark(gapStart + aggIdx, gapStart + aggIdx + 1);
                this.limit ??= 1;
              }
            }
            if (mode === 'group') mode = 'filter';
            continue;
          }
          // "ordered by customers": a table after "ordered by" is who ordered, not a sort key.
          if (
            table !== null &&
            mode === 'order' &&
            tokens.slice(gapStart, item.start).some((t) => t.norm === 'ordered' || t.norm === 'sorted')
          ) {
            mode = 'filter';
          }
          if (table !== null && mode !== 'order' && !(agg && aggAdjacent && agg !== 'max' && agg !== 'min')) {
            this.#mark(item.start, item.end);
            // "with more than 3 orders", "at least two reviews"
            const prev = items[k - 1];
            if (prev && prev.kind === 'number' && item.start - prev.end <= 1 && !consumed.has(k - 1)) {
              // handled by the number
              continue;
            }
            const qualifier =
              nextAdj?.kind === 'schema' &&
              nextAdj.start === item.end &&
              this.#tableOf(nextAdj.m) === null &&
              nextAdj.m.candidates.some((c) => c.target.kind === 'column' && c.target.table === table);
            if (mode === 'group' && qualifier) {
              // "per customer country": the table only qualifies the column that follows
              this.#addTable(table);
              lastTable = { table, end: item.end };
              continue;
            }
            if (mode === 'group') {
              this.groupTables.push({ table, at: item.start });
              this.#addTable(table);
              lastTable = { table, end: item.end };
              continue;
            }
            // "the most orders", "the largest number of degrees"
            const superlativeCount =
              agg &&
              (gap[aggIdx]?.norm === 'most' ||
                gap[aggIdx]?.norm === 'fewest' ||
                gap[aggIdx]?.norm === 'least' ||
                (RANKING_WORDS[gap[aggIdx]?.norm ?? ''] !== undefined &&
                  gapNorms.slice(aggIdx + 1).join(' ') === 'number of'));
            if (superlativeCount) {
              this.orders.push({
                kind: 'count-of',
                table,
                direction: RANKING_WORDS[gap[aggIdx]?.norm ?? ''] ?? 'desc',
              });
              this.#mark(gapStart + aggIdx, item.start);
              this.#addTable(table);
              this.limit ??= 1;
              continue;
            }
            if (negated && seenMain) {
              this.negatedTables.push(table);
              this.#mark(gapStart, item.start);
              lastTable = { table, end: item.end };
              continue;
            }
            if (
              seenMain &&
              this.select.length > 0 &&
              gapNorms.length > 0 &&
              gapNorms.every((w) => ['and', ',', 'their', 'its', 'the', 'with'].includes(w))
            ) {
              listTable = k;
              // "names of teachers and the courses": the table itself is shown, by its label
              if (!qualifier && gapNorms.includes('and'))
                this.select.push({ kind: 'table', table, at: item.start });
            }
            if (!seenMain && mode === 'select') {
              // A table named before the main one: show its label ("the singer names and the concert").
              this.select.push({ kind: 'table', table, at: item.start });
            }
            this.#addTable(table);
            lastTable = { table, end: item.end };
            continue;
          }
          const before = items[k - 1];
          const adjacentTable =
            before?.kind === 'schema' && before.end === item.start ? this.#tableOf(before.m) : null;
          const near = adjacentTable ?? this.#nearTableAfter(k);
          const ref = this.#resolveColumn(item.m, near ?? lastTable?.table ?? null);
          if (ref === null) {
            if (table !== null) {
              this.#addTable(table);
              this.#mark(item.start, item.end);
            }
            continue;
          }
          this.#mark(item.start, item.end);
          this.#addTable(ref.table);
          lastColumn = { ref, end: item.end };
          // "out of stock": none left
          if (
            tokens[item.start - 1]?.norm === 'of' &&
            tokens[item.start - 2]?.norm === 'out' &&
            this.#column(ref).category === 'number'
          ) {
            this.filters.push({
              filter: { kind: 'compare', col: ref, op: '<=', value: 0 },
              negatedTable: null,
            });
            this.#mark(item.start - 2, item.start);
            continue;
          }
          if (mode === 'group') {
            this.groupCols.push({ ref, at: item.start });
            continue;
          }
          // "the most common hometown", "the least frequent status": the value seen most (or least) often
          const commonAt = gapNorms.findIndex((w) => COMMON_WORDS.has(w));
          if (commonAt > 0 && ['most', 'least'].includes(gapNorms[commonAt - 1]!)) {
            this.groupCols.push({ ref, at: item.start });
            this.orders.push({
              kind: 'aggregate',
              fn: 'count',
              col: null,
              direction: gapNorms[commonAt - 1] === 'most' ? 'desc' : 'asc',
            });
            this.limit ??= 1;
            this.#mark(gapStart + commonAt - 1, gapStart + commonAt + 1);
            continue;
          }
          if (mode === 'order') {
            let dir: 'asc' | 'desc' = orderDirection ?? 'asc';
            const after = this.#norms(item.end, item.end + 4);
            if (after.some((w) => ['descending', 'desc', 'decreasing'].includes(w))) dir = 'desc';
            if (agg && aggAdjacent)
              this.orders.push({ kind: 'aggregate', fn: agg, col: ref, direction: dir });
            else
              for (const c of this.#partsOfName(ref, item.start))
                this.orders.push({ kind: 'column', col: { table: ref.table, column: c }, direction: dir });
            continue;
          }
          if (agg && aggAdjacent) {
            this.#mark(gapStart + aggIdx, gapStart + aggIdx + 1);
            const word = gap[aggIdx]?.norm ?? '';
            const superlative =
              (agg === 'max' || agg === 'min') && seenMain && !this.#asksForValue(item.start);
            if (superlative) {
              const direction = agg === 'max' ? 'desc' : 'asc';
              if (word === 'most' || word === 'fewest' || word === 'least') {
                // "the most orders" on a column of a related table is a count
                this.orders.push({ kind: 'column', col: ref, direction });
              } else this.orders.push({ kind: 'column', col: ref, direction });
              this.limit ??= 1;
              continue;
            }
            // A comparison on an aggregate is a HAVING ("average price above 10")
            const nextItem = items[k + 1];
            if (nextItem && nextItem.kind === 'number') {
              const cmp = this.#comparisonBefore(item.end, nextItem.start);
              if (cmp && seenMain) {
                this.having.push({ kind: 'aggregate', fn: agg, col: ref, op: cmp.op, value: nextItem.value });
                this.#mark(cmp.start, nextItem.end);
                consumed.add(k + 1);
                continue;
              }
            }
            // "the average and maximum age": every aggregate word of the list applies to the column
            const more: AggregateFn[] = [];
            for (let g = aggIdx - 1; g >= 0; g -= 1) {
              const w = gap[g]!.norm;
              const fn = aggWord(gap[g]);
              if (fn) more.unshift(fn);
              else if (w !== 'and' && w !== ',' && w !== 'or' && w !== 'the') break;
              this.#mark(gapStart + g, gapStart + g + 1);
            }
            for (const [n, fn] of more.entries()) {
              this.select.push({
                kind: 'aggregate',
                fn,
                col: ref,
                distinct: false,
                table: null,
                at: item.start - more.length + n,
              });
            }
            this.select.push({
              kind: 'aggregate',
              fn: agg,
              col: ref,
              distinct: false,
              table: null,
              at: item.start,
            });
            continue;
          }
          if (
            this.countIntent &&
            item.start >= this.countIntent.end &&
            item.start - this.countIntent.end <= 4 &&
            !this.#column(ref).key &&
            !items.slice(0, k).some((x) => x.start >= this.countIntent!.end)
          ) {
            // "how many different countries"
            this.select.push({
              kind: 'aggregate',
              fn: 'count',
              col: ref,
              distinct: true,
              table: null,
              at: item.start,
            });
            this.countTable ??= ref.table;
            continue;
          }
          // A column followed by a comparison and a value is a filter; the value item does the work.
          const nextItem = items[k + 1];
          const numberForNext =
            nextItem?.kind === 'number' &&
            items[k + 2]?.kind === 'schema' &&
            items[k + 2]!.start - nextItem.end <= 1;
          const headProjection =
            mode === 'select' &&
            !seenMain &&
            nextItem?.kind === 'value' &&
            !nextItem.m.occurrences.some((o) => o.table === ref.table && o.column === ref.column) &&
            nextItem.m.occurrences.length > 0;
          if (
            !numberForNext &&
            !headProjection &&
            !(nextItem?.kind === 'number' && this.#yearOfDates(nextItem)) &&
            nextItem &&
            (nextItem.kind === 'number' || nextItem.kind === 'value' || nextItem.kind === 'date') &&
            nextItem.start - item.end <= 5
          ) {
            const between = this.#norms(item.end, nextItem.start);
            if (
              this.#comparisonBefore(item.end, nextItem.start) ||
              between.some(
                (w) =>
                  [
                    'is',
                    'are',
                    'was',
                    'were',
                    'of',
                    'equal',
                    'equals',
                    '=',
                    'in',
                    'on',
                    'not',
                    'named',
                    'called',
                    'between',
                    'as',
                  ].includes(w) || w.endsWith("n't"),
              ) ||
              between.length === 0
            ) {
              if (!(mode === 'select' && !seenMain && between.includes('of'))) continue;
            }
          }
          // "employee names", "singer ages": a column right after its table is shown.
          const prevItem = items[k - 1];
          if (
            prevItem &&
            prevItem.kind === 'schema' &&
            prevItem.end === item.start &&
            this.#tableOf(prevItem.m) === ref.table &&
            (k - 1 === this.mainItem ? mainFromSelect : mode === 'select' || k - 1 === listTable)
          ) {
            this.select.push({ kind: 'column', col: ref, at: item.start });
            continue;
          }
          if (mode === 'select' || (!seenMain && mode !== 'filter')) {
            this.select.push({ kind: 'column', col: ref, at: item.start });
            continue;
          }
          // After the main table with no cue: another projection in a list ("and their ages").
          if (
            gapNorms.includes('and') ||
            gapNorms.includes(',') ||
            gapNorms.includes('their') ||
            gapNorms.includes('its')
          ) {
            if (this.select.length > 0 && !gapNorms.some((w) => RELATIVE_WORDS.has(w) && w !== 'and')) {
              this.select.push({ kind: 'column', col: ref, at: item.start });
            }
          }
          continue;
        }
        case 'value': {
          this.#mark(item.start, item.end);
          this.#valueFilter(item.m, lastColumn, gapStart, negated);
          continue;
        }
        case 'number': {
          this.#numberItem(k, lastColumn, lastTable, consumed);
          continue;
        }
        case 'date': {
          this.#mark(item.start, item.end);
          const cmp = this.#comparisonBefore(Math.max(gapStart, item.start - 4), item.start);
          const col = this.#dateColumn(lastColumn, item.start);
          if (col === null) {
            this.unresolved += 1;
            continue;
          }
          if (cmp) {
            this.#mark(cmp.start, item.start);
            const value = cmp.op === '>' || cmp.op === '<=' ? item.range.end : item.range.start;
            const op: CompareOp = cmp.op === '>' ? '>=' : cmp.op === '<=' ? '<' : cmp.op;
            this.filters.push({ filter: { kind: 'compare', col, op, value }, negatedTable: null });
          } else {
            this.#mark(Math.max(gapStart, item.start - 1), item.start);
            this.filters.push({
              filter: { kind: 'range', col, low: item.range.start, high: item.range.end, halfOpen: true },
              negatedTable: null,
            });
          }
          continue;
        }
        case 'adjective': {
          if (sortPhrase.has(item.start)) continue;
          // "highest price", "largest population": an aggregate word before a column works as one.
          const nextSchema = items[k + 1];
          if (
            aggWord(tokens[item.start]) &&
            item.end - item.start === 1 &&
            nextSchema?.kind === 'schema' &&
            nextSchema.start - item.end <= 1
          ) {
            prevEnd = item.start;
            continue;
          }
          this.#adjectiveItem(k, lastColumn, consumed);
          continue;
        }
      }
    }

    // "in alphabetical order", "in descending order" with no column named: order by what is shown.
    const sortWord = tokens.some((t) =>
      [
        'alphabetical',
        'alphabetically',
        'lexicographical',
        'lexicographically',
        'descending',
        'ascending',
        'sorted',
        'ordered',
        'sort',
        'order',
      ].includes(t.norm),
    );
    if (sortWord && this.orders.length === 0 && this.rank === null) {
      const reverse = tokens.some((t) => t.norm === 'reverse' || t.norm === 'reversed');
      const direction = reverse ? 'desc' : (orderDirection ?? 'asc');
      const shown = this.select.find((x) => x.kind === 'column');
      if (shown && shown.kind === 'column') this.orders.push({ kind: 'column', col: shown.col, direction });
      else {
        const label = this.#index.tables[main]!.labelColumn;
        if (label !== null)
          this.orders.push({ kind: 'column', col: { table: main, column: label }, direction });
      }
      tokens.forEach((t) => {
        if (
          [
            'alphabetical',
            'alphabetically',
            'lexicographical',
            'lexicographically',
            'order',
            'sorted',
            'ordered',
            'sort',
            'reverse',
            'reversed',
          ].includes(t.norm)
        )
          this.understood.add(t.i);
      });
    }

    if (this.rank !== null) {
      this.#rankOrder(this.rank, orderDirection);
      return;
    }
    // "top 5", "first 10", "5 most expensive": limits not taken by a number elsewhere.
    for (let i = 0; i < tokens.length; i += 1) {
      const t = tokens[i]!;
      if (
        (t.norm === 'top' || t.norm === 'first' || t.norm === 'last' || t.norm === 'bottom') &&
        tokens[i + 1]?.num != null &&
        !this.#dated.has(i + 1)
      ) {
        this.limit = tokens[i + 1]!.num!;
        this.#mark(i, i + 2);
        if (this.orders.length === 0 && t.norm !== 'first')
          this.#defaultOrder(t.norm === 'top' ? 'desc' : 'asc');
        else if (t.norm === 'top' && orderDirection === null) {
          // "top 5 products by price": the highest first
          for (const [n, o] of this.orders.entries())
            if (o.kind === 'column') this.orders[n] = { ...o, direction: 'desc' };
        }
      } else if (t.norm === 'top' && this.limit === null && this.orders.length > 0) {
        this.limit = 1;
        this.#mark(i, i + 1);
      }
    }
  }

  /** The order of a ranking: its measure (else the nearest money column) first, in its direction. */
  #rankOrder(rank: NonNullable<Planner['rank']>, explicit: 'asc' | 'desc' | null): void {
    const direction = explicit ?? rank.direction;
    if (rank.measure === null) {
      const words = [...rank.hints, ...MONEY_WORDS];
      const byDistance = [...this.#tablesInPlay()].sort((a, b) => this.#distance(a) - this.#distance(b));
      for (const t of byDistance) {
        const found = this.#columnsByWords(words, [t], (c) => c.category === 'number' && !c.key)[0];
        if (!found) continue;
        const path = t === this.main ? [] : (joinPath(this.#index, this.main!, t) ?? []);
        const fanOut = path.some((s) => isFanOut(this.#index, s));
        rank.measure = { kind: 'column', col: found, fn: fanOut ? 'sum' : null };
        this.#addTable(t);
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
    this.orders.unshift(order);
  }

  /** "owned by students", "written by X": a passive verb before `by`, not a grouping. */
  #passiveBy(from: number, to: number): boolean {
    for (let j = to - 1; j >= from; j -= 1) {
      if (this.#tokens[j]!.norm !== 'by') continue;
      const before = this.#tokens[j - 1];
      return (
        !!before &&
        !this.#insideSchema(before.i) &&
        (before.tags.has('PastTense') || before.tags.has('Participle'))
      );
    }
    return false;
  }

  #hasAggregate(): boolean {
    return this.countIntent !== null || this.select.some((s) => s.kind === 'aggregate');
  }

  /** "What is the highest age" asks for the value; "the singer with the highest age" orders by it. */
  #asksForValue(at: number): boolean {
    const before = this.#norms(0, at);
    const relative = before.some((w) =>
      ['with', 'who', 'that', 'which', 'whose', 'has', 'have', 'had'].includes(w),
    );
    return !relative;
  }

  #defaultOrder(direction: 'asc' | 'desc'): void {
    const num = this.#columnsByWords(MONEY_WORDS, this.#tablesInPlay(), (c) => c.category === 'number');
    if (num[0]) this.orders.push({ kind: 'column', col: num[0], direction });
  }

  #dateColumn(lastColumn: { ref: ColumnRef; end: number } | null, at?: number): ColumnRef | null {
    if (lastColumn) {
      const c = this.#column(lastColumn.ref);
      if (c.category === 'date' || c.words.some((w) => ['date', 'time', 'at', 'day'].includes(w)))
        return lastColumn.ref;
    }
    // A verb before the date names the column: "signed up in 2024" -> signup_date, "hired" -> hired_at.
    if (at !== undefined) {
      const verbs = this.#tokens
        .slice(Math.max(0, at - 4), at)
        .map((t) => t.lemma)
        .filter((l) => l.length >= 4 && !['date', 'time', 'year'].includes(l));
      for (const group of [[this.main!], this.#tablesInPlay()]) {
        for (const t of group) {
          const c = this.#index.tables[t]!.columns.find(
            (x) =>
              x.category === 'date' &&
              x.words.some((w) => verbs.some((v) => w.startsWith(v) || (w.length >= 4 && v.startsWith(w)))),
          );
          if (c) return { table: t, column: c.index };
        }
      }
    }
    const words = ['date', 'created', 'time', 'at', 'day', 'placed', 'ordered'];
    // What a ranking sums or counts ("top customers by total spent this year": this year's orders),
    // then the main table's own dates, then those of tables the question names, then neighbours.
    const m = this.rank?.measure;
    const measured = m ? (m.kind === 'count' ? m.table : m.col.table) : null;
    const groups = [[this.main!], this.linkedTables, this.#tablesInPlay()];
    if (measured !== null && measured !== this.main) groups.unshift([measured]);
    for (const group of groups) {
      // A date of birth only when the table has no other date ("customers this year" signed up this year).
      for (const birth of [false, true]) {
        const date = (c: IndexedColumn): boolean =>
          c.category === 'date' && c.words.some((w) => BIRTH_WORDS.has(w)) === birth;
        const byWords = this.#columnsByWords(words, group, date);
        if (byWords[0]) return byWords[0];
        for (const t of group) {
          const c = this.#index.tables[t]!.columns.find(date);
          if (c) return { table: t, column: c.index };
        }
      }
    }
    return null;
  }

  #valueFilter(
    m: ValueMention,
    lastColumn: { ref: ColumnRef; end: number } | null,
    gapStart: number,
    negated: boolean,
  ): void {
    const tokens = this.#tokens;
    const before = this.#norms(Math.max(gapStart, m.start - 3), m.start);
    const after = this.#norms(m.end, m.end + 2);
    const wordCue =
      before.includes('word') ||
      before.includes('words') ||
      before.includes('phrase') ||
      before.includes('substring');
    const like =
      before.some((w) => LIKE_WORDS.has(w)) ||
      (m.occurrences.length === 0 && (wordCue || (m.quoted && after[0] === 'in')));
    const starts = before.some((w) => STARTS_WORDS.has(w));
    const ends = before.some((w) => ENDS_WORDS.has(w));
    const neg = negated || before.some((w) => w === 'not' || w.endsWith("n't"));
    const absent = neg && this.#verbNegated(Math.max(gapStart, m.start - 4), m.start);
    const inPlay = this.#tablesInPlay();
    const placePreposition = ['in', 'from', 'at', 'near', 'outside'].includes(
      tokens[m.start - 1]?.norm ?? '',
    );
    let col: ColumnRef | null = null;
    let value: string = m.text;
    if (m.occurrences.length > 0) {
      const scored = m.occurrences.map((o) => {
        let score = 0;
        if (
          lastColumn &&
          lastColumn.ref.table === o.table &&
          lastColumn.ref.column === o.column &&
          m.start - lastColumn.end <= 4
        )
          score += 3;
        if (o.table === this.main) score += 1;
        if (this.linkedTables.includes(o.table)) score += 0.8;
        if (inPlay.includes(o.table)) score += 0.3;
        if (!m.quoted && m.occurrences.some((x) => x !== o && x.value === m.text) && o.value !== m.text)
          score -= 0.1;
        // "in Paris", "from France": a place, so a column about places
        if (
          placePreposition &&
          this.#column({ table: o.table, column: o.column }).words.some((w) => PLACE_WORDS.has(w))
        )
          score += 0.5;
        return { o, score };
      });
      scored.sort((a, b) => b.score - a.score);
      const best = scored[0]!.o;
      col = { table: best.table, column: best.column };
      value = best.value;
    } else if (like && after[0] === 'in' && this.#columnAfter(m.end)) {
      col = this.#columnAfter(m.end);
    } else if (
      lastColumn &&
      m.start - lastColumn.end <= 5 &&
      this.#column(lastColumn.ref).category !== 'number'
    ) {
      col = lastColumn.ref;
    } else {
      const named = before.some((w) => NAMING_WORDS.has(w));
      const main = this.#index.tables[this.main!]!;
      const label = main.labelColumn;
      if (label !== null && (named || m.quoted)) col = { table: main.id, column: label };
      else if (like) {
        // "reviews containing the word 'great'": the main table's text
        const text = main.columns.filter((c) => c.category === 'text' && !c.key);
        const best =
          text.find((c) =>
            c.words.some((w) =>
              ['text', 'body', 'description', 'comment', 'note', 'content', 'message'].includes(w),
            ),
          ) ?? text[0];
        if (best) col = { table: main.id, column: best.index };
      }
    }
    if (col === null) {
      this.unresolved += 1;
      return;
    }
    this.#addTable(col.table);
    const gapMarks = before.length;
    this.#mark(m.start - gapMarks, m.start);
    if (like || starts || ends) {
      const pattern = starts ? `${value}%` : ends ? `%${value}` : `%${value}%`;
      // "whose name contains 'an'" with first_name and last_name: any part matches (none, negated)
      const same =
        lastColumn !== null && lastColumn.ref.table === col.table && lastColumn.ref.column === col.column;
      const parts = same ? this.#partsOfName(col, lastColumn.end - 1) : [col.column];
      for (const [n, c] of parts.entries()) {
        if (n > 0 && !neg) this.orBefore.add(this.filters.length);
        this.filters.push({
          filter: {
            kind: 'compare',
            col: { table: col.table, column: c },
            op: neg ? 'not like' : 'like',
            value: pattern,
          },
          negatedTable: null,
          absent,
        });
      }
      return;
    }
    // "in France or Germany": collect an OR list into IN (...)
    const last = this.filters[this.filters.length - 1];
    const orBefore = tokens[m.start - 1]?.norm === 'or';
    if (
      orBefore &&
      last &&
      last.filter.kind === 'compare' &&
      last.filter.op === '=' &&
      last.filter.col.table === col.table &&
      last.filter.col.column === col.column
    ) {
      this.filters.pop();
      this.orBefore.delete(this.filters.length + 1);
      this.#pushIn(col, [last.filter.value, value]);
      return;
    }
    this.filters.push({
      filter: { kind: 'compare', col, op: neg ? '<>' : '=', value },
      negatedTable: null,
      absent,
    });
  }

  /** A negated verb between `start` and `end`: "do not have", "doesn't own", "never ordered", "without". */
  #verbNegated(start: number, end: number): boolean {
    for (let k = Math.max(0, start); k < end; k += 1) {
      const t = this.#tokens[k]!;
      if (t.norm === 'never' || t.norm === 'without') return true;
      if (t.norm.endsWith("n't") && t.norm !== "isn't" && t.norm !== "aren't" && t.norm !== "wasn't")
        return true;
      const prev = this.#tokens[k - 1]?.norm ?? '';
      if (t.norm === 'not' && (VERB_AUXILIARIES.has(prev) || prev === 'but')) return true;
    }
    return false;
  }

  /** The column named within a few tokens after `at` ("'Hey' in its name"). */
  #columnAfter(at: number): ColumnRef | null {
    const next = this.#items.find((x) => x.start >= at && x.start - at <= 3 && x.kind === 'schema');
    if (next?.kind !== 'schema') return null;
    this.#mark(at, next.end);
    return this.#resolveColumn(next.m, this.main, (c) => c.category === 'text' || c.category === 'other');
  }

  readonly inLists: { col: ColumnRef; values: unknown[] }[] = [];

  #pushIn(col: ColumnRef, values: unknown[]): void {
    this.inLists.push({ col, values });
  }

  #numberItem(
    k: number,
    lastColumn: { ref: ColumnRef; end: number } | null,
    lastTable: { table: number; end: number } | null,
    consumed: Set<number>,
  ): void {
    const items = this.#items;
    const item = items[k]! as Extract<Item, { kind: 'number' }>;
    const tokens = this.#tokens;
    const prevTok = tokens[item.start - 1];
    if (prevTok && ['top', 'first', 'last', 'bottom'].includes(prevTok.norm)) return; // a limit
    // "the 3 oldest", "5 most expensive"
    const nextItem = items[k + 1];
    if (
      nextItem &&
      nextItem.kind === 'adjective' &&
      nextItem.grade === 'superlative' &&
      nextItem.start === item.end
    ) {
      this.limit = item.value;
      this.#mark(item.start, item.end);
      return;
    }

    // 1. The comparison: "between 1 and 2", "1 to 2", "more than 3", "3 or more", "heavier than 10".
    let op: CompareOp = '=';
    let high: number | null = null;
    let afterEnd = item.end;
    const second = tokens[item.end + 1];
    const isRange =
      second?.num != null &&
      ((prevTok?.norm === 'between' && tokens[item.end]?.norm === 'and') ||
        (tokens[item.end]?.norm === 'to' && !tokens[item.end + 1]?.date));
    let adjective: Extract<Item, { kind: 'adjective' }> | null = null;
    if (isRange) {
      high = second!.num!;
      afterEnd = item.end + 2;
      const nextIdx = items.findIndex((x) => x.start === item.end + 1);
      if (nextIdx !== -1) consumed.add(nextIdx);
      this.#mark(prevTok?.norm === 'between' ? item.start - 1 : item.start, afterEnd);
    } else {
      const cmp = this.#comparisonBefore(Math.max(0, item.start - 5), item.start);
      const trailing = this.#trailingComparison(item.end);
      if (cmp) {
        op = cmp.op;
        this.#mark(cmp.start, item.start);
      } else if (trailing) {
        op = trailing.op;
        afterEnd = trailing.end;
        this.#mark(item.end, trailing.end);
      } else if (prevTok?.norm === 'than') {
        // "heavier than 10", "a greater weight than 10", "older than 30"
        const prevAdj =
          items[k - 1]?.kind === 'adjective' ? (items[k - 1] as Extract<Item, { kind: 'adjective' }>) : null;
        if (prevAdj && prevAdj.grade === 'comparative' && item.start - prevAdj.end <= 1) {
          adjective = prevAdj;
          consumed.add(k - 1);
          op = prevAdj.sense.direction === 'desc' ? '>' : '<';
          this.#mark(prevAdj.start, item.start);
        } else {
          for (let j = item.start - 2; j >= Math.max(0, item.start - 6); j -= 1) {
            const w = tokens[j]!.norm;
            const dir = COMPARATIVE_WORDS[w];
            if (dir) {
              op = dir;
              this.#mark(j, j + 1);
              this.#mark(item.start - 1, item.start);
              break;
            }
          }
        }
      }
      // "above age 20": the comparison stands before the column that precedes the number
      const prevItem = items[k - 1];
      if (!cmp && !trailing && op === '=' && prevItem?.kind === 'schema' && prevItem.end === item.start) {
        const early = this.#comparisonBefore(Math.max(0, prevItem.start - 4), prevItem.start);
        if (early) {
          op = early.op;
          this.#mark(early.start, prevItem.start);
        }
      }
      // "not higher than 4" -> at most
      if (cmp && this.#negatedBetween(cmp.start - 1, cmp.start)) {
        op = op === '>' ? '<=' : op === '<' ? '>=' : op === '>=' ? '<' : op === '<=' ? '>' : op;
        this.#mark(cmp.start - 1, cmp.start);
      } else if (!cmp && op === '=' && this.#negatedBetween(item.start - 2, item.start)) op = '<>';
    }
    this.#mark(item.start, item.end);

    // 2. What it applies to.
    const follow = items[k + 1 + (isRange && items[k + 1]?.start === item.end + 1 ? 1 : 0)];
    const followAdjacent = follow && follow.kind === 'schema' && follow.start - afterEnd <= 1;
    if (followAdjacent && follow.kind === 'schema') {
      const t = this.#tableOf(follow.m);
      if (t !== null) {
        // "more than 3 orders": a count of rows of that table
        consumed.add(items.indexOf(follow));
        this.#mark(follow.start, follow.end);
        if (t !== this.main) this.#addTable(t);
        if (high !== null) {
          this.having.push({ kind: 'count-of', table: t, op: '>=', value: item.value });
          this.having.push({ kind: 'count-of', table: t, op: '<=', value: high });
        } else this.having.push({ kind: 'count-of', table: t, op, value: item.value });
        return;
      }
    }
    let col: ColumnRef | null = null;
    if (followAdjacent && follow.kind === 'schema') {
      // "with 8 cylinders"
      col = this.#resolveColumn(follow.m, lastTable?.table ?? null, (c) => c.category !== 'text' || true);
      if (col !== null) {
        consumed.add(items.indexOf(follow));
        this.#mark(follow.start, follow.end);
      }
    }
    if (col === null && adjective)
      col = this.#adjectiveColumn(adjective.sense, lastColumn, (c) => c.category === 'number');
    // "30 years old"
    if (col === null && follow && follow.kind === 'adjective' && follow.start - afterEnd <= 2) {
      col = this.#adjectiveColumn(follow.sense, lastColumn, (c) => c.category === 'number');
      if (col !== null) {
        consumed.add(items.indexOf(follow));
        this.#mark(item.end, follow.end);
      }
    }
    // "revenue per month in 2024": a year after "in", when no column holds years, is a range of dates
    if (col === null && op === '=' && high === null && this.#yearOfDates(item)) {
      const dc = this.#dateColumn(null, item.start);
      if (dc !== null) {
        const r = yearRange(item.value);
        this.#addTable(dc.table);
        this.#mark(item.start - 1, item.start);
        this.filters.push({
          filter: { kind: 'range', col: dc, low: r.start, high: r.end, halfOpen: true },
          negatedTable: null,
        });
        return;
      }
    }
    if (col === null) col = this.#numberColumn(k, lastColumn, item.money);
    if (col === null) {
      // A year with no year column: a date column in that year.
      if (Number.isInteger(item.value) && item.value >= 1000 && item.value <= 2999) {
        const dc = this.#dateColumn(lastColumn, item.start);
        if (dc !== null) {
          const r = yearRange(item.value);
          const rh = yearRange(high ?? item.value);
          this.#addTable(dc.table);
          if (op === '=')
            this.filters.push({
              filter: { kind: 'range', col: dc, low: r.start, high: rh.end, halfOpen: true },
              negatedTable: null,
            });
          else if (op === '>' || op === '<=')
            this.filters.push({
              filter: { kind: 'compare', col: dc, op: op === '>' ? '>=' : '<', value: r.end },
              negatedTable: null,
            });
          else
            this.filters.push({
              filter: { kind: 'compare', col: dc, op, value: r.start },
              negatedTable: null,
            });
          return;
        }
      }
      this.unresolved += 1;
      return;
    }
    this.#addTable(col.table);
    // "older than 30" about a date of birth: an age, counted in whole years up to now
    const age =
      adjective !== null
        ? adjective.stem === 'old' || adjective.stem === 'young'
        : follow?.kind === 'adjective' && (follow.stem === 'old' || follow.stem === 'young');
    if (age && this.#column(col).category === 'date' && item.value < 200) {
      this.#ageFilter(col, op, item.value, high);
      return;
    }
    if (high !== null) {
      this.filters.push({
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
    if (col.table !== this.main && this.main !== null && (verbBefore || totalWord)) {
      const path = joinPath(this.#index, this.main, col.table);
      if (path?.some((s) => isFanOut(this.#index, s))) {
        this.having.push({ kind: 'aggregate', fn: 'sum', col, op, value: item.value });
        return;
      }
    }
    const last = this.filters[this.filters.length - 1];
    if (
      tokens[item.start - 1]?.norm === 'or' &&
      op === '=' &&
      last &&
      last.filter.kind === 'compare' &&
      last.filter.op === '=' &&
      last.filter.col.table === col.table &&
      last.filter.col.column === col.column
    ) {
      this.filters.pop();
      this.orBefore.delete(this.filters.length + 1);
      this.#pushIn(col, [last.filter.value, item.value]);
      return;
    }
    this.filters.push({ filter: { kind: 'compare', col, op, value: item.value }, negatedTable: null });
  }

  /**
   * Ages compared on a date of birth: age > 30 is born on or before the day 31 years ago, age < 30
   * born after the day 30 years ago (dates as ISO strings, relative to `now`).
   */
  #ageFilter(col: ColumnRef, op: CompareOp, years: number, high: number | null): void {
    const now = this.#now;
    const ago = (n: number): string =>
      new Date(Date.UTC(now.getUTCFullYear() - n, now.getUTCMonth(), now.getUTCDate()))
        .toISOString()
        .slice(0, 10);
    const push = (o: CompareOp, value: string): void => {
      this.filters.push({ filter: { kind: 'compare', col, op: o, value }, negatedTable: null });
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
    } else this.unresolved += 1;
  }

  /** "in 2024" where no column of the tables in play holds years: a year of dates. */
  #yearOfDates(item: Item): boolean {
    if (item.kind !== 'number' || !Number.isInteger(item.value) || item.value < 1000 || item.value > 2999)
      return false;
    const prev = this.#tokens[item.start - 1]?.norm;
    if (prev !== 'in' && prev !== 'during') return false;
    return this.#columnsByWords(['year'], this.#tablesInPlay(), (c) => c.category !== 'date').length === 0;
  }

  /** The column a bare number speaks about. */
  #numberColumn(
    k: number,
    lastColumn: { ref: ColumnRef; end: number } | null,
    money: boolean,
  ): ColumnRef | null {
    const item = this.#items[k]!;
    const numeric = (c: IndexedColumn): boolean =>
      c.category === 'number' || c.category === 'date' || c.category === 'other';
    if (lastColumn && item.start - lastColumn.end <= 5 && numeric(this.#column(lastColumn.ref)))
      return lastColumn.ref;
    // A column named right before the number is meant even when it is stored as text.
    if (lastColumn && item.start - lastColumn.end <= 3 && !this.#column(lastColumn.ref).key)
      return lastColumn.ref;
    // "no less than 3000 and no more than 4000": the second bound of the same column
    const last = this.filters[this.filters.length - 1];
    const joiner = this.#norms(item.start - 5, item.start);
    if (
      last &&
      last.filter.kind === 'compare' &&
      typeof last.filter.value === 'number' &&
      (joiner.includes('and') || joiner.includes('but'))
    )
      return last.filter.col;
    const tables = this.#tablesInPlay();
    if (money) {
      const verbs = this.#tokens
        .slice(Math.max(0, item.start - 6), item.start)
        .flatMap((t) => SYNONYMS[t.lemma] ?? []);
      // The nearest table with a money column: the main table, then one join away, and so on.
      const byDistance = [...tables].sort((a, b) => this.#distance(a) - this.#distance(b));
      for (const t of byDistance) {
        const found = this.#columnsByWords(
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
      const years = this.#columnsByWords(
        ['year'],
        tables,
        (c) => c.category === 'number' || c.category === 'other' || c.category === 'text',
      );
      if (years[0]) return years[0];
      if (this.#dateColumn(lastColumn) !== null) return null;
    }
    // The words right before ("aged 30", "priced over 10") through synonyms; words that name a
    // table ("orders in 2023") do not count.
    const before = this.#tokens
      .slice(Math.max(0, item.start - 4), item.start)
      .filter(
        (t) =>
          !this.#items.some(
            (x) => x.kind === 'schema' && x.start <= t.i && t.i < x.end && this.#tableOf(x.m) !== null,
          ),
      )
      .flatMap((t) => [t.lemma, ...(SYNONYMS[t.lemma] ?? [])]);
    const byWords = this.#columnsByWords(before, tables, (c) => c.category === 'number' && !c.key);
    if (byWords[0]) return byWords[0];
    // "red items over 2": a comparison with no column named is about the main table's price or
    // amount, or about its only number column.
    if (this.#comparisonBefore(Math.max(0, item.start - 4), item.start) && this.main !== null) {
      const money = this.#columnsByWords(MONEY_WORDS, [this.main], (c) => c.category === 'number' && !c.key);
      if (money[0]) return money[0];
      const numbers = this.#index.tables[this.main]!.columns.filter((c) => c.category === 'number' && !c.key);
      if (numbers.length === 1) return { table: this.main, column: numbers[0]!.index };
    }
    return null;
  }

  #adjectiveColumn(
    sense: AdjectiveSense,
    lastColumn: { ref: ColumnRef; end: number } | null,
    filter: (c: IndexedColumn) => boolean,
  ): ColumnRef | null {
    // The main table's own attribute first ("the most recent order" is about orders' dates).
    for (const tables of [[this.main!], this.#tablesInPlay()]) {
      const found = this.#columnsByWords(sense.words, tables, (c) => filter(c) || c.category === 'date');
      if (found[0]) return found[0];
    }
    if (sense.words.length === 0 && lastColumn) return lastColumn.ref;
    return null;
  }

  #adjectiveItem(k: number, lastColumn: { ref: ColumnRef; end: number } | null, consumed: Set<number>): void {
    const item = this.#items[k]! as Extract<Item, { kind: 'adjective' }>;
    const next = this.#items[k + 1];
    if (item.grade === 'comparative') {
      // handled with its number; alone ("older singers") it is not understood
      return;
    }
    // "highest age": the column follows the adjective
    let col: ColumnRef | null = null;
    if (next && next.kind === 'schema' && next.start - item.end <= 1) {
      const t = this.#tableOf(next.m);
      if (t === null) {
        col = this.#resolveColumn(
          next.m,
          null,
          (c) => c.category !== 'text' || item.sense.words.length === 0,
        );
        if (col !== null) consumed.add(k + 1);
      }
    }
    if (col === null) col = this.#adjectiveColumn(item.sense, lastColumn, (c) => c.category === 'number');
    if (col === null) {
      this.unresolved += 1;
      return;
    }
    this.#mark(item.start, item.end);
    if (consumed.has(k + 1)) this.#mark(next!.start, next!.end);
    this.#addTable(col.table);
    const c = this.#column(col);
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
      this.#tokens[0]?.norm === 'what' &&
      !this.#tokens
        .slice(0, item.start)
        .some((t) => ['with', 'who', 'that', 'which', 'whose', 'has', 'have'].includes(t.norm));
    const headOnly =
      this.select.length === 0 && asks && next && next.kind === 'schema' && consumed.has(k + 1);
    if (headOnly && this.mainItem !== null && this.mainItem > k) {
      this.select.push({
        kind: 'aggregate',
        fn: direction === 'desc' ? 'max' : 'min',
        col,
        distinct: false,
        table: null,
        at: item.start,
      });
      return;
    }
    this.orders.push({ kind: 'column', col, direction });
    const after = this.#tokens[item.end];
    const plural = after && after.norm !== after.lemma && after.tags.has('Plural');
    if (!plural) this.limit ??= 1;
  }

  /**
   * The figure of a ranking over related rows ("by total spent": SUM of orders.total; "by number of
   * orders": COUNT), with the main table's key to group by (empty: it has none); null when the ranking
   * needs no grouping.
   */
  #rankFigure(main: number, grouped: boolean): { expr: Expr; table: number; key: number[] } | null {
    const m = this.rank?.measure;
    if (!m || grouped) return null;
    const t = this.#index.tables[main]!;
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
   * The columns that name a row of a table: its label, and when that is one part of a name
   * (`first_name`) the other parts too (`last_name`), in table order.
   */
  #nameColumns(table: number): number[] {
    const t = this.#index.tables[table]!;
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
  #partsOfName(col: ColumnRef, at: number): number[] {
    const item = this.#items.find((x) => x.kind === 'schema' && x.start === at && x.end === at + 1);
    if (!item || this.#tokens[at]!.lemma !== 'name' || !isNamePart(this.#column(col))) return [col.column];
    const parts = this.#index.tables[col.table]!.columns.filter(
      (c) => isNamePart(c) && (c.category === 'text' || c.category === 'other'),
    );
    return parts.length > 1 ? parts.map((c) => c.index) : [col.column];
  }

  /** A number column shown per period: summed when it adds up (amounts, quantities), else averaged. */
  #periodMeasure(ref: ColumnRef, at: number): SelectItem {
    const c = this.#column(ref);
    const word = at >= 0 ? this.#tokens[at] : undefined;
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
  #periodDate(table: number): ColumnRef | null {
    for (const f of this.filters) {
      const c = this.#column(f.filter.col);
      if (f.filter.col.table === table && c.category === 'date') return f.filter.col;
    }
    const dates = this.#index.tables[table]!.columns.filter(
      (c) => c.category === 'date' && !c.words.some((w) => BIRTH_WORDS.has(w)),
    );
    const words = ['date', 'created', 'time', 'at', 'day', 'placed', 'ordered', 'paid'];
    const rank = (c: IndexedColumn): number => {
      const w = words.findIndex((x) => c.words.includes(x));
      return (c.nullable ? 100 : 0) + (w === -1 ? 50 : w);
    };
    const best = [...dates].sort((a, b) => rank(a) - rank(b) || a.index - b.index)[0];
    return best ? { table, column: best.index } : null;
  }

  /** Turns what was found into a plan. */
  #assemble(main: number): PlanResult {
    const index = this.#index;
    const result = (plan: QueryPlan | null, problem: string | null): PlanResult => ({
      plan,
      understood: this.understood,
      problem,
      mainNamed: this.mainNamed,
      unresolved: this.unresolved,
    });

    // Group tables become a group on that table (label + key).
    const joined = new Map<number, JoinStep[]>();
    const pathTo = (t: number): JoinStep[] | null => {
      if (t === main) return [];
      const cached = joined.get(t);
      if (cached) return cached;
      const p = joinPath(index, main, t);
      if (p) joined.set(t, p);
      return p;
    };
    const needJoin = new Set<number>();
    const use = (t: number): boolean => {
      if (t === main) return true;
      if (pathTo(t) === null) return false;
      needJoin.add(t);
      return true;
    };

    const positioned: { item: SelectItem; at: number }[] = [];
    const groupBy: Expr[] = [];
    const where: Condition[] = [];
    const having: Condition[] = [];
    const orderBy: OrderItem[] = [];
    let aggregated = false;
    const sameRef = (a: ColumnRef, b: ColumnRef): boolean => a.table === b.table && a.column === b.column;
    const selectsColumn = (ref: ColumnRef): boolean =>
      positioned.some((p) => p.item.expr.kind === 'column' && sameRef(p.item.expr.ref, ref));

    // Count intent on the main table
    const counting =
      this.countIntent !== null && !this.select.some((s) => s.kind === 'aggregate' && s.fn === 'count');

    for (const s of this.select) {
      if (s.kind === 'column') {
        if (!use(s.col.table) || selectsColumn(s.col)) continue;
        // "names of customers" with first_name and last_name: both parts
        for (const [n, c] of this.#partsOfName(s.col, s.at).entries()) {
          const ref = { table: s.col.table, column: c };
          if (!selectsColumn(ref))
            positioned.push({ item: { expr: { kind: 'column', ref } }, at: s.at + n / 10 });
        }
      } else if (s.kind === 'aggregate') {
        if (s.col && !use(s.col.table)) continue;
        const twice = positioned.some(
          (p) =>
            p.item.expr.kind === 'aggregate' &&
            p.item.expr.fn === s.fn &&
            p.item.expr.distinct === s.distinct &&
            (p.item.expr.arg === null ? s.col === null : s.col !== null && sameRef(p.item.expr.arg, s.col)),
        );
        if (twice) continue;
        positioned.push({
          item: { expr: { kind: 'aggregate', fn: s.fn, arg: s.col, distinct: s.distinct } },
          at: s.at,
        });
        aggregated = true;
      } else {
        if (!use(s.table)) continue;
        // A table named among the columns shows its label, unless one of its columns is shown already.
        if (this.select.some((o) => o.kind === 'column' && o.col.table === s.table)) continue;
        const t = index.tables[s.table]!;
        if (t.labelColumn !== null && selectsColumn({ table: s.table, column: t.labelColumn })) continue;
        positioned.push({
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
    for (const { table: gt, at } of this.groupTables) {
      if (!use(gt)) continue;
      const t = index.tables[gt]!;
      const label = t.labelColumn;
      const shown = this.select.some(
        (o) => (o.kind === 'column' && o.col.table === gt) || (o.kind === 'table' && o.table === gt),
      );
      if (label !== null && !shown)
        for (const [n, c] of this.#nameColumns(gt).entries())
          positioned.push({
            item: { expr: { kind: 'column', ref: { table: gt, column: c } } },
            at: at + n / 10,
          });
      const pk = t.primaryKey.map((p) => t.columns.find((c) => c.name === p)).filter((c) => c !== undefined);
      for (const c of pk.length > 0 ? pk : label !== null ? [t.columns[label]!] : [])
        groupBy.push({ kind: 'column', ref: { table: gt, column: c.index } });
    }
    for (const { ref: gc, at } of this.groupCols) {
      if (!use(gc.table)) continue;
      groupBy.push({ kind: 'column', ref: gc });
      if (!selectsColumn(gc)) positioned.push({ item: { expr: { kind: 'column', ref: gc } }, at });
    }
    if (counting) {
      positioned.push({
        item: { expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } },
        at: this.countIntent!.start,
      });
      aggregated = true;
    }
    const select: SelectItem[] = positioned.sort((a, b) => a.at - b.at).map((p) => p.item);

    // "top 5 customers by total spent": a measure over related rows, per row of the main table. Rows
    // are grouped by the main table's key (never by a name, which can repeat) and shown by their name
    // with the figure they are ranked by.
    const rankFigure = this.#rankFigure(main, groupBy.length > 0 || aggregated);
    // Without a key to group by, the figure is a correlated subquery per row.
    let rankRelated: Expr | null = null;
    if (rankFigure !== null && rankFigure.key.length === 0) {
      const p = pathTo(rankFigure.table);
      const e = rankFigure.expr;
      if (p !== null && p.length > 0 && e.kind === 'aggregate') {
        rankRelated = { kind: 'related', fn: e.fn, path: p, arg: e.arg };
        if (select.length === 0) {
          const names = this.#nameColumns(main);
          if (names.length === 0) select.push({ expr: { kind: 'star', table: main } });
          for (const c of names) select.push({ expr: { kind: 'column', ref: { table: main, column: c } } });
          select.push({ expr: rankRelated, alias: this.rank?.alias ?? figureName(e, index) });
        }
      }
    } else if (rankFigure !== null && use(rankFigure.table)) {
      aggregated = true;
      for (const c of rankFigure.key) groupBy.push({ kind: 'column', ref: { table: main, column: c } });
      const shown = select.filter((x) => x.expr.kind === 'column' && x.expr.ref.table === main);
      select.length = 0;
      select.push(...shown);
      // The question names what to show ("the owner id and last name of ..."), else: names and figure.
      if (shown.length === 0) {
        const names = this.#nameColumns(main);
        for (const c of names.length > 0 ? names : rankFigure.key)
          select.push({ expr: { kind: 'column', ref: { table: main, column: c } } });
        select.push({ expr: rankFigure.expr, alias: this.rank?.alias ?? figureName(rankFigure.expr, index) });
      }
    }

    // Filters: on the main table or along many-to-one joins they go to WHERE; across a one-to-many
    // step (rows would multiply) into EXISTS, unless that table is joined anyway for its columns.
    const existsGroups = new Map<number, Condition[]>();
    const addFilter = (col: ColumnRef, cond: Condition): void => {
      if (col.table === main) {
        where.push(cond);
        return;
      }
      const p = pathTo(col.table);
      if (p === null) {
        this.unresolved += 1;
        return;
      }
      if (this.negatedTables.includes(col.table) || p.some((s) => this.negatedTables.includes(s.to))) {
        const neg = this.negatedTables.find((t) => t === col.table || p.some((s) => s.to === t))!;
        const list = existsGroups.get(-1 - neg) ?? [];
        list.push(cond);
        existsGroups.set(-1 - neg, list);
        return;
      }
      if (!needJoin.has(col.table) && p.some((s) => isFanOut(index, s)) && !aggregated) {
        const list = existsGroups.get(col.table) ?? [];
        list.push(cond);
        existsGroups.set(col.table, list);
        return;
      }
      needJoin.add(col.table);
      where.push(cond);
    };
    // "students who have both a cat and a dog", "visitors of a museum opened before 2009 and one
    // opened after 2011": conditions that no single row can meet at once are each met by some row.
    const split = conflictingFilters(this.filters.map((f) => f.filter));
    const splitExists = new Map<number, Condition[]>();
    const absentExists: { table: number; cond: Condition }[] = [];
    const mainSplit: Condition[] = [];
    // "students older than 20 or living in Paris": alternatives on the main table's columns
    const toCondition = (f: Filter): Condition =>
      f.kind === 'compare'
        ? { kind: 'compare', left: { kind: 'column', ref: f.col }, op: f.op, value: f.value }
        : {
            kind: 'range',
            left: { kind: 'column', ref: f.col },
            low: f.low,
            high: f.high,
            halfOpen: f.halfOpen,
          };
    const alternative = (k: number): boolean => {
      const f = this.filters[k];
      return f !== undefined && f.filter.col.table === main && !f.absent && !split.has(k);
    };
    const orGroups = new Map<number, number[]>();
    const inOr = new Set<number>();
    for (let k = 1; k < this.filters.length; k += 1) {
      if (!this.orBefore.has(k) || !alternative(k) || !alternative(k - 1)) continue;
      const start = [...orGroups.entries()].find(([, g]) => g.includes(k - 1))?.[0] ?? k - 1;
      orGroups.set(start, [...(orGroups.get(start) ?? [k - 1]), k]);
      inOr.add(k - 1);
      inOr.add(k);
    }
    for (const g of orGroups.values())
      where.push({ kind: 'or', conditions: g.map((k) => toCondition(this.filters[k]!.filter)) });
    for (const [k, { filter, absent }] of this.filters.entries()) {
      if (inOr.has(k)) continue;
      const left: Expr = { kind: 'column', ref: filter.col };
      const t = filter.col.table;
      const p = t === main ? null : pathTo(t);
      const fanOut = p !== null && p.length > 0 && p.some((s) => isFanOut(index, s));
      const negatedPath =
        p !== null && (this.negatedTables.includes(t) || p.some((s) => this.negatedTables.includes(s.to)));
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
        if (t === main) {
          mainSplit.push(cond);
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
        addFilter(filter.col, { kind: 'compare', left, op: filter.op, value: filter.value });
      else
        addFilter(filter.col, {
          kind: 'range',
          left,
          low: filter.low,
          high: filter.high,
          halfOpen: filter.halfOpen,
        });
    }
    for (const a of this.averageFilters)
      addFilter(a.col, {
        kind: 'compare-aggregate',
        left: { kind: 'column', ref: a.col },
        op: a.op,
        fn: a.fn,
        arg: a.arg,
      });
    for (const l of this.inLists)
      addFilter(l.col, {
        kind: 'in',
        left: { kind: 'column', ref: l.col },
        values: l.values,
        negated: false,
      });
    const covered = new Set<number>();
    for (const t of [...splitExists.keys(), ...absentExists.map((a) => a.table)])
      for (const step of pathTo(t) ?? []) covered.add(step.to);
    for (const [table, alternatives] of splitExists) {
      const p = pathTo(table)!;
      // the other conditions on that table hold for each of the related rows
      const shared = existsGroups.get(table) ?? [];
      existsGroups.delete(table);
      for (const cond of alternatives)
        where.push({ kind: 'exists', negated: false, path: p, conditions: [...shared, cond] });
    }
    for (const { table, cond } of absentExists) {
      where.push({ kind: 'exists', negated: true, path: pathTo(table)!, conditions: [cond] });
    }
    for (const [key, conds] of existsGroups) {
      const negated = key < 0;
      const table = negated ? -1 - key : key;
      const p = pathTo(table);
      if (p === null || p.length === 0) continue;
      where.push({ kind: 'exists', negated, path: p, conditions: conds });
    }
    for (const t of this.negatedTables) {
      if (existsGroups.has(-1 - t)) continue;
      const p = pathTo(t);
      if (p === null || p.length === 0) continue;
      where.push({ kind: 'exists', negated: true, path: p, conditions: [] });
    }
    // Tables named only as a link ("customers who placed orders") -> EXISTS when rows would multiply.
    for (const t of this.linkedTables) {
      if (t === main || needJoin.has(t) || existsGroups.has(t) || this.negatedTables.includes(t)) continue;
      if (covered.has(t)) continue;
      if (
        this.having.some(
          (h) => (h.kind === 'count-of' && h.table === t) || (h.kind === 'aggregate' && h.col.table === t),
        ) ||
        this.orders.some((o) => o.kind === 'count-of' && o.table === t)
      )
        continue;
      if (this.groupTables.some((g) => g.table === t)) continue;
      const p = pathTo(t);
      if (p === null || p.length === 0) continue;
      if (p.some((s) => isFanOut(index, s)) && !aggregated)
        where.push({ kind: 'exists', negated: false, path: p, conditions: [] });
      else if (aggregated && counting) needJoin.add(t);
    }

    // HAVING and ordering by counts/sums of related rows.
    const grouped = groupBy.length > 0;
    for (const h of this.having) {
      if (h.kind === 'count-of') {
        if (h.table === main || grouped) {
          if (h.table !== main) use(h.table);
          having.push({
            kind: 'compare',
            left: { kind: 'aggregate', fn: 'count', arg: null, distinct: false },
            op: h.op,
            value: h.value,
          });
          continue;
        }
        const p = pathTo(h.table);
        if (p === null || p.length === 0) continue;
        where.push({
          kind: 'compare',
          left: { kind: 'related', fn: 'count', path: p, arg: null },
          op: h.op,
          value: h.value,
        });
      } else {
        if (h.col.table === main || grouped) {
          use(h.col.table);
          having.push({
            kind: 'compare',
            left: { kind: 'aggregate', fn: h.fn, arg: h.col, distinct: false },
            op: h.op,
            value: h.value,
          });
          continue;
        }
        const p = pathTo(h.col.table);
        if (p === null || p.length === 0) continue;
        where.push({
          kind: 'compare',
          left: { kind: 'related', fn: h.fn, path: p, arg: h.col },
          op: h.op,
          value: h.value,
        });
      }
    }
    for (const [n, o] of this.orders.entries()) {
      if (n === 0 && rankRelated !== null) {
        orderBy.push({ expr: rankRelated, direction: o.direction });
        continue;
      }
      if (o.kind === 'column') {
        if (!use(o.col.table)) continue;
        orderBy.push({ expr: { kind: 'column', ref: o.col }, direction: o.direction });
      } else if (o.kind === 'aggregate') {
        if (o.col && !use(o.col.table)) continue;
        orderBy.push({
          expr: { kind: 'aggregate', fn: o.fn, arg: o.col, distinct: false },
          direction: o.direction,
        });
      } else {
        if (grouped || o.table === main) {
          use(o.table);
          orderBy.push({
            expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false },
            direction: o.direction,
          });
          continue;
        }
        const p = pathTo(o.table);
        if (p === null || p.length === 0) continue;
        orderBy.push({ expr: { kind: 'related', fn: 'count', path: p, arg: null }, direction: o.direction });
      }
    }

    // "revenue per month", "orders by year": the measure per period of a date, in time order.
    if (this.period !== null) {
      const { unit, which } = this.period;
      const grouped = (ref: ColumnRef): boolean =>
        groupBy.some((g) => g.kind === 'column' && sameRef(g.ref, ref));
      const kept: SelectItem[] = [];
      const measures: SelectItem[] = [];
      let dateRef: ColumnRef | null = null;
      for (const { item: s, at } of positioned) {
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
        const c = this.#column(e.ref);
        if (c.category === 'date') dateRef ??= e.ref;
        else if (c.category === 'number' && !c.key) measures.push(this.#periodMeasure(e.ref, at));
      }
      if (which) {
        // "what month had the highest revenue": the period whose total is highest
        for (const [n, m] of measures.entries()) {
          const e = m.expr;
          if (e.kind !== 'aggregate' || (e.fn !== 'max' && e.fn !== 'min') || e.arg === null) continue;
          const total = this.#periodMeasure(e.arg, -1);
          measures[n] = total;
          orderBy.unshift({ expr: total.expr, direction: e.fn === 'max' ? 'desc' : 'asc' });
          this.limit ??= 1;
        }
      }
      if (measures.length === 0)
        measures.push({ expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } });
      const first = measures.map((m) => m.expr).find((e) => e.kind === 'aggregate' && e.arg !== null);
      const measureTable = first?.kind === 'aggregate' && first.arg !== null ? first.arg.table : main;
      dateRef ??= this.#periodDate(measureTable) ?? this.#periodDate(main);
      if (dateRef !== null && use(dateRef.table)) {
        for (const m of measures) if (m.expr.kind === 'aggregate' && m.expr.arg) use(m.expr.arg.table);
        const period: Expr = { kind: 'period', unit, ref: dateRef };
        groupBy.unshift(period);
        select.length = 0;
        select.push({ expr: period, alias: unit }, ...kept, ...measures);
        if (orderBy.length === 0) orderBy.push({ expr: period, direction: 'asc' });
        aggregated = true;
      } else this.unresolved += 1;
    }

    // Aggregates next to plain columns: group by the plain columns.
    const hasAgg =
      select.some((s) => s.expr.kind === 'aggregate') ||
      having.length > 0 ||
      orderBy.some((o) => o.expr.kind === 'aggregate');
    if (hasAgg && groupBy.length === 0) {
      const plain = select.filter((s) => s.expr.kind === 'column');
      for (const p of plain) groupBy.push(p.expr);
      if (
        plain.length === 0 &&
        (having.length > 0 || orderBy.some((o) => o.expr.kind === 'aggregate')) &&
        !select.some((s) => s.expr.kind === 'aggregate')
      ) {
        // "which year has the most concerts" with the year not selected: nothing to group by
        const t = index.tables[main]!;
        const label = t.labelColumn;
        if (label !== null) {
          select.push({ expr: { kind: 'column', ref: { table: main, column: label } } });
          groupBy.push({ kind: 'column', ref: { table: main, column: label } });
        }
      }
    }

    if (select.length === 0) {
      const first = this.#tokens.find((t) => !t.punct);
      const label = index.tables[main]!.labelColumn;
      if (first && ['which', 'what', 'who', 'whose', 'whom'].includes(first.norm) && label !== null) {
        select.push({ expr: { kind: 'column', ref: { table: main, column: label } } });
      } else select.push({ expr: { kind: 'star', table: needJoin.size > 0 ? main : null } });
    }

    // Joins: union of shortest paths from the main table.
    const joins: JoinStep[] = [];
    const present = new Set<number>([main]);
    for (const t of needJoin) {
      const p = pathTo(t);
      if (p === null) continue;
      for (const step of p) {
        if (present.has(step.to)) continue;
        present.add(step.to);
        joins.push(step);
      }
    }
    if (select.length === 1 && select[0]!.expr.kind === 'star' && joins.length > 0) {
      select[0] = { expr: { kind: 'star', table: main } };
    }

    const plan: QueryPlan = {
      main,
      joins,
      select,
      distinct: this.distinct && !select.every((s) => s.expr.kind === 'aggregate'),
      where,
      groupBy,
      having,
      orderBy,
      limit: this.limit,
    };
    if (mainSplit.length > 0) {
      // "countries with a singer above 40 and a singer below 30": the values shown that rows of
      // each condition share (INTERSECT). When the rows themselves are shown (a key), no row can
      // meet both and the conditions stay as they are.
      const t = index.tables[main]!;
      const shared =
        joins.length === 0 &&
        groupBy.length === 0 &&
        having.length === 0 &&
        orderBy.length === 0 &&
        plan.limit === null &&
        select.every(
          (s) =>
            s.expr.kind === 'column' &&
            s.expr.ref.table === main &&
            !t.primaryKey.includes(t.columns[s.expr.ref.column]!.name),
        );
      if (!shared) return result({ ...plan, where: [...where, ...mainSplit] }, null);
      const branch = (c: Condition): QueryPlan => ({ ...plan, where: [...where, c] });
      return result(
        {
          ...branch(mainSplit[0]!),
          compound: mainSplit.slice(1).map((c) => ({ op: 'intersect' as const, plan: branch(c) })),
        },
        null,
      );
    }
    return result(plan, null);
  }
}

/** Words of columns whose values add up over rows (summed per period), rather than being averaged. */
const ADDITIVE_WORDS: ReadonlySet<string> = new Set([
  'amount',
  'total',
  'payment',
  'revenue',
  'spent',
  'spend',
  'fee',
  'quantity',
  'count',
  'sale',
  'income',
  'earning',
  'cost',
  'sold',
]);

const BIRTH_WORDS: ReadonlySet<string> = new Set(['birth', 'born', 'birthday', 'dob']);

/** `first_name`, `last_name`, `given_name`, `surname`: one part of a person's name. */
function isNamePart(c: IndexedColumn): boolean {
  const w = c.words;
  if (w.length === 1) return w[0] === 'surname' || w[0] === 'forename';
  return (
    w.length === 2 &&
    w[1] === 'name' &&
    ['first', 'last', 'given', 'family', 'middle', 'sur', 'fore', 'maiden'].includes(w[0]!)
  );
}

/** Output name of a ranking's figure when the question gave none: `total`, `number_of_orders`. */
function figureName(e: Expr, index: SchemaIndex): string {
  if (e.kind !== 'aggregate') return 'value';
  if (e.arg === null) return 'count';
  const c = index.tables[e.arg.table]!.columns[e.arg.column]!;
  const prefix = { sum: 'total', avg: 'average', min: 'lowest', max: 'highest', count: 'number_of' }[e.fn];
  return e.fn === 'sum' && c.words.includes('total') ? c.name : `${prefix}_${c.name}`;
}

/** Upper (`<`, `<=`) or lower (`>`, `>=`) bound of a comparison with a number. */
function bound(f: Filter): { upper: boolean; value: number; strict: boolean } | null {
  if (f.kind !== 'compare' || typeof f.value !== 'number') return null;
  if (f.op === '<' || f.op === '<=') return { upper: true, value: f.value, strict: f.op === '<' };
  if (f.op === '>' || f.op === '>=') return { upper: false, value: f.value, strict: f.op === '>' };
  return null;
}

/**
 * Indexes of filters that no single row can meet together with another filter on the same column:
 * two different values (`= 'cat'` and `= 'dog'`) or ranges that do not meet (`< 30` and `> 40`).
 */
function conflictingFilters(filters: readonly Filter[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < filters.length; i += 1) {
    for (let j = i + 1; j < filters.length; j += 1) {
      const a = filters[i]!;
      const b = filters[j]!;
      if (a.kind !== 'compare' || b.kind !== 'compare') continue;
      if (a.col.table !== b.col.table || a.col.column !== b.col.column) continue;
      let conflict = false;
      if (a.op === '=' && b.op === '=') conflict = a.value !== b.value;
      else {
        const x = bound(a);
        const y = bound(b);
        if (x && y && x.upper !== y.upper) {
          const up = x.upper ? x : y;
          const low = x.upper ? y : x;
          conflict = up.value < low.value || (up.value === low.value && (up.strict || low.strict));
        }
      }
      if (conflict) {
        out.add(i);
        out.add(j);
      }
    }
  }
  return out;
}

/** Builds the query plan of a linked question. */
export function planQuery(index: SchemaIndex, linked: LinkedQuestion, now: Date = new Date()): PlanResult {
  return new Planner(index, linked, now).plan();
}
