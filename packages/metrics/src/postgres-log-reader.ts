import { type LoggedStatement, type LogReader, parseLogTime } from './log-reader.js';

/** PostgreSQL's severity labels, each followed by a colon and two spaces in the stderr format. */
const MESSAGE =
  /^((?:.*? )?)(DEBUG[1-5]|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|DETAIL|HINT|QUERY|CONTEXT|STATEMENT|LOCATION): {2}(.*)$/;
/** `%m` / `%t` (with an optional zone) anywhere in the prefix. */
const PREFIX_TIME =
  /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: ?([A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?)\b)?/;
/** `%n`: seconds since the epoch with milliseconds. */
const PREFIX_EPOCH = /(?:^|\s)(\d{9,11}\.\d{3})(?:\s|$)/;
/** `[%p]` or `[%p-%l]`, else `pid=%p`, else `%c` (hex start time . hex pid). */
const PREFIX_SESSION = [/\[(\d+)(?:-\d+)?\]/, /\bpid=(\d+)/, /\b([0-9a-f]{6,}\.[0-9a-f]+)\b/];
/**
 * The messages that mean "this statement ran": `log_statement` (`statement: ...`), `log_min_duration_statement`
 * (`duration: 1.2 ms  statement: ...`) and the extended protocol's `execute <name>: ...`. Parse and bind
 * steps (`parse <unnamed>: ...`) are not executions.
 */
export const EXECUTED = /^(?:duration: [\d.]+ ms {2})?(?:statement: |execute ([^:]*): )([\s\S]*)$/;

interface Pending {
  sessionId: string;
  timestampMs: number;
  sql: string;
  parameters: string | undefined;
  /** Which field a tab-led continuation line extends. */
  continues: 'sql' | 'parameters' | 'none';
}

/**
 * Reads PostgreSQL's default stderr log format with any `log_line_prefix` that holds the process id
 * (`%p`, as in Debian's `%m [%p] ` and `%m [%p] %q%u@%d `) and a time (`%m`, `%t` or `%n`).
 */
export class PostgresLogReader implements LogReader {
  readonly format = 'postgres' as const;
  readonly layout = 'stderr' as const;
  #pending: Pending | undefined;
  /** The last time seen, for prefixes without one (every statement then shares it). */
  #lastTimeMs = 0;

  push(line: string): LoggedStatement | undefined {
    if (line.startsWith('\t')) {
      // A message continues over several lines; each continuation line starts with a tab.
      const pending = this.#pending;
      if (pending?.continues === 'sql') pending.sql += `\n${line.slice(1)}`;
      else if (pending?.continues === 'parameters') pending.parameters += `\n${line.slice(1)}`;
      return undefined;
    }
    const match = MESSAGE.exec(line);
    if (match === null) {
      // Not a log line (a stray write to stderr): it ends the statement before it.
      return this.end();
    }
    const [, prefix = '', severity, text = ''] = match;
    const sessionId = sessionOf(prefix);
    if (severity === 'DETAIL' && this.#pending !== undefined && this.#pending.sessionId === sessionId) {
      const pending = this.#pending;
      if (text.startsWith('parameters: ')) {
        pending.parameters = text.slice('parameters: '.length);
        pending.continues = 'parameters';
      } else {
        pending.continues = 'none';
      }
      return undefined;
    }
    const done = this.end();
    if (severity === 'LOG') {
      const executed = EXECUTED.exec(text);
      // `execute fetch from S_1/C_2` fetches more rows of a portal already counted.
      if (executed !== null && !executed[1]?.startsWith('fetch from ')) {
        this.#pending = {
          sessionId,
          timestampMs: this.#timeOf(prefix),
          sql: executed[2] ?? '',
          parameters: undefined,
          continues: 'sql',
        };
      }
    }
    return done;
  }

  end(): LoggedStatement | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending === undefined) return undefined;
    const { sessionId, timestampMs, sql, parameters } = pending;
    return parameters === undefined
      ? { sessionId, timestampMs, sql }
      : { sessionId, timestampMs, sql, parameters };
  }

  #timeOf(prefix: string): number {
    const time = PREFIX_TIME.exec(prefix);
    let ms = Number.NaN;
    if (time !== null) ms = parseLogTime(time[1] ?? '', time[2] ?? '', time[3]);
    else {
      const epoch = PREFIX_EPOCH.exec(prefix);
      if (epoch !== null) ms = Math.round(Number(epoch[1]) * 1000);
    }
    if (Number.isFinite(ms)) this.#lastTimeMs = ms;
    return this.#lastTimeMs;
  }
}

function sessionOf(prefix: string): string {
  for (const pattern of PREFIX_SESSION) {
    const m = pattern.exec(prefix);
    if (m?.[1] !== undefined) return m[1];
  }
  return '';
}
