// MySQL's and SQLite's statements respelled so that PostgreSQL's parser reads them, for the one thing
// advise asks of it there: which columns the WHERE, JOIN, ORDER BY and GROUP BY name. Identifiers
// quoted with backticks (and SQLite's [brackets]) become "double-quoted", MySQL's "strings" become
// 'strings', and placeholders (?, ?1, :name, @name, $name) become $1, $2, ... A statement the parser
// still refuses is read from its plan alone. The same reading finds the placeholders to fill for EXPLAIN.
import type { AdviseDialect } from './types.js';

/** A piece of a statement's text. */
interface Piece {
  readonly kind: 'string' | 'identifier' | 'comment' | 'placeholder' | 'text';
  /** The text as written. */
  readonly raw: string;
  /** A string's or identifier's content, unquoted. */
  readonly body: string;
}

function* pieces(sql: string, dialect: AdviseDialect): Generator<Piece> {
  let i = 0;
  const n = sql.length;
  let text = '';
  const flush = function* (): Generator<Piece> {
    if (text !== '') yield { kind: 'text', raw: text, body: text };
    text = '';
  };
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    let piece: Piece | null = null;
    let end = i + 1;
    if (c === "'" || (c === '"' && dialect === 'mysql')) {
      let body = '';
      let j = i + 1;
      while (j < n) {
        const d = sql[j] as string;
        if (d === '\\' && dialect === 'mysql' && j + 1 < n) {
          body += sql[j + 1];
          j += 2;
        } else if (d === c && sql[j + 1] === c) {
          body += c;
          j += 2;
        } else if (d === c) break;
        else {
          body += d;
          j++;
        }
      }
      end = Math.min(j + 1, n);
      piece = { kind: 'string', raw: sql.slice(i, end), body };
    } else if (c === '`' || c === '"' || (c === '[' && dialect === 'sqlite')) {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let body = '';
      while (j < n) {
        if (sql[j] === close && sql[j + 1] === close && close !== ']') {
          body += close;
          j += 2;
        } else if (sql[j] === close) break;
        else body += sql[j++];
      }
      end = Math.min(j + 1, n);
      piece = { kind: 'identifier', raw: sql.slice(i, end), body };
    } else if ((c === '-' && next === '-') || (c === '#' && dialect === 'mysql')) {
      const stop = sql.indexOf('\n', i);
      end = stop === -1 ? n : stop;
      piece = { kind: 'comment', raw: sql.slice(i, end), body: '' };
    } else if (c === '/' && next === '*') {
      const stop = sql.indexOf('*/', i + 2);
      end = stop === -1 ? n : stop + 2;
      piece = { kind: 'comment', raw: sql.slice(i, end), body: '' };
    } else if (c === '?' && dialect !== 'postgres') {
      let j = i + 1;
      while (j < n && /\d/.test(sql[j] as string)) j++;
      end = j;
      piece = { kind: 'placeholder', raw: sql.slice(i, end), body: '' };
    } else if (
      (c === ':' || c === '@' || c === '$') &&
      dialect === 'sqlite' &&
      /[A-Za-z_]/.test(next ?? '')
    ) {
      let j = i + 1;
      while (j < n && /\w/.test(sql[j] as string)) j++;
      end = j;
      piece = { kind: 'placeholder', raw: sql.slice(i, end), body: '' };
    }
    if (piece === null) {
      text += c;
      i++;
      continue;
    }
    yield* flush();
    yield piece;
    i = end;
  }
  yield* flush();
}

/** `sql` in PostgreSQL's spelling; PostgreSQL's own text is returned as it is. */
export function postgresSpelling(sql: string, dialect: AdviseDialect): string {
  if (dialect === 'postgres') return sql;
  let out = '';
  let params = 0;
  for (const p of pieces(sql, dialect)) {
    if (p.kind === 'string') out += `'${p.body.replaceAll("'", "''")}'`;
    else if (p.kind === 'identifier') out += `"${p.body.replaceAll('"', '""')}"`;
    else if (p.kind === 'comment') out += ' ';
    else if (p.kind === 'placeholder') out += `$${++params}`;
    else out += p.raw;
  }
  return out;
}

/** The positional placeholders (`?`, `?NNN`) of a MySQL or SQLite statement: how many values it binds. */
export function placeholderCount(sql: string, dialect: AdviseDialect): number {
  let count = 0;
  let highest = 0;
  for (const p of pieces(sql, dialect)) {
    if (p.kind !== 'placeholder' || !p.raw.startsWith('?')) continue;
    count++;
    if (p.raw.length > 1) highest = Math.max(highest, Number(p.raw.slice(1)));
  }
  return Math.max(count, highest);
}

/** The statement with each placeholder replaced by `literal` (MySQL has no generic plan to EXPLAIN). */
export function inlinePlaceholders(sql: string, dialect: AdviseDialect, literal: string): string {
  let out = '';
  for (const p of pieces(sql, dialect)) out += p.kind === 'placeholder' ? literal : p.raw;
  return out;
}
