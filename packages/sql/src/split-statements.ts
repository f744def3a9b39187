import { type Token, tokenize, upperWord } from './sql-lexer.js';
import type { SqlDialect, StatementSpan } from './types.js';

/** A statement's tokens (comments included) and its span. */
export interface StatementTokens extends StatementSpan {
  /** Tokens of the statement without comments (MySQL executable comments are kept). */
  readonly tokens: readonly Token[];
}

const BLOCK_OBJECTS = new Set(['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT']);
const END_FOLLOWERS = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT']);

/**
 * Splits a script into statements at top-level `;`. Semicolons inside strings, quoted identifiers,
 * dollar quotes, comments, parentheses and `BEGIN ... END` bodies of triggers, procedures and functions
 * (and PostgreSQL's `BEGIN ATOMIC`) do not split. Statements holding only comments are dropped.
 */
export function splitStatements(sql: string, dialect: SqlDialect): StatementSpan[] {
  return splitStatementTokens(sql, dialect).map(({ text, start, end }) => ({ text, start, end }));
}

/** A `DELIMITER x` line of the mysql client (it changes what ends a statement until the next one). */
const DELIMITER_LINE = /^[ \t]*delimiter[ \t]+(\S+)[ \t]*(?:\r?\n|$)/gim;

/** Token types whose text is not code: a delimiter or a `DELIMITER` line inside one does not count. */
const OPAQUE = new Set(['string', 'quoted', 'comment', 'exec-comment']);

/** `splitStatements`, keeping each statement's tokens for the analyzers. */
export function splitStatementTokens(sql: string, dialect: SqlDialect): StatementTokens[] {
  const all = tokenize(sql, dialect);
  if (dialect === 'mysql' && /^[ \t]*delimiter[ \t]/im.test(sql)) return splitWithDelimiters(sql, all);
  return splitTokens(sql, all);
}

/**
 * MySQL scripts written for the mysql client: `DELIMITER //` makes `//` end statements (so a
 * procedure body keeps its `;`) until `DELIMITER ;`. The DELIMITER lines are the client's, never sent.
 */
function splitWithDelimiters(sql: string, all: readonly Token[]): StatementTokens[] {
  const opaque = all.filter((t) => OPAQUE.has(t.type));
  const inOpaque = (offset: number): boolean => opaque.some((t) => offset >= t.start && offset < t.end);
  const out: StatementTokens[] = [];
  let start = 0;
  let delimiter = ';';
  const region = (from: number, to: number): void => {
    if (delimiter === ';') {
      out.push(...splitTokens(sql, tokensOf(sql, from, to)));
      return;
    }
    // Re-tokenized piece by piece: a delimiter may be glued to a word (`END$$`).
    const regionTokens = tokensOf(sql, from, to).filter((t) => OPAQUE.has(t.type));
    let pieceStart = from;
    for (let at = sql.indexOf(delimiter, from); at !== -1 && at < to; at = sql.indexOf(delimiter, at + 1)) {
      if (regionTokens.some((t) => at >= t.start && at < t.end)) continue;
      pushPiece(sql, pieceStart, at, out);
      pieceStart = at + delimiter.length;
      at = pieceStart - 1;
    }
    pushPiece(sql, pieceStart, to, out);
  };
  for (const match of sql.matchAll(DELIMITER_LINE)) {
    const lineStart = match.index + (match[0].length - match[0].trimStart().length);
    if (inOpaque(lineStart)) continue;
    region(start, match.index);
    delimiter = match[1] as string;
    start = match.index + match[0].length;
  }
  region(start, sql.length);
  return out;
}

function tokensOf(sql: string, from: number, to: number): Token[] {
  return tokenize(sql.slice(from, to), 'mysql').map((t) => ({
    ...t,
    start: t.start + from,
    end: t.end + from,
  }));
}

/** One statement from `[from, to)` (a custom-delimiter piece), unless it holds only comments. */
function pushPiece(sql: string, from: number, to: number, out: StatementTokens[]): void {
  const tokens = tokensOf(sql, from, to).filter((t) => t.type !== 'comment');
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (first === undefined || last === undefined) return;
  out.push({ text: sql.slice(first.start, last.end), start: first.start, end: last.end, tokens });
}

function splitTokens(sql: string, all: readonly Token[]): StatementTokens[] {
  const out: StatementTokens[] = [];
  let current: Token[] = [];
  let depth = 0;
  let blockDepth = 0;
  let blockCapable = false;
  let words = 0;
  let afterEnd = false;
  const flush = (): void => {
    const first = current[0];
    const last = current[current.length - 1];
    if (first !== undefined && last !== undefined) {
      out.push({
        text: sql.slice(first.start, last.end),
        start: first.start,
        end: last.end,
        tokens: current,
      });
    }
    current = [];
    depth = 0;
    blockDepth = 0;
    blockCapable = false;
    words = 0;
    afterEnd = false;
  };
  for (let k = 0; k < all.length; k++) {
    const t = all[k] as Token;
    if (t.type === 'comment') continue;
    if (t.type === 'semicolon' && depth <= 0 && blockDepth <= 0) {
      flush();
      continue;
    }
    current.push(t);
    if (t.type === 'open') depth++;
    else if (t.type === 'close') depth--;
    else if (t.type === 'word') {
      const w = upperWord(sql, t);
      words++;
      if (words === 1) blockCapable = w === 'CREATE';
      if (afterEnd) {
        // the IF of END IF, the CASE of END CASE: closes, does not open
        afterEnd = false;
        if (END_FOLLOWERS.has(w) || w === 'CASE') continue;
      }
      if (words > 1 && blockCapable && isBlockStatement(sql, current)) {
        if (w === 'BEGIN' || w === 'CASE') blockDepth++;
        else if (w === 'END') {
          afterEnd = true;
          if (!END_FOLLOWERS.has(nextWord(sql, all, k))) blockDepth = Math.max(0, blockDepth - 1);
        }
      }
    }
  }
  flush();
  return out;
}

function isBlockStatement(sql: string, tokens: readonly Token[]): boolean {
  for (let i = 1; i < tokens.length && i < 14; i++) {
    if (BLOCK_OBJECTS.has(upperWord(sql, tokens[i]))) return true;
  }
  return false;
}

function nextWord(sql: string, all: readonly Token[], k: number): string {
  for (let j = k + 1; j < all.length; j++) {
    const t = all[j] as Token;
    if (t.type === 'comment') continue;
    return upperWord(sql, t);
  }
  return '';
}
