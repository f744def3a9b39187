import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { type Session, type SqlDialect, tokenizeSql, UsageError } from '@aishell/engine';
import { parse } from 'csv-parse';
import { formatValue } from '../output/format-value.js';

/** What `\copy` was asked to do. */
export interface CopySpec {
  readonly direction: 'to' | 'from';
  /** `(query)` for `to`; undefined when a table is named. */
  readonly query?: string;
  /** The table as written (quotes kept), and its columns if listed. */
  readonly table?: string;
  readonly columns?: readonly string[];
  /** A file name, or undefined for stdout (`to stdout`). */
  readonly file?: string;
  readonly header: boolean;
  readonly delimiter: string;
}

/** At most this many bound values per INSERT of `\copy ... from` (every engine takes far more). */
const MAX_PARAMS = 10_000;
const MAX_ROWS = 1_000;

/**
 * Reads psql's `\copy` arguments: `(<query>) to '<file>'|stdout [with] [(] csv [header] [delimiter 'c'] [)]`,
 * `<table> [(<columns>)] to|from '<file>' ...`. aishell reads and writes CSV only (psql's default is its
 * own text format), so `csv` may be left out.
 */
export function parseCopy(args: string, dialect: SqlDialect): CopySpec {
  const text = args.trim();
  let rest: string;
  let query: string | undefined;
  let table: string | undefined;
  let columns: string[] | undefined;
  if (text.startsWith('(')) {
    const close = matchingParen(text, 0, dialect);
    if (close === -1) throw new UsageError('\\copy: the query in parentheses is not closed');
    query = text.slice(1, close).trim();
    rest = text.slice(close + 1);
  } else {
    const m = /^((?:"(?:[^"]|"")*"|`(?:[^`]|``)*`|[^\s(]+))\s*(.*)$/s.exec(text);
    if (!m) throw new UsageError("\\copy: expected (<query>) or a table, then to or from '<file>'");
    table = m[1] ?? '';
    rest = m[2] ?? '';
    if (rest.startsWith('(')) {
      const close = matchingParen(rest, 0, dialect);
      if (close === -1) throw new UsageError('\\copy: the column list is not closed');
      columns = rest
        .slice(1, close)
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      rest = rest.slice(close + 1);
    }
  }
  const m = /^\s*(to|from)\s+('(?:[^']|'')*'|\S+)\s*(.*)$/is.exec(rest);
  if (!m) throw new UsageError("\\copy: expected to '<file>' or from '<file>'");
  const direction = (m[1] ?? '').toLowerCase() as 'to' | 'from';
  const target = m[2] ?? '';
  const options = (m[3] ?? '').replace(/^with\b/i, '').replace(/[(),]/g, ' ');
  if (direction === 'from' && query !== undefined)
    throw new UsageError('\\copy: rows can be copied from a file into a table only');
  const file = /^'.*'$/s.test(target) ? target.slice(1, -1).replace(/''/g, "'") : target;
  const toStdout = /^(stdout|pstdout)$/i.test(file);
  if (/^(stdin|pstdin)$/i.test(file))
    throw new UsageError('\\copy: from stdin is not supported; name a file');
  const words = options.match(/'(?:[^']|'')*'|\S+/g) ?? [];
  let header = false;
  let delimiter = ',';
  for (let i = 0; i < words.length; i++) {
    const w = (words[i] ?? '').toLowerCase();
    if (w === 'csv') continue;
    if (w === 'format') {
      const f = (words[++i] ?? '').toLowerCase();
      if (f !== 'csv')
        throw new UsageError(`\\copy: format ${f || '?'} is not supported (aishell copies CSV)`);
    } else if (w === 'header') {
      const next = (words[i + 1] ?? '').toLowerCase();
      if (['true', 'on', '1', 'false', 'off', '0'].includes(next)) {
        header = ['true', 'on', '1'].includes(next);
        i++;
      } else header = true;
    } else if (w === 'delimiter') {
      const d = words[++i] ?? '';
      delimiter = /^'.*'$/.test(d) ? d.slice(1, -1) : d;
      if (delimiter.length !== 1) throw new UsageError('\\copy: the delimiter must be one character');
    } else {
      throw new UsageError(`\\copy: unknown option ${words[i]}`);
    }
  }
  return {
    direction,
    ...(query !== undefined ? { query } : {}),
    ...(table !== undefined ? { table } : {}),
    ...(columns ? { columns } : {}),
    ...(toStdout ? {} : { file }),
    header,
    delimiter,
  };
}

/** The offset of the `)` that closes the `(` at `open`, strings and comments skipped; -1 if none. */
function matchingParen(text: string, open: number, dialect: SqlDialect): number {
  let depth = 0;
  for (const t of tokenizeSql(text.slice(open), dialect)) {
    if (t.kind !== 'punctuation') continue;
    const c = text[open + t.start];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return open + t.start;
  }
  return -1;
}

