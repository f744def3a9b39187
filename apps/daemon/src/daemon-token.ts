import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, writeFile } from 'node:fs/promises';
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

/** Quote a path for the `chmod` a message suggests, only when it needs it. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The token in `file`, or undefined if there is none. A file other users can read or write, or that
 * belongs to someone else, is refused, as ssh refuses such a private key (and the vault such a vault).
 */
async function readToken(file: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DaemonTokenError(`cannot read the daemon token file ${file}`, { cause, file });
  }
  try {
    // The mode of the file as opened, so it cannot be swapped between the check and the read.
    const info = await handle.stat();
    if (process.platform !== 'win32') {
      const uid = process.getuid?.();
      if (uid !== undefined && info.uid !== uid) {
        throw new DaemonTokenError(
          `the daemon token file ${file} belongs to another user (uid ${info.uid}); refusing it. Run: chown ${uid} ${shellQuote(file)}`,
          { file },
        );
      }
      if ((info.mode & 0o077) !== 0) {
        const mode = `0${(info.mode & 0o777).toString(8)}`;
        throw new DaemonTokenError(
          `the daemon token file ${file} is open to other users (mode ${mode}); refusing it. Run: chmod 600 ${shellQuote(file)}`,
          { file },
        );
      }
    }
    return (await handle.readFile('utf8')).trim();
  } catch (cause) {
    if (cause instanceof DaemonTokenError) throw cause;
    throw new DaemonTokenError(`cannot read the daemon token file ${file}`, { cause, file });
  } finally {
    await handle.close();
  }
}
