// @aishell/lint: migration linting as data. squawk's rules for PostgreSQL (under squawk's names),
// rules of the same kind for MySQL/MariaDB, the layouts of the common migration tools. Pure: it takes
// the files' texts and returns findings; it reads no file and prints nothing.
export { LintError, type LintErrorCode } from './errors.js';
export { lintExitCode } from './lint-exit-code.js';
export { lintMigrations } from './lint-migrations.js';
export { LINT_RULES } from './lint-rules.js';
export { migrationFiles } from './migration-files.js';
export {
  type Finding,
  LINT_DEFAULTS,
  LINT_DIALECTS,
  type LintDialect,
  type LintFile,
  type LintLevel,
  type LintOptions,
  type LintResult,
  type LintRule,
  type MigrationDown,
  type MigrationFile,
  type MigrationLayout,
  type MigrationTool,
  type SkipReason,
} from './types.js';
