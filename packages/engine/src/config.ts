import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@aishell/vault';
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

const configSchema = z.object({
  defaultConnection: z.optional(nonEmpty()),
  connections: z._default(z.record(z.string(), savedConnectionSchema), {}),
});

export type SavedConnection = z.infer<typeof savedConnectionSchema>;
export type AishellConfig = z.infer<typeof configSchema>;

export const EMPTY_CONFIG: AishellConfig = Object.freeze({ connections: {} }) as AishellConfig;

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
  return deepFreeze(parsed.data);
}

/** Write the config atomically (the vault's temporary file, fsync, rename, folder fsync), mode 0600 in a 0700 folder. */
export async function saveConfig(paths: AishellPaths, config: AishellConfig): Promise<void> {
  const valid = configSchema.parse(config);
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
