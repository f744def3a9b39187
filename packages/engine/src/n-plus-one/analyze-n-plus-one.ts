import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type {
  LogFormat,
  LoggedStatement,
  LogLayout,
  NPlusOneDetector,
  NPlusOneFinding,
} from '@aishell/metrics';
import {
  analyzeSync,
  loadParser,
  SqlParseError,
  type StatementAnalysis,
  type StatementKind,
} from '@aishell/sql';
import { EngineError, UsageError } from '../errors.js';

/** Options of `analyzeNPlusOne`. */
export interface AnalyzeNPlusOneOptions {
  /**
   * Which server wrote the log; a PostgreSQL log may be stderr or csvlog, told from its lines.
   * @default told from the first lines
   */
  readonly format?: LogFormat;
  /**
   * Executions of one fingerprint within `windowMillis` in one session that make an N+1.
   * @default N_PLUS_ONE_DEFAULTS.threshold (10)
   */
  readonly threshold?: number;
  /**
   * Width of the sliding window, in milliseconds.
   * @default N_PLUS_ONE_DEFAULTS.windowMillis (1000)
   */
  readonly windowMillis?: number;
  /**
   * Add to each finding one statement as logged, literals and bind parameters included. Off by default
   * because a log can hold secrets in literals.
   * @default false
   */
  readonly includeExamples?: boolean;
  /** Called as the file is read (about once per MiB), for a progress display. */
  readonly onProgress?: (progress: { bytesRead: number; totalBytes: number }) => void;
  readonly signal?: AbortSignal;
}

/** Defaults of the optional fields of `AnalyzeNPlusOneOptions`. */
export const ANALYZE_N_PLUS_ONE_DEFAULTS = Object.freeze({
  // The detector's own defaults (N_PLUS_ONE_DEFAULTS of @aishell/metrics; a test keeps them equal),
  // written out because the CLI needs them for its flags at start-up and @aishell/metrics, with its
  // histograms and Prometheus client, is loaded only when a log is analysed.
  threshold: 10,
  windowMillis: 1000,
  includeExamples: false,
  /** Lines looked at to tell the format before giving up. */
  detectLines: 200,
  /** Distinct statement texts whose analysis is remembered (prepared statements repeat one text). */
  analysisCacheSize: 2000,
} as const);

/** A statement run as an N+1: one fingerprint, many times, in a short time, in one session. */
export interface NPlusOneLogFinding {
  readonly fingerprint: string;
  /** The statement with its literals replaced by placeholders. */
  readonly normalized: string;
  readonly kind: StatementKind;
  /** Tables the statement reads or writes. */
  readonly tables: string[];
  /** Executions inside the bursts found: per session, its largest burst, summed. */
  readonly count: number;
  /** The most executions within one window in one session. */
  readonly largestBurst: number;
  /** Sessions (PostgreSQL backends, MySQL threads) with such a burst. */
  readonly sessions: number;
  /** Executions of this fingerprint in the whole log, bursts or not. */
  readonly executions: number;
  /** First and last execution of the bursts, ISO 8601 (the log's own clock; UTC when it names no zone). */
  readonly firstAt: string;
  readonly lastAt: string;
  readonly spanMs: number;
  /** What to do about it. */
  readonly hint: string;
  /** One statement as logged, with literals (only with `includeExamples`). */
  readonly example?: string;
}

/** What `analyzeNPlusOne` found in a log (the JSON of `aishell analyze n-plus-one --json`). */
export interface NPlusOneLogReport {
  readonly format: LogFormat;
  readonly layout: LogLayout;
  /** Statements read from the log, parsed or not. */
  readonly statements: number;
  /** Of those, statements the dialect's parser did not understand (skipped). */
  readonly unparsed: number;
  /** Largest count first. */
  readonly findings: NPlusOneLogFinding[];
}

interface Described {
  /**
   * What the detector groups by: a hash of the normalized text. PostgreSQL's fingerprint (libpg_query's)
   * costs about three times the parse, so it is read only for statements that make a finding.
   */
  key: string;
  /** The analysis, whose `fingerprint` is computed on first read. */
  analysis: StatementAnalysis;
  normalized: string;
  kind: StatementKind;
  tables: string[];
}

