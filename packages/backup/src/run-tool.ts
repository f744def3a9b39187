import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { abortedError, BackupError } from './errors.js';

/** Lines of a tool's stderr kept for the error message when it fails. */
const STDERR_TAIL_LINES = 12;

export interface RunToolOptions {
  /** The program (absolute path) and its arguments, passed as an array: no shell ever parses them. */
  readonly file: string;
  readonly args: readonly string[];
  /** The tool's whole environment. */
  readonly env: Readonly<Record<string, string>>;
  /** The tool's name in messages (`pg_dump`). */
  readonly name: string;
  /** Where the tool's stdout goes (created 0600, must not exist), hashed and counted on the way. */
  readonly stdoutFile?: string;
  /** A file fed to the tool's stdin (a SQL dump for the mysql client). */
  readonly stdinFile?: string;
  /** Each line the tool prints on stderr (its verbose progress). */
  readonly onStderrLine?: (line: string) => void;
  /** Bytes written to `stdoutFile`, or read from `stdinFile`, so far. */
  readonly onBytes?: (bytes: number) => void;
  /** Stops the tool (SIGTERM) at once, synchronously, and rejects with BACKUP_ABORTED. */
  readonly signal?: AbortSignal;
}

export interface RunToolResult {
  /** Hex sha256 of what was written to `stdoutFile` (empty without one). */
  readonly sha256: string;
  /** Bytes written to `stdoutFile`, or read from `stdinFile`. */
  readonly bytes: number;
}

/**
 * Runs a dump or restore tool to the end. A failure (exit status, signal) rejects with
 * BACKUP_TOOL_FAILED holding the last lines the tool printed; the caller removes what it wrote.
 */
export async function runTool(options: RunToolOptions): Promise<RunToolResult> {
  const { signal } = options;
  if (signal?.aborted) throw abortedError(signal, options.name);
  // Opened before the tool starts, synchronously: an abort can never race a file still being created.
  const outFd = options.stdoutFile ? openSync(options.stdoutFile, 'wx', 0o600) : undefined;
  const child = spawn(options.file, [...options.args], {
    env: { ...options.env },
    stdio: [options.stdinFile ? 'pipe' : 'ignore', outFd === undefined ? 'ignore' : 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGTERM');
  signal?.addEventListener('abort', kill, { once: true });

  const tail: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
      options.onStderrLine?.(line);
    }
  });

  const hash = createHash('sha256');
  let bytes = 0;
  const count = (chunk: Buffer) => {
    bytes += chunk.length;
    options.onBytes?.(bytes);
  };
  const streams: Promise<void>[] = [];
  if (outFd !== undefined && child.stdout) {
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        count(chunk);
        done(null, chunk);
      },
    });
    streams.push(pipeline(child.stdout, hashing, createWriteStream('', { fd: outFd, flush: true })));
  }
  if (options.stdinFile && child.stdin) {
    const input = createReadStream(options.stdinFile);
    input.on('data', (chunk) => count(chunk as Buffer));
    // The tool may exit early (an error): its closed stdin is reported through its exit status.
    streams.push(pipeline(input, child.stdin).catch(() => {}));
  }

  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, exitSignal) => resolve({ code, signal: exitSignal }));
  });
  try {
    const [status] = await Promise.all([exit, ...streams]);
    if (signal?.aborted) throw abortedError(signal, options.name);
    if (status.code !== 0) {
      if (partial) tail.push(partial);
      const how =
        status.code === null ? `was killed by ${status.signal}` : `exited with status ${status.code}`;
      const said = tail.filter((l) => l.trim() !== '' && !isProgressLine(l)).slice(-4);
      throw new BackupError(
        'BACKUP_TOOL_FAILED',
        `${options.name} ${how}${said.length > 0 ? `: ${said.join(' | ')}` : ''}`,
      );
    }
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal, options.name);
    if (error instanceof BackupError) throw error;
    throw new BackupError('BACKUP_TOOL_FAILED', `${options.name} failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    signal?.removeEventListener('abort', kill);
    if (outFd !== undefined && !child.stdout) closeSync(outFd);
  }
  return { sha256: outFd === undefined ? '' : hash.digest('hex'), bytes };
}

/** The tools' verbose chatter, left out of an error message in favour of the error itself. */
function isProgressLine(line: string): boolean {
  return (
    /^(pg_dump|pg_restore): (reading|dumping|processing|creating|saving|last built-in|identifying|finding|flagging|executing|setting|connecting|implied)/.test(
      line,
    ) ||
    /^-- (Connecting|Starting|Setting|Retrieving|Sending|Rolling|Releasing|Disconnecting|It's)/.test(line)
  );
}
