// `aishell migrate lint <files or folders>`: the files read from disk (folders walked), @aishell/lint
// (loaded on use) orders them by their migration tool's layout and lints what migrates up.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LintDialect, LintFile, LintResult } from '@aishell/lint';
import { UsageError } from './errors.js';

export interface MigrateLintOptions {
  /** Files and folders, as the person named them (findings name files under these). */
  readonly paths: readonly string[];
  /** @default 'postgres' (squawk's dialect) */
  readonly dialect?: LintDialect;
  /** `--pg-version N`. @default 15 */
  readonly pgVersion?: number;
  /** `--assume-in-transaction`: lint every file as if it ran in one transaction. */
  readonly assumeInTransaction?: boolean;
  /** `--rule`: only these rules (an unknown name throws LINT_UNKNOWN_RULE, a usage error). */
  readonly rules?: readonly string[];
  /** Where relative paths start. @default process.cwd() */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
}

export interface MigrateLintResult extends LintResult {
  readonly dialect: LintDialect;
  /** 0 clean, 8 warnings only, 9 an error-level finding (PRODUCT.md). */
  readonly exitCode: 0 | 8 | 9;
}

/** Folders that hold no migrations of the project's own. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/**
 * Lints migration files: a folder is read whole (the layouts of dbmate, goose, golang-migrate, Flyway,
 * Prisma and timestamped names are recognised), a file as it is.
 * @example const r = await migrateLint({ paths: ['db/migrations'], dialect: 'postgres' }); process.exitCode = r.exitCode;
 * @throws UsageError for a path that does not exist or a folder without .sql files; LintError for a bad option
 */
export async function migrateLint(options: MigrateLintOptions): Promise<MigrateLintResult> {
  const files = await readMigrationPaths(options.paths, 'lint', options.cwd);
  const { lintExitCode, lintMigrations } = await import('@aishell/lint');
  const dialect = options.dialect ?? 'postgres';
  const result = await lintMigrations(files, {
    dialect,
    ...(options.pgVersion !== undefined ? { pgVersion: options.pgVersion } : {}),
    ...(options.assumeInTransaction ? { assumeInTransaction: true } : {}),
    ...(options.rules && options.rules.length > 0 ? { rules: options.rules } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { ...result, dialect, exitCode: lintExitCode(result) };
}

/**
 * The files of every path named (`migrate lint` and `migrate test`): each must exist and hold .sql files.
 * @throws UsageError naming the path
 */
export async function readMigrationPaths(
  paths: readonly string[],
  verb: 'lint' | 'test',
  cwd: string = process.cwd(),
): Promise<LintFile[]> {
  if (paths.length === 0) throw new UsageError(`name the migration files or folders to ${verb}`);
  const files: LintFile[] = [];
  for (const given of paths) {
    const found = await readMigrationPath(given, resolve(cwd, given));
    if (!found.some((f) => /\.sql$/i.test(f.path)))
      throw new UsageError(`no .sql migration files in ${given}`);
    files.push(...found);
  }
  return files;
}

/** The files under one path: a file itself, or every file of a folder (recursively), named under `given`. */
export async function readMigrationPath(given: string, full: string): Promise<LintFile[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`cannot read ${given}: no such file or folder`);
    throw new UsageError(`cannot read ${given}: ${(error as Error).message}`);
  }
  if (!info.isDirectory()) return [{ path: given, text: await readFile(full, 'utf8') }];
  const out: LintFile[] = [];
  const entries = await readdir(full, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
    const childGiven = join(given, entry.name);
    const childFull = join(full, entry.name);
    if (entry.isDirectory()) out.push(...(await readMigrationPath(childGiven, childFull)));
    // Only SQL is read: the layouts' other files (Prisma's migration_lock.toml, READMEs) are not migrations.
    else if (entry.isFile() && /\.sql$/i.test(entry.name))
      out.push({ path: childGiven, text: await readFile(childFull, 'utf8') });
  }
  return out;
}
