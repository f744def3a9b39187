/** Which server wrote a log. */
export type LogFormat = 'postgres' | 'mysql';

/** How the log is laid out: PostgreSQL's stderr or csvlog destination, or MySQL/MariaDB's general query log. */
export type LogLayout = 'stderr' | 'csvlog' | 'general-log';

/** One statement a server logged as executed. */
export interface LoggedStatement {
  /** The session it ran in: the backend pid (PostgreSQL) or the thread id (MySQL/MariaDB). */
  readonly sessionId: string;
  /**
   * When it was logged, in milliseconds since the epoch. Times without a numeric zone are read as UTC;
   * only differences between them matter to the detector.
   */
  readonly timestampMs: number;
  /** The SQL as the server logged it (it may hold literal values). */
  readonly sql: string;
  /** Bind parameters logged beside it (PostgreSQL's extended protocol), as the server printed them. */
  readonly parameters?: string;
}

/**
 * Turns a log, line by line, into the statements it records. A statement may continue over several
 * lines, so it is returned when the line after it arrives (or at `end()`).
 */
export interface LogReader {
  readonly format: LogFormat;
  readonly layout: LogLayout;
  /** Takes the next line (without its line break); returns the statement this line completed, if any. */
  push(line: string): LoggedStatement | undefined;
  /** The statement still pending at the end of the log, if any. */
  end(): LoggedStatement | undefined;
}

/**
 * Reads `YYYY-MM-DD HH:MM:SS[.fff]` with an optional zone (a numeric offset such as `+02`, `-0330`,
 * `+05:30`, or a name; names other than UTC/GMT/Z are read as UTC because their offset is not in the log).
 * Returns NaN when `date` and `time` do not form a time.
 */
export function parseLogTime(date: string, time: string, zone?: string): number {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':');
  const seconds = Number(s);
  let ms = Date.UTC(y ?? Number.NaN, (mo ?? 1) - 1, d ?? 1, Number(h), Number(mi), Math.floor(seconds));
  ms += Math.round((seconds - Math.floor(seconds)) * 1000);
  const offset = zone === undefined ? null : /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    ms -= (offset[1] === '-' ? -1 : 1) * minutes * 60_000;
  }
  return ms;
}
