import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DaemonTokenError } from './errors.js';

/** The environment variable that sets the bearer token (it wins over the token file). */
export const DAEMON_TOKEN_ENV = 'AISHELL_DAEMON_TOKEN';

/** Shortest token accepted, from the environment or the file: a guessable token is no token. */
export const MIN_TOKEN_LENGTH = 16;

/** Where the daemon's bearer token came from. */
export interface DaemonToken {
  readonly token: string;
  /** `env`: AISHELL_DAEMON_TOKEN; `file`: an existing token file; `created`: the file written just now. */
  readonly source: 'env' | 'file' | 'created';
  /** The token file, unless the token came from the environment. */
  readonly file: string | undefined;
}

export interface ResolveDaemonTokenOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** The token file (`resolvePaths(env).daemonTokenFile`: `$XDG_CONFIG_HOME/aishell/daemon-token`). */
  readonly file: string;
}

function checked(token: string, where: string, file?: string): string {
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new DaemonTokenError(
      `the daemon token in ${where} is shorter than ${MIN_TOKEN_LENGTH} characters`,
      {
        ...(file ? { file } : {}),
      },
    );
  }
  return token;
}

/**
 * The bearer token: AISHELL_DAEMON_TOKEN if set, else the token file, which is created on first use
 * with 32 random bytes as hex, mode 0600, in a 0700 folder.
 */
export async function resolveDaemonToken(options: ResolveDaemonTokenOptions): Promise<DaemonToken> {
  const env = options.env ?? process.env;
  const fromEnv = env[DAEMON_TOKEN_ENV];
  if (fromEnv) return { token: checked(fromEnv.trim(), DAEMON_TOKEN_ENV), source: 'env', file: undefined };
  const file = options.file;
  const existing = await readToken(file);
  if (existing !== undefined) return { token: checked(existing, file, file), source: 'file', file };
  const dir = path.dirname(file);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // The folder is aishell's own; it may have been created earlier with the umask's mode.
    await chmod(dir, 0o700);
  } catch (cause) {
    throw new DaemonTokenError(`cannot create the folder of the daemon token file ${file}`, { cause, file });
  }
  const token = randomBytes(32).toString('hex');
  try {
    // `wx`: never overwrite a token another aishelld wrote in the meantime.
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readToken(file);
      if (raced !== undefined) return { token: checked(raced, file, file), source: 'file', file };
    }
    throw new DaemonTokenError(`cannot write the daemon token file ${file}`, { cause, file });
  }
  // The umask may have narrowed the mode at creation, never widened it; make it exact anyway.
  await chmod(file, 0o600);
  return { token, source: 'created', file };
}

async function readToken(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DaemonTokenError(`cannot read the daemon token file ${file}`, { cause, file });
  }
}
