import { type LoggedStatement, type LogReader, parseLogTime } from './log-reader.js';
import { EXECUTED } from './postgres-log-reader.js';

// Columns of PostgreSQL's csvlog (the same positions from 9.0 to 17).
const LOG_TIME = 0;
const PROCESS_ID = 3;
const SEVERITY = 11;
const MESSAGE = 13;
const DETAIL = 14;

const TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: (\S+))?$/;

/**
 * Reads PostgreSQL's csvlog (`log_destination = 'csvlog'`): one CSV record per message, fields that hold
 * line breaks quoted. Written by hand rather than with a CSV library because records arrive one line at
 * a time from the shared line reader, and RFC 4180 quoting is all that csvlog uses.
 */
export class PostgresCsvLogReader implements LogReader {
  readonly format = 'postgres' as const;
  readonly layout = 'csvlog' as const;
  /** Lines of a record whose quoted field is still open. */
  #record: string | undefined;

  push(line: string): LoggedStatement | undefined {
    const record = this.#record === undefined ? line : `${this.#record}\n${line}`;
    if (countQuotes(record) % 2 === 1) {
      this.#record = record;
      return undefined;
    }
    this.#record = undefined;
    return statementOf(parseCsvRecord(record));
  }

  end(): LoggedStatement | undefined {
    const record = this.#record;
    this.#record = undefined;
    return record === undefined ? undefined : statementOf(parseCsvRecord(`${record}"`));
  }
}

function statementOf(fields: string[]): LoggedStatement | undefined {
  if (fields[SEVERITY] !== 'LOG') return undefined;
  const executed = EXECUTED.exec(fields[MESSAGE] ?? '');
  if (executed === null || executed[1]?.startsWith('fetch from ')) return undefined;
  const time = TIME.exec(fields[LOG_TIME] ?? '');
  const timestampMs = time === null ? 0 : parseLogTime(time[1] ?? '', time[2] ?? '', time[3]);
  const statement = {
    sessionId: fields[PROCESS_ID] ?? '',
    timestampMs: Number.isFinite(timestampMs) ? timestampMs : 0,
    sql: executed[2] ?? '',
  };
  const detail = fields[DETAIL] ?? '';
  return detail.startsWith('parameters: ')
    ? { ...statement, parameters: detail.slice('parameters: '.length) }
    : statement;
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** Splits one complete CSV record into its fields (`""` inside quotes is a quote). */
export function parseCsvRecord(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (quoted) {
      if (c === '"') {
        if (record[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}
