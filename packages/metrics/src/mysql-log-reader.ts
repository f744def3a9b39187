import { type LoggedStatement, type LogReader, parseLogTime } from './log-reader.js';

/**
 * A row of the general query log: `Time Id Command Argument`. The time is MariaDB's `YYMMDD H:MM:SS`
 * (hour padded with a space, printed only when the second changes, else two tabs) or MySQL 5.7+'s
 * ISO 8601 time on every row; then the thread id right-aligned in 6 columns, the command, a tab and
 * the argument.
 */
const ROW =
  /^(?:(\d{6}) ([ \d]\d:\d{2}:\d{2})\t|(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?\s|\t\t)\s*(\d+) ([A-Z][a-z]+(?:[ _][A-Za-z]+)*)(?:\t(.*))?$/;
/** The lines the server writes when it opens the log (at start, on FLUSH LOGS, when general_log is turned on). */
const HEADER = [
  /^\S.*, Version: .* started with:$/,
  /^Tcp port: \d+ {2}Unix socket: /,
  /^Time\s+Id\s+Command\s+Argument$/,
];
/** Commands that execute SQL: COM_QUERY, and COM_STMT_EXECUTE (logged with its parameters inlined). */
const EXECUTING = new Set(['Query', 'Execute']);

interface Pending {
  sessionId: string;
  timestampMs: number;
  sql: string;
}

/** Reads the MySQL / MariaDB general query log (`SET GLOBAL general_log = ON`, `log_output = 'FILE'`). */
export class MysqlLogReader implements LogReader {
  readonly format = 'mysql' as const;
  readonly layout = 'general-log' as const;
  #pending: Pending | undefined;
  #lastTimeMs = 0;

  push(line: string): LoggedStatement | undefined {
    const row = ROW.exec(line);
    if (row === null) {
      if (HEADER.some((h) => h.test(line))) return this.end();
      // A statement's later lines are written as they are, with no prefix.
      if (this.#pending !== undefined) this.#pending.sql += `\n${line}`;
      return undefined;
    }
    const [, yymmdd, shortTime, isoDate, isoTime, zone, thread = '', command = '', argument = ''] = row;
    if (yymmdd !== undefined && shortTime !== undefined) {
      const date = `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
      this.#lastTimeMs = parseLogTime(date, shortTime.trim().padStart(8, '0'));
    } else if (isoDate !== undefined && isoTime !== undefined) {
      this.#lastTimeMs = parseLogTime(isoDate, isoTime, zone === 'Z' ? undefined : zone);
    }
    const done = this.end();
    if (EXECUTING.has(command.trim())) {
      this.#pending = { sessionId: thread, timestampMs: this.#lastTimeMs, sql: argument };
    }
    return done;
  }

  end(): LoggedStatement | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    return pending;
  }
}
