/** The small query IR the translator builds before writing SQL for a dialect. */

export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** A stretch of calendar time that dates are grouped by ("per month", "by year"). */
export type PeriodUnit = 'day' | 'week' | 'month' | 'year';

export type CompareOp = '=' | '<>' | '>' | '>=' | '<' | '<=' | 'like' | 'not like';

/** A column of a table of the index. */
export interface ColumnRef {
  readonly table: number;
  readonly column: number;
}

/** One step along the foreign-key graph: `to` joins onto `from` with `toColumns = fromColumns`. */
export interface JoinStep {
  readonly from: number;
  readonly to: number;
  readonly fromColumns: readonly string[];
  readonly toColumns: readonly string[];
}

export type Expr =
  | { readonly kind: 'column'; readonly ref: ColumnRef }
  | { readonly kind: 'star'; readonly table: number | null }
  | {
      readonly kind: 'aggregate';
      readonly fn: AggregateFn;
      readonly arg: ColumnRef | null;
      readonly distinct: boolean;
    }
  /** The period a date falls in: the start of its month on PostgreSQL, '2024-05' on SQLite and MySQL. */
  | { readonly kind: 'period'; readonly unit: PeriodUnit; readonly ref: ColumnRef }
  /** A correlated subquery: the aggregate over rows related to the current row of the main table. */
  | {
      readonly kind: 'related';
      readonly fn: AggregateFn;
      readonly path: readonly JoinStep[];
      readonly arg: ColumnRef | null;
    };

export type Condition =
  | { readonly kind: 'compare'; readonly left: Expr; readonly op: CompareOp; readonly value: unknown }
  | {
      readonly kind: 'range';
      readonly left: Expr;
      readonly low: unknown;
      readonly high: unknown;
      readonly halfOpen: boolean;
    }
  | {
      readonly kind: 'in';
      readonly left: Expr;
      readonly values: readonly unknown[];
      readonly negated: boolean;
    }
  /** `left op (SELECT fn(arg) FROM table-of-arg)`: "a price above the average". */
  | {
      readonly kind: 'compare-aggregate';
      readonly left: Expr;
      readonly op: CompareOp;
      readonly fn: AggregateFn;
      readonly arg: ColumnRef;
    }
  /** "older than 20 or living in Paris": any one of the conditions. */
  | { readonly kind: 'or'; readonly conditions: readonly Condition[] }
  | {
      readonly kind: 'exists';
      readonly negated: boolean;
      readonly path: readonly JoinStep[];
      readonly conditions: readonly Condition[];
    };

export interface SelectItem {
  readonly expr: Expr;
  /** Name of the output column (`AS`), when the expression alone would not name it well. */
  readonly alias?: string;
}

export interface OrderItem {
  readonly expr: Expr;
  readonly direction: 'asc' | 'desc';
}

/** A SELECT over the main table and the tables joined along foreign keys. */
export interface QueryPlan {
  readonly main: number;
  readonly joins: readonly JoinStep[];
  readonly select: readonly SelectItem[];
  readonly distinct: boolean;
  readonly where: readonly Condition[];
  readonly groupBy: readonly Expr[];
  readonly having: readonly Condition[];
  readonly orderBy: readonly OrderItem[];
  readonly limit: number | null;
  /** Further SELECTs combined with this one: "X that are both A and B" is A INTERSECT B. */
  readonly compound?: readonly { readonly op: 'intersect' | 'except' | 'union'; readonly plan: QueryPlan }[];
}
