import {
  type LintDialect,
  type LintFinding,
  type MigrateLintResult,
  migrateLint,
  UsageError,
} from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';

/** `migrate lint --json` (PRODUCT.md): the findings, and which files were read and which left out. */
export interface MigrateLintDocument {
  readonly dialect: LintDialect;
  readonly findings: readonly LintFinding[];
  readonly files: readonly string[];
  readonly skipped: MigrateLintResult['skipped'];
}

export default class MigrateLint extends BaseCommand {
  static override summary =
    "Lint migrations before they run: squawk's rules for PostgreSQL, their MySQL/MariaDB kin (exit 0, 8 warnings, 9 errors).";
  static override description =
    "Every rule squawk has for PostgreSQL, under squawk's names (require-concurrent-index-creation, " +
    "adding-field-with-default, ban-drop-column, require-timeout-settings, ...), read with PostgreSQL's own parser, " +
    'and MySQL/MariaDB rules of the same kind (mysql-table-copy, require-algorithm-lock, ban-utf8-charset, ...). ' +
    'Folders are read in the layout of dbmate, goose, golang-migrate, Flyway, Prisma or timestamped names; only what ' +
    'migrates up is linted. A table created earlier in the same file is new and exempt from lock rules. Each finding ' +
    'gives file, line, column, why it matters and the safe way to write it. Disable a rule for one statement with ' +
    '`-- aishell-ignore <rule>: <reason>` (a reason is required). The rules, with examples: docs/lint-rules.md.';
  static override examples = [
    { description: 'A folder of migrations', command: '<%= config.bin %> migrate lint db/migrations' },
    {
      description: 'As squawk would, for PostgreSQL 12, inside a transaction',
      command: '<%= config.bin %> migrate lint migrations/ --pg-version 12 --assume-in-transaction',
    },
    {
      description: 'Two rules only, as JSON',
      command:
        '<%= config.bin %> migrate lint 001_init.sql --rule require-concurrent-index-creation,ban-drop-column --json',
    },
    {
      description: 'MySQL migrations',
      command: '<%= config.bin %> migrate lint migrations/ --dialect mysql',
    },
  ];
  static override strict = false;
  static override args = {};
  static override flags = {
    dialect: Flags.string({
      char: 'd',
      description: 'the database the migrations run on',
      options: ['postgres', 'mysql', 'mariadb'],
      default: 'postgres',
    }),
    'pg-version': Flags.integer({
      description: 'PostgreSQL major version the migrations run on (what is safe depends on it)',
      min: 9,
      max: 99,
    }),
    'assume-in-transaction': Flags.boolean({
      description: "lint each file as if it ran inside one transaction (as squawk's option)",
    }),
    rule: Flags.string({ description: 'run only these rules (comma-separated or repeated)', multiple: true }),
  };
  static override usage =
    'migrate lint <files or folders...> [--dialect] [--pg-version N] [--assume-in-transaction] [--rule <name>...] [--json]';

  async run(): Promise<MigrateLintDocument> {
    const { argv, flags } = await this.parse(MigrateLint);
    const paths = argv as string[];
    if (paths.length === 0)
      throw new UsageError(
        'name the migration files or folders to lint, e.g. aishell migrate lint db/migrations',
      );
    const rules = flags.rule
      ?.flatMap((r) => r.split(','))
      .map((r) => r.trim())
      .filter(Boolean);
    const result = await migrateLint({
      paths,
      dialect: flags.dialect === 'postgres' ? 'postgres' : 'mysql',
      ...(flags['pg-version'] !== undefined ? { pgVersion: flags['pg-version'] } : {}),
      ...(flags['assume-in-transaction'] ? { assumeInTransaction: true } : {}),
      ...(rules && rules.length > 0 ? { rules } : {}),
    });
    process.exitCode = result.exitCode;
    const doc: MigrateLintDocument = {
      dialect: result.dialect,
      findings: result.findings,
      files: result.files,
      skipped: result.skipped,
    };
    return this.present(doc, lintText);
  }
}

/** squawk's shape: `file:line:column: level[rule] message`, then why and the fix, then the tally. */
function lintText(doc: MigrateLintDocument): string {
  const lines: string[] = [];
  for (const f of doc.findings) {
    lines.push(`${f.file}:${f.line}:${f.column}: ${f.level}[${f.rule}] ${f.message}`);
    lines.push(`  why: ${f.why}`);
    for (const [i, fixLine] of f.fix.split('\n').entries())
      lines.push(`${i === 0 ? '  fix: ' : '       '}${fixLine}`);
    lines.push('');
  }
  const files = `${doc.files.length} file${doc.files.length === 1 ? '' : 's'}`;
  const errors = doc.findings.filter((f) => f.level === 'error').length;
  const warnings = doc.findings.length - errors;
  lines.push(
    doc.findings.length === 0
      ? `no findings in ${files}`
      : `${doc.findings.length} finding${doc.findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}) in ${files}`,
  );
  return `${lines.join('\n')}\n`;
}
