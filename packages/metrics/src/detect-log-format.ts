import type { LogFormat, LogLayout, LogReader } from './log-reader.js';
import { MysqlLogReader } from './mysql-log-reader.js';
import { PostgresCsvLogReader } from './postgres-csv-log-reader.js';
import { PostgresLogReader } from './postgres-log-reader.js';

/** The format and layout of a log, told from its first lines. */
export interface DetectedLogFormat {
  readonly format: LogFormat;
  readonly layout: LogLayout;
}

const MYSQL = [
  /^\S.*, Version: .* started with:$/,
  /^Time\s+Id\s+Command\s+Argument$/,
  /^(?:\d{6} [ \d]\d:\d{2}:\d{2}\t|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?\s|\t\t)\s*\d+ [A-Z][a-z]+/,
];
/** A csvlog record starts with its log_time, then user and database (quoted when present). */
const POSTGRES_CSV = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [^,]*,(?:"[^"]*")?,(?:"[^"]*")?,\d+,/;
const POSTGRES_STDERR =
  /(?:^|.*? )(?:DEBUG[1-5]|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|DETAIL|STATEMENT): {2}/;

/**
 * Tells a log's format from its first lines, or undefined when none of them looks like a known log.
 * `format`, when given, restricts the guess to that server (a PostgreSQL log may still be stderr or csvlog)
 * and is taken as is (PostgreSQL: stderr) when no line tells.
 */
export function detectLogFormat(lines: readonly string[], format?: LogFormat): DetectedLogFormat | undefined {
  for (const line of lines) {
    if (format !== 'postgres' && MYSQL.some((p) => p.test(line)))
      return { format: 'mysql', layout: 'general-log' };
    if (format !== 'mysql') {
      if (POSTGRES_CSV.test(line)) return { format: 'postgres', layout: 'csvlog' };
      if (POSTGRES_STDERR.test(line)) return { format: 'postgres', layout: 'stderr' };
    }
  }
  if (format === 'mysql') return { format, layout: 'general-log' };
  if (format === 'postgres') return { format, layout: 'stderr' };
  return undefined;
}

/** A fresh reader for a detected format. */
export function createLogReader(detected: DetectedLogFormat): LogReader {
  if (detected.format === 'mysql') return new MysqlLogReader();
  return detected.layout === 'csvlog' ? new PostgresCsvLogReader() : new PostgresLogReader();
}
