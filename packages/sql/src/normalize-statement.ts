import { createHash } from 'node:crypto';
import { SQL_KEYWORDS } from './sql-keywords.js';
import { type Token, tokenize } from './sql-lexer.js';
import type { SqlDialect } from './types.js';

const NO_SPACE_BEFORE = new Set([',', ')', '.', '::', ';']);
const NO_SPACE_AFTER = new Set(['(', '.', '::']);

/**
 * Folds a statement's tokens into normalized text: comments dropped, whitespace single, keywords upper
 * case, literals replaced by `?` (MySQL, SQLite) or kept as the `$n` that libpg_query's normalize wrote
 * (PostgreSQL, renumbered in order of appearance), and `IN (<literals>)` collapsed to `IN (...)`.
 */
export function foldNormalized(sql: string, tokens: readonly Token[], dialect: SqlDialect): string {
  const parts: string[] = [];
  const renumber = new Map<string, string>();
  let prev = '';
  let prevType: Token['type'] | '' = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.type === 'comment' || t.type === 'semicolon') continue;
    let text: string;
    switch (t.type) {
      case 'string':
      case 'number':
        text = '?';
        break;
      case 'param': {
        const raw = sql.slice(t.start, t.end);
        if (dialect === 'postgres') {
          text = renumber.get(raw) ?? `$${renumber.size + 1}`;
          renumber.set(raw, text);
        } else {
          text = '?';
        }
        break;
      }
      case 'word': {
        const raw = sql.slice(t.start, t.end);
        const upper = raw.toUpperCase();
        if (dialect !== 'postgres' && (upper === 'TRUE' || upper === 'FALSE')) text = '?';
        else if (SQL_KEYWORDS.has(upper)) text = upper;
        else text = dialect === 'mysql' ? raw : raw.toLowerCase();
        break;
      }
      default:
        text = sql.slice(t.start, t.end);
    }
    // A minus sign in front of a literal belongs to the literal.
    if (t.type === 'op' && text === '-' && isLiteral(tokens[i + 1]) && !isOperand(prevType, prev)) continue;
    // IN (<literals and placeholders>) -> IN (...)
    if ((text === 'IN' || text === 'in') && tokens[i + 1]?.type === 'open') {
      const close = literalListEnd(sql, tokens, i + 2);
      if (close > 0) {
        parts.push(prev === '' ? 'IN' : ' IN', ' (...)');
        // keep the placeholders of the collapsed list out of the numbering
        prev = ')';
        prevType = 'close';
        i = close;
        continue;
      }
    }
    const space =
      parts.length > 0 &&
      !NO_SPACE_BEFORE.has(text) &&
      !NO_SPACE_AFTER.has(prev) &&
      !(text === '(' && (prevType === 'word' || prevType === 'quoted') && !SQL_KEYWORDS.has(prev));
    parts.push(space ? ` ${text}` : text);
    prev = text;
    prevType = t.type;
  }
  return parts.join('');
}

function isLiteral(t: Token | undefined): boolean {
  return t !== undefined && (t.type === 'number' || t.type === 'param');
}

function isOperand(type: Token['type'] | '', text: string): boolean {
  if (type === 'word') return !SQL_KEYWORDS.has(text) || text === 'NULL' || text === 'END';
  return type === 'quoted' || type === 'string' || type === 'number' || type === 'param' || type === 'close';
}

/** Index of the `)` closing a list of literals that starts at `from`, or -1 if the list holds more. */
function literalListEnd(sql: string, tokens: readonly Token[], from: number): number {
  let seen = false;
  for (let j = from; j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (t.type === 'comment' || t.type === 'comma') continue;
    if (t.type === 'close') return seen ? j : -1;
    if (t.type === 'string' || t.type === 'number' || t.type === 'param') {
      seen = true;
      continue;
    }
    if (t.type === 'op' && sql.slice(t.start, t.end) === '-') continue;
    if (t.type === 'word' && /^(true|false|null)$/i.test(sql.slice(t.start, t.end))) {
      seen = true;
      continue;
    }
    return -1;
  }
  return -1;
}

/** Normalized text of one statement (for MySQL and SQLite, and PostgreSQL's libpg_query output). */
export function normalizeStatement(sql: string, dialect: SqlDialect): string {
  return foldNormalized(sql, tokenize(sql, dialect), dialect);
}

/** The MySQL/SQLite fingerprint: sha1 of the dialect and normalized text, 16 hex characters. */
export function textFingerprint(normalized: string, dialect: SqlDialect): string {
  return createHash('sha1').update(dialect).update('\0').update(normalized).digest('hex').slice(0, 16);
}