const HINTS: Partial<Record<StatementKind, string>> = {
  select: 'fetch these rows in one query with IN (...) or a JOIN instead of one query per row',
  insert: 'insert these rows with one multi-row INSERT (or COPY / LOAD DATA) instead of one per row',
  update:
    'change these rows with one UPDATE ... WHERE key IN (...) (or a join to the keys) instead of one per row',
  delete: 'delete these rows with one DELETE ... WHERE key IN (...) instead of one per row',
};
const DEFAULT_HINT = 'run this once for the whole set instead of once per row';

/**
 * Reads a PostgreSQL or MySQL/MariaDB log as a stream (a log of any size in bounded memory), fingerprints
 * every statement it records and reports the N+1 patterns: the same fingerprint `threshold` or more times
 * within `windowMillis` in one session. Statements that do not parse are counted and skipped.
 * Throws `UsageError` for a file that cannot be read or whose format cannot be told.
 * @example const report = await analyzeNPlusOne('/var/log/postgresql/postgresql-15-main.log');
 */
export async function analyzeNPlusOne(
  path: string,
  options: AnalyzeNPlusOneOptions = {},
): Promise<NPlusOneLogReport> {
  const { signal, onProgress } = options;
  const totalBytes = await fileSize(path);
  // The detector and the log readers live in @aishell/metrics, loaded only when a log is analysed.
  const { createLogReader, detectLogFormat, NPlusOneDetector } = await import('@aishell/metrics');
  let detector: NPlusOneDetector;
  try {
    detector = new NPlusOneDetector({
      threshold: options.threshold ?? ANALYZE_N_PLUS_ONE_DEFAULTS.threshold,
      windowMillis: options.windowMillis ?? ANALYZE_N_PLUS_ONE_DEFAULTS.windowMillis,
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const includeExamples = options.includeExamples ?? ANALYZE_N_PLUS_ONE_DEFAULTS.includeExamples;

  const detected = detectLogFormat(await firstLines(path), options.format);
  if (detected === undefined) throw notDetected(path);
  const dialect = detected.format === 'mysql' ? 'mysql' : 'postgres';
  await loadParser(dialect);
  const reader = createLogReader(detected);

  let statements = 0;
  let unparsed = 0;
  const executions = new Map<string, number>();
  const described = new Map<string, Described>();
  const cache = new Map<string, Described[] | undefined>();
  const take = (logged: LoggedStatement | undefined): void => {
    if (logged === undefined) return;
    const analysed = analyse(logged.sql, dialect, cache);
    if (analysed === undefined) {
      statements++;
      unparsed++;
      return;
    }
    for (const statement of analysed) {
      statements++;
      const { key } = statement;
      executions.set(key, (executions.get(key) ?? 0) + 1);
      // BEGIN/COMMIT around each query of a loop repeat as often as the loop's query: not findings of their own.
      if (statement.kind === 'transaction') continue;
      const example = includeExamples
        ? logged.parameters === undefined
          ? logged.sql
          : `${logged.sql} -- parameters: ${logged.parameters}`
        : undefined;
      const found = detector.observe({
        fingerprint: key,
        timestampMs: logged.timestampMs,
        sessionId: logged.sessionId,
        ...(example === undefined ? {} : { example }),
      });
      if (found !== undefined && !described.has(key)) described.set(key, statement);
    }
  };

  // A read stream and readline: the log is never held in memory whole, whatever its size.
  const stream = createReadStream(path, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  const done = new Promise<void>((resolve, reject) => {
    lines.on('close', resolve);
    stream.on('error', reject);
  });
  if (onProgress !== undefined) {
    let reported = 0;
    stream.on('data', () => {
      if (stream.bytesRead - reported < 1 << 20) return;
      reported = stream.bytesRead;
      onProgress({ bytesRead: stream.bytesRead, totalBytes });
    });
  }
  let failure: unknown;
  lines.on('line', (line) => {
    if (failure !== undefined) return;
    try {
      take(reader.push(line));
    } catch (error) {
      failure = error;
      lines.close();
      stream.destroy();
    }
  });
  try {
    await done;
  } catch (error) {
    throw readError(path, error, signal);
  }
  if (failure !== undefined) throw failure;
  take(reader.end());
  onProgress?.({ bytesRead: totalBytes, totalBytes });

  return {
    format: detected.format,
    layout: detected.layout,
    statements,
    unparsed,
    findings: report(detector.findings(), described, executions),
  };
}

/** Groups the detector's findings (one per session and fingerprint) by fingerprint. */
function report(
  found: readonly NPlusOneFinding[],
  described: ReadonlyMap<string, Described>,
  executions: ReadonlyMap<string, number>,
): NPlusOneLogFinding[] {
  const byFingerprint = new Map<string, NPlusOneFinding[]>();
  for (const f of found) byFingerprint.set(f.fingerprint, [...(byFingerprint.get(f.fingerprint) ?? []), f]);
  const findings: NPlusOneLogFinding[] = [];
  for (const [key, group] of byFingerprint) {
    const statement = described.get(key);
    if (statement === undefined) continue;
    const { fingerprint } = statement.analysis;
    const first = Math.min(...group.map((f) => f.firstTimestampMs));
    const last = Math.max(...group.map((f) => f.lastTimestampMs));
    const example = group[0]?.example;
    findings.push({
      fingerprint,
      normalized: statement.normalized,
      kind: statement.kind,
      tables: statement.tables,
      count: group.reduce((sum, f) => sum + f.count, 0),
      largestBurst: Math.max(...group.map((f) => f.count)),
      sessions: group.length,
      executions: executions.get(key) ?? 0,
      firstAt: new Date(first).toISOString(),
      lastAt: new Date(last).toISOString(),
      spanMs: last - first,
      hint: HINTS[statement.kind] ?? DEFAULT_HINT,
      // The detector keeps the fingerprint as the example when events carried none.
      ...(example !== undefined && example !== key ? { example } : {}),
    });
  }
  return findings.sort((a, b) => b.count - a.count || b.largestBurst - a.largestBurst);
}

/** The statements of one logged text, or undefined when it does not parse; remembers recent texts. */
function analyse(
  sql: string,
  dialect: 'postgres' | 'mysql',
  cache: Map<string, Described[] | undefined>,
): Described[] | undefined {
  if (cache.has(sql)) {
    const hit = cache.get(sql);
    cache.delete(sql);
    cache.set(sql, hit);
    return hit;
  }
  let result: Described[] | undefined;
  try {
    result = analyzeSync(sql, dialect).statements.map((s) => ({
      key: createHash('sha256').update(s.normalized).digest('base64'),
      analysis: s,
      normalized: s.normalized,
      kind: s.kind,
      tables: [...new Set([...s.tablesRead, ...s.tablesWritten])],
    }));
  } catch (error) {
    if (!(error instanceof SqlParseError)) throw error;
    result = undefined;
  }
  if (cache.size >= ANALYZE_N_PLUS_ONE_DEFAULTS.analysisCacheSize) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(sql, result);
  return result;
}

/** The first lines of the file (up to `detectLines`, from its first 64 KiB), to tell its format. */
async function firstLines(path: string): Promise<string[]> {
  const buffer = Buffer.alloc(1 << 16);
  let bytesRead: number;
  try {
    const file = await open(path, 'r');
    try {
      ({ bytesRead } = await file.read(buffer, 0, buffer.length, 0));
    } finally {
      await file.close();
    }
  } catch (error) {
    throw readError(path, error, undefined);
  }
  const lines = buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/);
  if (bytesRead === buffer.length) lines.pop(); // cut mid-line
  return lines.slice(0, ANALYZE_N_PLUS_ONE_DEFAULTS.detectLines);
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`cannot read log ${path}: not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw readError(path, error, undefined);
  }
}

function readError(path: string, error: unknown, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return new EngineError('ENGINE_ABORTED', 'log analysis aborted', { cause: error });
  const code = (error as { code?: unknown }).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'not a file'
          : (error as Error).message;
  return new UsageError(`cannot read log ${path}: ${why}`, { cause: error });
}

function notDetected(path: string): UsageError {
  return new UsageError(
    `cannot tell the format of ${path}: its first lines look like neither a PostgreSQL log nor a MySQL/MariaDB general query log`,
    {
      hint: 'pass --format postgres or --format mysql, or check that the server logs statements (docs/n-plus-one.md)',
    },
  );
}
