import { loadParser } from '@aishell/sql';
import { LintError } from './errors.js';
import { applyIgnores, type RawFinding } from './ignores.js';
import { findRule, selectRules } from './lint-rules.js';
import { migrationFiles } from './migration-files.js';
import { lintMysql } from './mysql/lint-mysql.js';
import type { MySchema } from './mysql/mysql-checks.js';
import { LineIndex } from './positions.js';
import { lintPostgres } from './postgres/lint-postgres.js';
import {
  type Finding,
  LINT_DEFAULTS,
  LINT_DIALECTS,
  type LintDialect,
  type LintFile,
  type LintOptions,
  type LintResult,
  type MigrationFile,
} from './types.js';

/**
 * Lints migration files: squawk's rules for PostgreSQL (by squawk's names and semantics), rules of the
 * same kind for MySQL/MariaDB. The files are ordered and cut by their tool's layout (`migrationFiles`)
 * unless `layout: false`. Pure: reads nothing but `files`, prints nothing.
 * @example
 * const result = await lintMigrations([{ path: '001_add_index.sql', text }], { dialect: 'postgres' });
 * process.exitCode = lintExitCode(result); // 0 clean, 8 warnings, 9 errors
 */
export async function lintMigrations(files: readonly LintFile[], options: LintOptions): Promise<LintResult> {
  const { dialect, signal } = options;
  if (!LINT_DIALECTS.includes(dialect))
    throw new LintError('LINT_BAD_OPTION', `dialect: expected postgres or mysql, got ${String(dialect)}`);
  const pgVersion = options.pgVersion ?? LINT_DEFAULTS.pgVersion;
  if (typeof pgVersion !== 'number' || !Number.isFinite(pgVersion) || pgVersion < 9 || pgVersion > 100)
    throw new LintError(
      'LINT_BAD_OPTION',
      `pgVersion: expected a PostgreSQL major version such as 15, got ${String(pgVersion)}`,
    );
  for (const f of files) {
    if (typeof f?.path !== 'string' || typeof f.text !== 'string')
      throw new LintError('LINT_BAD_OPTION', 'files: every file needs a string path and a string text');
  }
  const rules = selectRules(dialect, options.rules);
  aborted(signal);
  if (dialect === 'postgres') await abortable(loadParser('postgres'), signal);

  const layout =
    (options.layout ?? LINT_DEFAULTS.layout)
      ? migrationFiles(files)
      : { files: files.map(plainFile), skipped: [] };
  const findings: Finding[] = [];
  const schema: MySchema = new Map();
  for (const file of layout.files) {
    aborted(signal);
    findings.push(
      ...lintFile(
        file,
        dialect,
        rules,
        Math.floor(pgVersion),
        options.assumeInTransaction ?? file.inTransaction,
        schema,
      ),
    );
  }
  return { findings, files: layout.files.map((f) => f.path), skipped: layout.skipped };
}

function lintFile(
  file: MigrationFile,
  dialect: LintDialect,
  rules: ReadonlySet<string>,
  pgVersion: number,
  assumeInTransaction: boolean,
  schema: MySchema,
): Finding[] {
  const { text, up: region } = file;
  const { findings, spans } =
    dialect === 'postgres'
      ? lintPostgres({ text, region, pgVersion, assumeInTransaction, rules })
      : lintMysql({ text, region, rules, schema });
  const lines = new LineIndex(text);
  const kept = applyIgnores({
    text,
    dialect,
    region,
    spans,
    lines,
    findings,
    canonical: (name) => findRule(dialect, name)?.name,
    enabled: rules,
  }).filter((f) => rules.has(f.rule));
  kept.sort((a, b) => a.offset - b.offset || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return kept.map((raw) => finding(raw, file.path, dialect, lines));
}

function finding(raw: RawFinding, path: string, dialect: LintDialect, lines: LineIndex): Finding {
  const rule = findRule(dialect, raw.rule);
  const { line, column } = lines.at(raw.offset);
  return {
    rule: raw.rule,
    level: rule?.level ?? 'warning',
    file: path,
    line,
    column,
    message: raw.message,
    why: rule?.why ?? '',
    fix: raw.fix ?? rule?.fix ?? '',
  };
}

function plainFile(f: LintFile): MigrationFile {
  return {
    path: f.path,
    text: f.text,
    tool: 'plain',
    version: undefined,
    name: f.path,
    up: { start: 0, end: f.text.length },
    inTransaction: false,
    down: null,
  };
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LintError('LINT_ABORTED', 'the lint was aborted', { cause: signal.reason });
}

function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(new LintError('LINT_ABORTED', 'the lint was aborted', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
