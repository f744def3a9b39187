/** The database family a plan came from (the values of @aishell/sql's `SqlDialect`). */
export type PlanDialect = 'postgres' | 'mysql' | 'sqlite';

/** Every dialect, in a stable order. */
export const PLAN_DIALECTS: readonly PlanDialect[] = ['postgres', 'mysql', 'sqlite'];

/** The form a plan was read from. */
export type PlanFormat =
  /** `EXPLAIN (FORMAT JSON ...)`, also from auto_explain with `log_format = json`. */
  | 'postgres-json'
  /** `EXPLAIN [(ANALYZE, BUFFERS ...)]` text as psql prints it, or from auto_explain in a server log. */
  | 'postgres-text'
  /** MySQL or MariaDB `EXPLAIN FORMAT=JSON` (estimates only). */
  | 'mysql-json'
  /** MariaDB `ANALYZE FORMAT=JSON` (estimates and `r_*` actuals). */
  | 'mariadb-analyze-json'
  /** MySQL 8 `EXPLAIN ANALYZE` / `EXPLAIN FORMAT=TREE`. */
  | 'mysql-tree'
  /** SQLite `EXPLAIN QUERY PLAN` rows or the sqlite3 shell's tree. */
  | 'sqlite';

/** Buffer counts in blocks, as PostgreSQL reports them (inclusive of the node's children). */
export interface PlanBuffers {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  localDirtied: number;
  localWritten: number;
  tempRead: number;
  tempWritten: number;
}

/** A scalar read from a plan that aishell has no field of its own for. */
export type PlanValue =
  | string
  | number
  | boolean
  | null
  | readonly PlanValue[]
  | { [key: string]: PlanValue };

/**
 * What a plan says about one node, as read. Fields that every node has are `null` when unknown; the
 * others are present only when the plan shows them. Counts and times are per loop, as the database
 * reports them, except `heapFetches` (a total, as PostgreSQL reports it).
 */
export interface PlanNodeFacts {
  /** PostgreSQL's own "Node Type" (`Seq Scan`, `Hash Join`, `Aggregate`); MySQL's access type (`ALL`, `ref`) for tables. */
  nodeType: string;
  relation: string | null;
  index: string | null;
  startupCost: number | null;
  totalCost: number | null;
  /** Rows the planner expected per loop. */
  estimatedRows: number | null;
  /** Rows produced per loop. */
  actualRows: number | null;
  loops: number | null;
  /** Time to the first row per loop, milliseconds. */
  actualStartupMs: number | null;
  /** Time to the last row per loop, milliseconds. */
  actualTotalMs: number | null;
  buffers: PlanBuffers | null;
  /** `Outer`, `Inner`, `Member`, `Subquery`, `InitPlan`, `SubPlan`. */
  parentRelationship?: string;
  /** `InitPlan 1 (returns $0)`, `SubPlan 2`, `CTE name`. */
  subplanName?: string;
  joinType?: string;
  strategy?: string;
  partialMode?: string;
  operation?: string;
  command?: string;
  scanDirection?: string;
  parallelAware?: boolean;
  schema?: string;
  alias?: string;
  cteName?: string;
  functionName?: string;
  width?: number;
  filter?: string;
  rowsRemovedByFilter?: number;
  joinFilter?: string;
  rowsRemovedByJoinFilter?: number;
  indexCond?: string;
  recheckCond?: string;
  rowsRemovedByIndexRecheck?: number;
  hashCond?: string;
  mergeCond?: string;
  sortKey?: string[];
  groupKey?: string[];
  sortMethod?: string;
  sortSpaceType?: 'Memory' | 'Disk';
  sortSpaceUsedKb?: number;
  hashBuckets?: number;
  hashBatches?: number;
  originalHashBatches?: number;
  peakMemoryKb?: number;
  /** HashAggregate spill (PostgreSQL 13+): batches and disk use. */
  aggregateBatches?: number;
  diskUsageKb?: number;
  workersPlanned?: number;
  workersLaunched?: number;
  heapFetches?: number;
  /** `(never executed)`: the node's loops are 0. */
  neverExecuted?: boolean;
  /** Everything else the plan says about the node, under the plan's own names. */
  properties: Record<string, PlanValue>;
}

