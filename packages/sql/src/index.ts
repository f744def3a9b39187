export { type AnalyzeOptions, analyze, analyzeSync } from './analyze.js';
export {
  SqlAbortedError,
  SqlError,
  type SqlErrorCode,
  SqlFormatError,
  SqlParseError,
  type SqlParseErrorLocation,
  SqlParserNotLoadedError,
} from './errors.js';
export { FORMAT_SQL_DEFAULTS, type FormatSqlOptions, formatSql } from './format-sql.js';
export { type PostgresParseTree, type PostgresRawStatement, parsePostgres } from './parse-postgres.js';
export { isParserLoaded, loadParser } from './parser-loader.js';
export { readOnlyRefusal } from './read-only-refusal.js';
export { highestRisk, riskAtLeast } from './risk.js';
export { splitStatements } from './split-statements.js';
export { looksLikeSql } from './statement-start.js';
export { type SqlToken, type SqlTokenKind, tokenizeSql } from './tokenize-sql.js';
export {
  type Analysis,
  type Risk,
  SQL_DIALECTS,
  type SqlDialect,
  type StatementAnalysis,
  type StatementKind,
  type StatementSpan,
} from './types.js';