export interface CopyRunOptions {
  readonly signal?: AbortSignal;
  /** Statements run read-only (`--read-only`): copying from a file is then refused. */
  readonly readOnly?: boolean;
  /** A transaction is open: the rows go into it, instead of a transaction of their own. */
  readonly inTransaction?: boolean;
  /** Where `to stdout` writes. */
  readonly write: (text: string) => Promise<void>;
}

/**
 * Runs a `\copy` on this machine's side: `to` streams the query's rows (bounded memory) into the
 * file as CSV; `from` streams the file, inserting in batches with bound parameters, all in one
 * transaction (the open one, if any). Returns the number of rows copied.
 */
export async function runCopy(session: Session, spec: CopySpec, options: CopyRunOptions): Promise<number> {
  return spec.direction === 'to' ? copyTo(session, spec, options) : copyFrom(session, spec, options);
}

async function copyTo(session: Session, spec: CopySpec, options: CopyRunOptions): Promise<number> {
  const sql =
    spec.query ?? `SELECT ${spec.columns?.length ? spec.columns.join(', ') : '*'} FROM ${spec.table}`;
  const signal = options.signal ? { signal: options.signal } : {};
  const { rows } = await session.stream(sql, { ...signal, ...(options.readOnly ? { readOnly: true } : {}) });
  const out = spec.file === undefined ? undefined : createWriteStream(spec.file, { mode: 0o644 });
  const write = async (text: string): Promise<void> => {
    if (!out) return options.write(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const line = (values: readonly unknown[]): string =>
    `${values.map((v) => csvField(v, spec.delimiter)).join(spec.delimiter)}\n`;
  let count = 0;
  try {
    const fields = await rows.fields();
    if (spec.header) await write(line(fields.map((f) => f.name)));
    for await (const row of rows) {
      await write(line(fields.map((f) => row[f.name])));
      count++;
    }
  } finally {
    await rows.close();
    if (out) {
      out.end();
      await finished(out);
    }
  }
  return count;
}

async function copyFrom(session: Session, spec: CopySpec, options: CopyRunOptions): Promise<number> {
  const table = spec.table ?? '';
  if (spec.file === undefined) throw new UsageError('\\copy: from needs a file');
  let columns = spec.columns;
  if (!columns?.length) {
    const schema = await session.introspect();
    const parts = table.split('.').map((p) => p.replace(/^["`]|["`]$/g, ''));
    const name = (parts[parts.length - 1] ?? '').toLowerCase();
    const owner = parts.length > 1 ? parts[0]?.toLowerCase() : undefined;
    const found = schema.tables.find(
      (t) => t.name.toLowerCase() === name && (owner === undefined || t.schema?.toLowerCase() === owner),
    );
    if (!found) throw new UsageError(`\\copy: no table named ${table}`);
    columns = found.columns.map((c) => quoteName(c.name, session.sqlDialect));
  }
  const width = columns.length;
  const perBatch = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / width)));
  const run = (sql: string, params?: unknown[]) =>
    session.run(sql, {
      ...(params ? { params } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.readOnly ? { readOnly: true } : {}),
    });
  const placeholder = session.sqlDialect === 'postgres' ? (n: number) => `$${n}` : () => '?';
  const insert = async (batch: unknown[][]): Promise<void> => {
    let n = 0;
    const values = batch.map(() => `(${columns.map(() => placeholder(++n)).join(', ')})`).join(', ');
    await run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, batch.flat());
  };
  const parser = createReadStream(spec.file).pipe(
    parse({
      delimiter: spec.delimiter,
      from_line: spec.header ? 2 : 1,
      // psql's CSV: an empty field without quotes is NULL, "" is the empty string.
      cast: (value, context) => (value === '' && !context.quoting ? null : value),
    }),
  );
  const own = !options.inTransaction;
  if (own) await run('BEGIN');
  let count = 0;
  let line = spec.header ? 1 : 0;
  try {
    let batch: unknown[][] = [];
    for await (const record of parser as AsyncIterable<unknown[]>) {
      line++;
      if (options.signal?.aborted) throw options.signal.reason;
      if (record.length !== width)
        throw new UsageError(`\\copy: line ${line} has ${record.length} fields; ${table} takes ${width}`);
      batch.push(record);
      if (batch.length === perBatch) {
        await insert(batch);
        count += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      await insert(batch);
      count += batch.length;
    }
    if (own) await run('COMMIT');
  } catch (error) {
    parser.destroy();
    if (own) await session.run('ROLLBACK').catch(() => {});
    throw error;
  }
  return count;
}

/**
 * One CSV field as psql's CSV format writes it: NULL as nothing, the empty string as `""`, a field
 * holding the delimiter, a quote or a line break quoted (quotes doubled). csv-stringify cannot tell
 * NULL from '' (its quoted_empty quotes both).
 */
function csvField(value: unknown, delimiter: string): string {
  if (value === null || value === undefined) return '';
  const text = formatValue(value);
  if (text === '') return '""';
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function quoteName(name: string, dialect: SqlDialect): string {
  const q = dialect === 'mysql' ? '`' : '"';
  return `${q}${name.split(q).join(q + q)}${q}`;
}
