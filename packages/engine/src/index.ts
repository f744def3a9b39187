export type {
  AdviceReport,
  AdviseErrorCode,
  HypopgStatus,
  IndexAdvice,
  IndexDrop,
  StatementAdvice,
  StatementCost,
  StatementStatus,
} from '@aishell/advise';
export type {
  BackupEngine,
  BackupEntry,
  BackupErrorCode,
  BackupFormat,
  BackupProgress,
  BackupTable,
  RowCountDifference,
} from '@aishell/backup';
export type { CacheLocalStats } from '@aishell/cache';
export type {
  HealthCheckResult,
  HealthObject,
  HealthOptions,
  HealthReport,
  HealthStatus,
} from '@aishell/health';
export type {
  Finding as LintFinding,
  LintDialect,
  LintLevel,
  LintResult,
} from '@aishell/lint';
// The daemon's live figures (issue 17): per-fingerprint sliding windows and the N+1 detector, as types
// here and as values through loadLiveMetrics() (an import(), kept out of the CLI's start-up bundle).
export type {
  FingerprintSummary,
  FingerprintWindows,
  LogFormat,
  LogLayout,
  NPlusOneDetector,
  NPlusOneFinding,
  WindowSummary,
} from '@aishell/metrics';
export type { AnalyzedPlan, ExplainDocument, Finding, RenderPlanOptions } from '@aishell/plan';
export {
  type ColumnInfo,
  type DialectName,
  type Field,
  parseConnectionUrl,
  redactUrl,
  type SchemaInfo,
  type TableInfo,
} from '@aishell/pool';
export type {
  ApplyCheckResult,
  Hazard,
  HazardCode,
  PlanStatement,
  SchemaModel,
  SchemaPlan,
  UnsupportedDifference,
} from '@aishell/schema';
export {
  type Analysis,
  analyze,
  formatSql,
  looksLikeSql,
  type Risk,
  riskAtLeast,
  type SqlDialect,
  type SqlToken,
  type SqlTokenKind,
  type StatementAnalysis,
  type StatementKind,
  splitStatements,
  tokenizeSql,
} from '@aishell/sql';
export {
  type AdviseDocument,
  type AdviseSessionOptions,
  advise,
  type CreatedIndex,
  type CreateIndexesOptions,
  createIndexes,
  type IndexBuildProgress,
  indexesToCreate,
} from './advise.js';
export {
  ASK_DEFAULTS,
  type AskContextDocument,
  type AskOptions,
  type AskProvider,
  type AskResult,
  type AskTurn,
  ask,
  askContext,
  resolveAskProvider,
  schemaIndexOf,
} from './ask.js';
export {
  type BackupCreateOptions,
  type BackupPlaceOptions,
  type BackupPruneOptions,
  type BackupPruneResult,
  type BackupRestoreOptions,
  type BackupRestoreResult,
  type BackupVerifyOptions,
  type BackupVerifyResult,
  backupCreate,
  backupList,
  backupPrune,
  backupRestore,
  backupVerify,
} from './backup.js';
export {
  type AishellConfig,
  type BackupJobConfig,
  type BackupsConfig,
  type DaemonConfig,
  EMPTY_CONFIG,
  loadConfig,
  type NlConfig,
  type SavedConnection,
  saveConfig,
  savedConnection,
} from './config.js';
export {
  type ConnectionSource,
  type ConnectionTarget,
  demoUrl,
  resolveConnectionTarget,
} from './connection-target.js';
export {
  type AddConnectionOptions,
  type AddConnectionResult,
  addConnection,
  connectionSecretEntry,
  listConnections,
  removeConnection,
  type SavedConnectionInfo,
} from './connections.js';
export { type EnsureDemoOptions, type EnsureDemoResult, ensureDemo } from './demo.js';
export {
  type AishellErrorCode,
  ConfigError,
  EngineError,
  type EngineErrorCode,
  ReadOnlyError,
  SafetyError,
  ScratchCopyError,
  UnknownConnectionError,
  UsageError,
} from './errors.js';
export {
  type ExplainOptions,
  explain,
  explainPlanText,
  planDocument,
  renderPlanText,
} from './explain.js';
export { health, healthExitCode } from './health.js';
export { type LiveMetrics, loadLiveMetrics } from './live-metrics.js';
export {
  type HistoryRecord,
  historyEnabled,
  METRICS_HISTORY_DEFAULTS,
  MetricsHistory,
  type MetricsHistoryOptions,
  metricsHistoryFile,
  type ReadHistoryOptions,
  readHistory,
} from './metrics-history.js';
export {
  type FingerprintFigures,
  type LatencyFigures,
  type MetricsReport,
  type MetricsReportOptions,
  metricsReport,
  readMetrics,
} from './metrics-report.js';
export {
  type MigrateLintOptions,
  type MigrateLintResult,
  migrateLint,
  readMigrationPath,
} from './migrate-lint.js';
export {
  type CheckResidue,
  type DirectionReport,
  type LockMode,
  type LockTaken,
  type MigrateTestFailure,
  type MigrateTestOptions,
  type MigrateTestProgress,
  type MigrateTestResult,
  type MigrationChecks,
  type MigrationDirection,
  type MigrationReport,
  type MigrationStatus,
  migrateTest,
  type RelationKind,
  type SampleCopy,
  type StatementFlag,
  type StatementReport,
  type TransactionMode,
} from './migrate-test.js';
export {
  ANALYZE_N_PLUS_ONE_DEFAULTS,
  type AnalyzeNPlusOneOptions,
  analyzeNPlusOne,
  type NPlusOneLogFinding,
  type NPlusOneLogReport,
} from './n-plus-one/analyze-n-plus-one.js';
export { type AishellPaths, resolvePaths } from './paths.js';
export {
  CacheNotConfiguredError,
  isCacheable,
  openCache,
  QUERY_CACHE_DEFAULTS,
  type QueryCacheOptions,
  type RedisUrlChoice,
  resolveRedisUrl,
  tableTag,
} from './query-cache.js';
export { jsonReplacer, resultsDocument, statementDocument, toJson } from './result-document.js';
export {
  type SchemaDiffOptions,
  type SchemaDiffResult,
  type SchemaSideInfo,
  type SchemaSource,
  schemaDiff,
  schemaSource,
} from './schema-diff.js';
export {
  closeAllScratch,
  copySchema,
  introspectOptionsLike,
  type OpenScratchOptions,
  openScratch,
  SCRATCH_PREFIX,
  type ScratchDatabase,
} from './scratch.js';
export { type OpenSessionOptions, type RunOptions, Session, withPassword } from './session.js';
export type { RunResult, StatementResult } from './statement-result.js';
export {
  createVault,
  forgetVaultPassword,
  openVault,
  rememberVaultPassword,
  rotateVault,
  VAULT_KEYCHAIN_ENV,
  VAULT_NEW_PASSWORD_ENV,
  VAULT_PASSWORD_ENV,
  type VaultAccessOptions,
  type VaultPasswordPurpose,
  VaultSecrets,
  type VaultStatus,
  vaultStatus,
} from './vault-access.js';
