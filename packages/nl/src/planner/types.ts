import type { SchemaMention, ValueMention } from '../link-schema.js';
import type { AggregateFn, ColumnRef, CompareOp, QueryPlan } from '../query-plan.js';
import type { DateRange } from '../question-lexer.js';
import type { AdjectiveSense } from '../vocabulary.js';

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

export type Item =
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
export type Filter =
  | { readonly kind: 'compare'; readonly col: ColumnRef; readonly op: CompareOp; readonly value: unknown }
  | {
      readonly kind: 'range';
      readonly col: ColumnRef;
      readonly low: unknown;
      readonly high: unknown;
      readonly halfOpen: boolean;
    };

export type OrderKey =
  | { readonly kind: 'column'; readonly col: ColumnRef; readonly direction: 'asc' | 'desc' }
  | {
      readonly kind: 'aggregate';
      readonly fn: AggregateFn;
      readonly col: ColumnRef | null;
      readonly direction: 'asc' | 'desc';
    }
  | { readonly kind: 'count-of'; readonly table: number; readonly direction: 'asc' | 'desc' };

export type HavingKey =
  | { readonly kind: 'count-of'; readonly table: number; readonly op: CompareOp; readonly value: number }
  | {
      readonly kind: 'aggregate';
      readonly fn: AggregateFn;
      readonly col: ColumnRef;
      readonly op: CompareOp;
      readonly value: number;
    };

/** What "top 5 customers by ..." ranks by: a count of related rows, or a column (summed across a one-to-many step). */
export type RankMeasure =
  | { readonly kind: 'count'; readonly table: number }
  | { readonly kind: 'column'; readonly col: ColumnRef; readonly fn: AggregateFn | null };

/** `at`: token position in the question, so that columns come out in the order they were asked for. */
export type SelectKey =
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
