// @aishell/advise: index advice. Candidates from the columns a statement filters, joins, sorts and
// groups on, proven on PostgreSQL with HypoPG hypothetical indexes (dexter's method), unproven from the
// plan elsewhere. It takes a function that runs a query; it imports no driver and prints nothing.
export { adviseIndexes } from './advise-indexes.js';
export { AdviseError, type AdviseErrorCode } from './errors.js';
export { MYSQL_MIN_ROWS, MYSQL_UNPROVEN } from './mysql-advisor.js';
export { postgresSpelling } from './postgres-spelling.js';
export { SQLITE_UNPROVEN } from './sqlite-advisor.js';
export {
  type ColumnClause,
  type ColumnUse,
  type Comparison,
  type RelationName,
  type ShapeKind,
  type StatementShape,
  statementShape,
} from './statement-shape.js';
export {
  ADVISE_DEFAULTS,
  ADVISE_DIALECTS,
  type AdviceReport,
  type AdviseDialect,
  type AdviseOptions,
  type AdviseRun,
  type HypopgStatus,
  type IndexAdvice,
  type IndexDrop,
  type StatementAdvice,
  type StatementCost,
  type StatementStatus,
} from './types.js';