/** A node as read, before figures. */
export interface ParsedNode extends PlanNodeFacts {
  children: ParsedNode[];
}

/** A trigger's time, from PostgreSQL's ANALYZE of a write. */
export interface PlanTrigger {
  name: string;
  relation: string | null;
  timeMs: number;
  calls: number;
}

/** A plan as read from its text or JSON, before figures. */
export interface ParsedPlan {
  dialect: PlanDialect;
  format: PlanFormat;
  root: ParsedNode;
  planningMs: number | null;
  executionMs: number | null;
  /** The statement, when the plan carries it (auto_explain's `Query Text`). */
  queryText: string | null;
  triggers: PlanTrigger[];
}

/** Which way the planner was wrong about a node's rows. */
export type EstimateDirection = 'under' | 'over' | 'exact';

/** A node with its figures. */
export interface PlanNode extends PlanNodeFacts {
  /** Stable path of the node: `0` is the root, `0.1` its second child. */
  id: string;
  /** Time in this node and its children over all loops (parallel workers counted once), ms. */
  inclusiveMs: number | null;
  /** `inclusiveMs` minus the children's (InitPlans and CTEs charged to the nodes that use them), ms. */
  exclusiveMs: number | null;
  /** `exclusiveMs` over the plan's execution time, 0..1. */
  timeShare: number | null;
  /** `totalCost` minus the children's total costs, never below 0. */
  exclusiveCost: number | null;
  /** `exclusiveCost` over the plan's largest total cost, 0..1. */
  costShare: number | null;
  /** Actual over estimated rows or the other way round, always >= 1 (rows below 1 count as 1). */
  estimateFactor: number | null;
  estimateDirection: EstimateDirection | null;
  /** Workers launched by the Gather above this node (PostgreSQL parallel query). */
  workers?: number;
  children: PlanNode[];
}

/** How bad a finding is. */
export type FindingLevel = 'info' | 'warn' | 'crit';

/** The stable codes of findings. */
export type FindingCode =
  | 'SLOW_NODE'
  | 'COSTLY_NODE'
  | 'MISESTIMATE'
  | 'FILTER_REMOVES_ROWS'
  | 'DISK_SORT'
  | 'HASH_BATCHES'
  | 'SEQ_SCAN_LARGE'
  | 'NESTED_LOOP_MANY'
  | 'HEAP_FETCHES'
  | 'WORKERS_NOT_LAUNCHED';

/** Something worth a look at one node. */
export interface Finding {
  code: FindingCode;
  /** The node's `id`. */
  node: string;
  level: FindingLevel;
  message: string;
  /** The figure the rule compared with its threshold (a share 0..1, a factor, a count). */
  value: number;
}

/** What to try, tied to the node it comes from. */
export type SuggestionKind = 'index' | 'analyze' | 'work_mem' | 'vacuum' | 'parallel_workers';

export interface Suggestion {
  kind: SuggestionKind;
  /** The node's `id`. */
  node: string;
  /** The table concerned, when there is one. */
  table: string | null;
  /** Index columns, in the order to create them (equality first, then one range). */
  columns: string[];
  /** A statement that would do it, for the plan's dialect (review before running). */
  sql: string | null;
  message: string;
}

/** A plan with figures, findings, suggestions and a summary. */
export interface AnalyzedPlan {
  dialect: PlanDialect;
  format: PlanFormat;
  /** Whether the plan has actual rows (EXPLAIN ANALYZE). */
  analyzed: boolean;
  /** Whether the plan has actual times (ANALYZE with TIMING on). */
  timed: boolean;
  root: PlanNode;
  planningMs: number | null;
  executionMs: number | null;
  /** `executionMs`, or the root's inclusive time without one. */
  totalMs: number | null;
  /** The largest total cost of any node (the root's, in practice). */
  totalCost: number | null;
  nodeCount: number;
  queryText: string | null;
  triggers: PlanTrigger[];
  findings: Finding[];
  suggestions: Suggestion[];
  summary: string;
}
