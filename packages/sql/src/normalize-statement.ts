import { createHash } from 'node:crypto';
import { SQL_KEYWORDS } from './sql-keywords.js';
import { type Token, tokenize } from './sql-lexer.js';
import type { SqlDialect } from './types.js';

const NO_SPACE_BEFORE = new Set([',', ')', '.', '::', ';']);
const NO_SPACE_AFTER = new Set(['(', '.', '::']);

/**
 * Folds a statement's tokens into normalized text: comments dropped, whitespace single, keywords upper
 * case, `IN (<literals>)` collapsed to `IN (...)`, and every literal replaced by a placeholder (the
 * text goes to the metrics history: no value may survive, a password in `CREATE ROLE` least of all):
 * - every string of any flavour (`'..'`, `E'..'`, `$$..$$`, `U&'..'`, `B'..'`, `X'..'`, MySQL `"..."`,
 *   `_utf8mb4'..'`) and every number becomes one; MySQL's `'user'@'host'` keeps no host either;
 * - MySQL and SQLite: also TRUE/FALSE and a number's sign, as `?`;
 * - PostgreSQL: also the other constants the parser found (`constants`, character offsets of its A_Const
 *   nodes, the ones libpg_query's normalize replaces: NULL, TRUE, a sign), as `$n`; parameters already
 *   in the text are renumbered with them in order of appearance.
 */
export function foldNormalized(
  sql: string,
  tokens: readonly Token[],
  dialect: SqlDialect,
  constants?: ReadonlySet<number>,
): string {
  const out: string[] = [];
  const params = new Map<string, string>();
  let count = 0;
  let prev = '';
  let prevType: Token['type'] | '' = '';
  const emit = (text: string, type: Token['type']): void => {
    const space =
      out.length > 0 &&
      !NO_SPACE_BEFORE.has(text) &&
      !NO_SPACE_AFTER.has(prev) &&
      !(text === '(' && (prevType === 'word' || prevType === 'quoted') && !SQL_KEYWORDS.has(prev));
    out.push(space ? ` ${text}` : text);
    prev = text;
    prevType = type;
  };
  const placeholder = (): string => (dialect === 'postgres' ? `$${++count}` : '?');
  const pragmaValue = sqlitePragmaValueStart(sql, tokens, dialect);

  /** 'literal' for a token to replace, 'sign' for a minus sign that belongs to the literal after it. */
  const role = (i: number): 'literal' | 'sign' | 'param' | undefined => {
    const t = tokens[i];
    if (t === undefined) return undefined;
    if (t.type === 'param') return 'param';
    if (constants?.has(t.start)) return t.type === 'op' ? 'sign' : 'literal';
    if (t.type === 'string' || t.type === 'number') return 'literal';
    if (i >= pragmaValue && (t.type === 'word' || t.type === 'quoted')) return 'literal';
    if (dialect === 'postgres') return undefined; // other constants: the parser's (or normalize's) call
    if (t.type === 'word' && /^(true|false)$/i.test(sql.slice(t.start, t.end))) return 'literal';
    if (t.type === 'op' && sql.slice(t.start, t.end) === '-' && tokens[i + 1]?.type === 'number') {
      let p = i - 1;
      while (tokens[p]?.type === 'comment') p--;
      const before = tokens[p];
      const beforeText = before === undefined ? '' : sql.slice(before.start, before.end).toUpperCase();
      return before !== undefined && isOperand(before.type, beforeText) ? undefined : 'sign';
    }
    return undefined;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.type === 'comment' || t.type === 'semicolon') continue;
    const r = role(i);
    if (r === 'sign') continue;
    if (r === 'literal' || (r === undefined && constants !== undefined && role(i - 1) === 'sign')) {
      emit(placeholder(), 'param');
      continue;
    }
    if (r === 'param') {
      const raw = sql.slice(t.start, t.end);
      if (dialect !== 'postgres') emit('?', 'param');
      else {
        const n = params.get(raw) ?? `$${++count}`;
        params.set(raw, n);
        emit(n, 'param');
      }
      continue;
    }
    let text = sql.slice(t.start, t.end);
    if (t.type === 'variable' && /^@@?['"]/.test(text)) {
      // the host of MySQL's 'user'@'host' (or a user variable with a quoted name): a string
      emit(text.startsWith('@@') ? '@@?' : '@?', 'variable');
      continue;
    }
    if (t.type === 'word') {
      const upper = text.toUpperCase();
      if (SQL_KEYWORDS.has(upper)) text = upper;
      else if (dialect !== 'mysql') text = text.toLowerCase();
      // IN (<literals and placeholders>) -> IN (...)
      if (upper === 'IN' && tokens[i + 1]?.type === 'open') {
        const close = literalListEnd(tokens, i + 2, role);
        if (close > 0) {
          emit('IN', 'word');
          emit('(...)', 'close');
          i = close;
          continue;
        }
      }
    }
    emit(text, t.type);
  }
  return out.join('');
}

/**
 * Index of the first token of a SQLite PRAGMA's value (after `=` or `(`), or Infinity. The value is a
 * literal whatever its quoting: SQLCipher's `PRAGMA key = "x'..'"` and `PRAGMA key = passphrase` hold
 * the database key in a name's clothes.
 */
function sqlitePragmaValueStart(sql: string, tokens: readonly Token[], dialect: SqlDialect): number {
  if (dialect !== 'sqlite') return Number.POSITIVE_INFINITY;
  const first = tokens.findIndex((t) => t.type !== 'comment');
  const lead = tokens[first];
  if (lead?.type !== 'word' || sql.slice(lead.start, lead.end).toUpperCase() !== 'PRAGMA')
    return Number.POSITIVE_INFINITY;
  const at = tokens.findIndex(
    (t, k) => k > first && (t.type === 'open' || sql.slice(t.start, t.end) === '='),
  );
  return at < 0 ? Number.POSITIVE_INFINITY : at + 1;
}

function isOperand(type: Token['type'], text: string): boolean {
  if (type === 'word') return !SQL_KEYWORDS.has(text) || text === 'NULL' || text === 'END';
  return type === 'quoted' || type === 'string' || type === 'number' || type === 'param' || type === 'close';
}

/** Index of the `)` closing a list of literals that starts at `from`, or -1 if the list holds more. */
function literalListEnd(
  tokens: readonly Token[],
  from: number,
  role: (i: number) => 'literal' | 'sign' | 'param' | undefined,
): number {
  let seen = false;
  for (let j = from; j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (t.type === 'comment' || t.type === 'comma') continue;
    if (t.type === 'close') return seen ? j : -1;
    const r = role(j);
    if (r === 'literal' || r === 'param') seen = true;
    else if (r !== 'sign' && role(j - 1) !== 'sign') return -1;
  }
  return -1;
}

/** Normalized text of one statement from its text alone (MySQL, SQLite, libpg_query normalize output). */
export function normalizeStatement(sql: string, dialect: SqlDialect): string {
  return foldNormalized(sql, tokenize(sql, dialect), dialect);
}

/** The MySQL/SQLite fingerprint: sha1 of the dialect and normalized text, 16 hex characters. */
export function textFingerprint(normalized: string, dialect: SqlDialect): string {
  return createHash('sha1').update(dialect).update('\0').update(normalized).digest('hex').slice(0, 16);
}
