import { Buffer } from 'node:buffer';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@aishell/atomic-file';
import type { AishellPaths } from './paths.js';

/**
 * One statement in the metrics history. Holds the normalized text (literals replaced by placeholders), never
 * the statement as written, so a password or any other literal in a WHERE clause never reaches the file.
 */
export interface HistoryRecord {
  /** When the statement finished, ISO 8601. */
  readonly time: string;
  /** `postgres`, `mysql`, `sqlite` or `pglite`. */
  readonly dialect: string;
  /** The saved connection's name, or the URL without its password. */
  readonly connection: string;
  /** The statement kind: `select`, `insert`, ..., `other`. */
  readonly kind: string;
  /**
   * The statement's fingerprint. Absent for PostgreSQL and PGlite: libpg_query's first fingerprint in a
   * process costs ~13 ms of WebAssembly warm-up, which every one-shot command would pay; the report
   * computes it from `normalized`, whose fingerprint is the same (constants and parameters are ignored).
   */
  readonly fingerprint?: string;
  readonly normalized: string;
  readonly durationMs: number;
  /** Rows returned or affected (rows read so far for a stream). */
  readonly rowCount: number;
  /** Served from the query cache. */
  readonly cached: boolean;
  /** The query cache was consulted (a hit or a miss). */
  readonly cacheLookup: boolean;
  readonly ok: boolean;
  /** The error's code when `ok` is false (`POOL_QUERY`, `POOL_TIMEOUT`, ...). */
  readonly errorCode?: string;
}

/** Options of `MetricsHistory`. */
export interface MetricsHistoryOptions {
  /** The NDJSON file. */
  readonly file: string;
  /**
   * Records kept: once the file holds more than twice this many, it is rewritten with the newest ones.
   * @default 10000
   */
  readonly maxRecords?: number;
}

/** Defaults of every optional field of `MetricsHistoryOptions`. */
export const METRICS_HISTORY_DEFAULTS = Object.freeze({ maxRecords: 10_000 } as const);

/** `$XDG_STATE_HOME/aishell/metrics.ndjson` (`history` there is the shell's line history). */
export function metricsHistoryFile(paths: AishellPaths): string {
  return path.join(paths.stateDir, 'metrics.ndjson');
}

/** False when `AISHELL_HISTORY=off` (also `0`, `false`, `no`). */
export function historyEnabled(env: NodeJS.ProcessEnv): boolean {
  return !/^(off|0|false|no)$/i.test(env.AISHELL_HISTORY ?? '');
}

/**
 * The bounded, append-only metrics history shared by every aishell process of a user.
 *
 * Each append is one `write` of whole lines to a file opened with O_APPEND, so lines of concurrent processes
 * never interleave. When the file holds more than 2 × `maxRecords` lines, the process that notices rewrites it
 * with the newest `maxRecords` through a temporary file and an atomic rename: a reader sees the old file or
 * the new one. A record another process appends during those few milliseconds may be lost; the file is never
 * corrupt. Appending never throws: the history must never fail a command.
 */
export class MetricsHistory {
  readonly file: string;
  readonly maxRecords: number;
  #bytesWritten = 0;
  #linesWritten = 0;
  /** Do not read the file to count its lines again before it reaches this size. */
  #nextCheckBytes = 0;

  constructor(options: MetricsHistoryOptions) {
    this.file = options.file;
    this.maxRecords = Math.max(1, Math.floor(options.maxRecords ?? METRICS_HISTORY_DEFAULTS.maxRecords));
  }

  /** Append records (one write). Never throws. */
  async append(records: readonly HistoryRecord[]): Promise<void> {
    if (records.length === 0) return;
    const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    try {
      const size = await this.#write(text);
      this.#bytesWritten += Buffer.byteLength(text);
      this.#linesWritten += records.length;
      // Counting lines means reading the file: only when its size says it may be over the bound.
      const estimate = 2 * this.maxRecords * (this.#bytesWritten / this.#linesWritten);
      if (size > Math.max(estimate, this.#nextCheckBytes)) await this.#compact();
    } catch {
      // A full disk or a read-only home must not fail a query; the history is best effort.
    }
  }

  async #write(text: string): Promise<number> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.file, 'a', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      handle = await open(this.file, 'a', 0o600);
    }
    try {
      await handle.write(text);
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }

  async #compact(): Promise<void> {
    const text = await readFile(this.file, 'utf8');
    const lines = text.split('\n');
    // The last piece is '' after a final newline, or a line another process is still writing: never keep it.
    lines.pop();
    const size = Buffer.byteLength(text);
    if (lines.length <= 2 * this.maxRecords) {
      this.#nextCheckBytes = lines.length === 0 ? size * 2 : (size * 2 * this.maxRecords) / lines.length;
      return;
    }
    await writeFileAtomic(this.file, `${lines.slice(-this.maxRecords).join('\n')}\n`, 0o600);
    this.#nextCheckBytes = 0;
  }
}

/** Options of `readHistory`. */
export interface ReadHistoryOptions {
  /** Only records at or after this time. */
  readonly since?: Date;
}

/** The records of a history file, oldest first; a missing file is an empty history, a damaged line is skipped. */
export async function readHistory(file: string, options: ReadHistoryOptions = {}): Promise<HistoryRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const since = options.since?.getTime();
  const records: HistoryRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isRecord(value)) continue;
    if (since !== undefined && !(Date.parse(value.time) >= since)) continue;
    records.push(value);
  }
  return records;
}

function isRecord(value: unknown): value is HistoryRecord {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.time === 'string' &&
    (r.fingerprint === undefined || typeof r.fingerprint === 'string') &&
    typeof r.normalized === 'string' &&
    typeof r.durationMs === 'number' &&
    Number.isFinite(r.durationMs) &&
    r.durationMs >= 0 &&
    typeof r.ok === 'boolean'
  );
}
