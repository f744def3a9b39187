import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@aishell/atomic-file';
// zod/mini: the same validation with tree-shakable functions; the full zod build is several hundred
// kilobytes that every aishell command would parse at start-up. English messages are opted into below.
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { ConfigError } from './errors.js';
import type { AishellPaths } from './paths.js';

z.config(en());

const nonEmpty = () => z.string().check(z.minLength(1));

const savedConnectionSchema = z.object({
  /** The URL without its password. */
  url: nonEmpty(),
  /** Name of the vault entry that holds the password, if one was saved. */
  passwordEntry: z.optional(nonEmpty()),
});

const absolutePath = () =>
  z.string().check(
    z.minLength(1),
    z.refine((value) => path.isAbsolute(value), 'must be an absolute path'),
  );

/**
 * What aishelld may open besides saved connections and `demo` (docs/daemon.md). Strict: a misspelt
 * key is an error rather than an allowlist that silently allows nothing.
 */
const daemonSchema = z.strictObject({
  /** Network URL prefixes without passwords, such as `postgres://db.internal:5432/`; also `sqlite::memory:`. */
  allowUrls: z._default(z.array(nonEmpty()), []),
  /** Folders whose existing SQLite files and PGlite databases aishelld may open. */
  allowFolders: z._default(z.array(absolutePath()), []),
});

/**
 * One backup job aishelld runs on a schedule (docs/cli.md, "aishell backup"). Strict, as the daemon's
 * section: a misspelt key is an error rather than a job that silently never prunes.
 */
const backupJobSchema = z.strictObject({
  /** Names the job in /metrics (`job="..."`) and in the log; letters, digits, `_`, `-` and `.`. */
  name: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _, - and . (at most 64)')),
  /** A saved connection name or a URL without a password (`demo` included). */
  connection: nonEmpty(),
  /** A cron expression (5 fields, or 6 with seconds first), read by croner; `@daily` and the like too. */
  schedule: nonEmpty(),
  /** The catalog folder. @default $XDG_DATA_HOME/aishell/backups */
  dir: z.optional(absolutePath()),
  /** After each success, keep this many backups of the job's database (prune). @default no pruning */
  keep: z.optional(z.int().check(z.minimum(0))),
  /** With `keep`: also keep every backup younger than this many days. */
  keepDays: z.optional(z.number().check(z.minimum(0))),
});

/** What aishelld backs up, and when. */
const backupsSchema = z.strictObject({
  jobs: z._default(z.array(backupJobSchema), []),
});

/**
 * How `aishell ask` uses a language model (docs/nl.md). Strict: a misspelt key is an error rather
 * than a setting that silently does nothing.
 */
const nlSchema = z.strictObject({
  /** How much of the schema the model is told: names, types, comments (the default) or samples. */
  context: z.optional(z.enum(['names', 'types', 'comments', 'samples'])),
  /** Upper bound of the schema part of the prompt, in estimated tokens. @default 4000 */
  tokenBudget: z.optional(z.int().check(z.minimum(100))),
  /** Further tries after an answer fails its checks. @default 2 */
  maxRepairs: z.optional(z.int().check(z.minimum(0), z.maximum(10))),
  /** With a provider configured, the offline translator answers from this confidence on. @default 0.8 */
  offlineConfidence: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  /** Sampling temperature sent to OpenAI-compatible servers; null sends none (reasoning models). @default 0 */
  temperature: z.optional(z.nullable(z.number().check(z.minimum(0), z.maximum(2)))),
  /** false: a configured provider answers every question (the offline translator is not tried first). @default true */
  offlineFirst: z.optional(z.boolean()),
});

const configSchema = z.object({
  defaultConnection: z.optional(nonEmpty()),
  connections: z._default(z.record(z.string(), savedConnectionSchema), {}),
  daemon: z.optional(daemonSchema),
  backups: z.optional(backupsSchema),
  nl: z.optional(nlSchema),
});

export type SavedConnection = z.infer<typeof savedConnectionSchema>;
export type DaemonConfig = z.infer<typeof daemonSchema>;
export type BackupJobConfig = z.infer<typeof backupJobSchema>;
export type BackupsConfig = z.infer<typeof backupsSchema>;
export type NlConfig = z.infer<typeof nlSchema>;
export type AishellConfig = z.infer<typeof configSchema>;

export const EMPTY_CONFIG: AishellConfig = Object.freeze({
  connections: Object.freeze(Object.create(null)),
}) as AishellConfig;

/**
 * The saved connection called `name`, if there is one. An own-property lookup: names such as
 * `toString`, `constructor` or `__proto__` are unknown unless really saved, whatever object holds them.
 */
export function savedConnection(config: AishellConfig, name: string): SavedConnection | undefined {
  return Object.hasOwn(config.connections, name) ? config.connections[name] : undefined;
}

/** Read and validate the config file; a missing file is the empty config. The result is frozen. */
export async function loadConfig(paths: AishellPaths): Promise<AishellConfig> {
  let text: string;
  try {
    text = await readFile(paths.configFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    throw new ConfigError(`cannot read ${paths.configFile}: ${(error as Error).message}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${paths.configFile} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `${paths.configFile}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  // Without a prototype, so that `connections[name]` finds nothing for `toString` or `constructor`.
  const connections: Record<string, SavedConnection> = Object.assign(
    Object.create(null),
    parsed.data.connections,
  );
  return deepFreeze({ ...parsed.data, connections });
}

/**
 * Write the config atomically (the vault's temporary file, fsync, rename, folder fsync), mode 0600 in a
 * 0700 folder. The `daemon` and `backups` sections are the operator's, edited by hand: a config given
 * without one keeps the file's, so that saving or removing a connection never drops the daemon's
 * allowlist or its backup jobs.
 */
export async function saveConfig(paths: AishellPaths, config: AishellConfig): Promise<void> {
  let next = config;
  if (config.daemon === undefined || config.backups === undefined) {
    const current = await loadConfig(paths).catch(() => undefined);
    if (config.daemon === undefined && current?.daemon) next = { ...next, daemon: current.daemon };
    if (config.backups === undefined && current?.backups) next = { ...next, backups: current.backups };
  }
  const valid = configSchema.parse(next);
  await mkdir(path.dirname(paths.configFile), { recursive: true, mode: 0o700 });
  await writeFileAtomic(paths.configFile, `${JSON.stringify(valid, null, 2)}\n`, 0o600);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
