// @aishell/backup: backups as data. It wraps the dump and restore tools (pg_dump/pg_restore,
// mariadb-dump/mysqldump and the mariadb/mysql client, SQLite's VACUUM INTO, PGlite's dumpDataDir),
// passing passwords only through the environment or a 0600 option file; keeps the catalog (one manifest
// per archive, written last and atomically); checksums, row counts, retention. It takes connection
// configs and a way to run queries from engine, and prints nothing.
export {
  ARCHIVE_EXTENSION,
  BackupCatalog,
  newBackupId,
} from './backup-catalog.js';
export {
  BACKUP_FORMAT,
  type DumpOptions,
  type DumpResult,
  type DumpTool,
  type DumpToolOptions,
  dumpDatabase,
  dumpTool,
} from './dump-database.js';
export { BackupError, type BackupErrorCode } from './errors.js';
export { quoteOptionValue, withOptionFile } from './option-file.js';
export { dumpPglite, loadPgliteArchive } from './pglite-archive.js';
export { RESTORE_ENGINE, type RestoreOptions, restoreArchive } from './restore-archive.js';
export { compareRowCounts, countObjects, countRows, type RowCountDifference } from './row-counts.js';
export { type RunToolOptions, type RunToolResult, runTool } from './run-tool.js';
export { type PruneRule, selectPrune } from './select-prune.js';
export { sha256File } from './sha256-file.js';
export {
  mysqlClientArgs,
  mysqlDumpArgs,
  mysqlToolEnv,
  type PgRestoreArgOptions,
  pgDbnameArg,
  pgDumpArgs,
  pgRestoreArgs,
  pgToolEnv,
} from './tool-args.js';
export { tableDoneReader } from './tool-progress.js';
export {
  type BackupTool,
  checkMysqlToolVersion,
  checkPgToolVersion,
  checkRestoreToolVersion,
  findTool,
  locateTool,
  parseMysqlServerVersion,
  parseToolVersion,
  pgMajor,
  type ToolVersion,
} from './tool-version.js';
export {
  BACKUP_ENGINES,
  type BackupConnection,
  type BackupEngine,
  type BackupEntry,
  type BackupFormat,
  type BackupProgress,
  type BackupRun,
  type BackupTable,
} from './types.js';
