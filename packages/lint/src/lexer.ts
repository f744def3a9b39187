import type { LintDialect } from './types.js';

// @aishell/sql keeps its tokenizer to itself (it exports splitting, not tokens), so the lint reads
// tokens of its own: comments of both dialects (for the ignore comments), and MySQL's statements
// word by word (node-sql-parser's MySQL grammar drops the ALGORITHM/LOCK clauses and positions).

/** The kinds of token the lint tells apart. */
export type TokenType =
  | 'word' // unquoted identifier or keyword
  | 'quoted' // quoted identifier: "x" (PostgreSQL), `x` (MySQL)
  | 'string' // string literal, dollar-quoted bodies included
  | 'number'
  | 'variable' // MySQL @x, @@x
  | 'punct' // ( ) , ; . = and other operators, one token per run of operator characters
  | 'comment';

/** One token; `start`/`end` are character offsets into the text (end exclusive). */
export interface Token {
  readonly type: TokenType;
  readonly start: number;
  readonly end: number;
  /** A string, quoted identifier or comment that runs to the end of the text unclosed. */
  readonly unterminated?: boolean;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
const isWordPart = (c: number): boolean => isWordStart(c) || isDigit(c) || c === 36;
const SINGLE = new Set('(),;.[]'.split('').map((c) => c.charCodeAt(0)));
const OPERATOR = new Set('+-*/<>=~!@#%^&|?:'.split('').map((c) => c.charCodeAt(0)));

/**
 * Tokens of `text[from, to)` by the quoting and comment rules of `dialect`, whitespace skipped.
 * MySQL's executable comments (`/*! ... *\/`, `/*M! ... *\/`) are read as the code they hold.
 */
export function tokenize(text: string, dialect: LintDialect, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  const mysql = dialect === 'mysql';
  let i = from;
  let execDepth = 0;
  const quoted = (start: number, close: number, backslash: boolean): [number, boolean] => {
    let j = start + 1;
    while (j < to) {
      const c = text.charCodeAt(j);
      if (backslash && c === 92) {
        j += 2;
        continue;
      }
      if (c === close) {
        if (text.charCodeAt(j + 1) === close) {
          j += 2;
          continue;
        }
        return [j + 1, true];
      }
      j++;
    }
    return [to, false];
  };
  const lineEnd = (start: number): number => {
    const eol = text.indexOf('\n', start);
    return eol === -1 || eol > to ? to : eol;
  };
  while (i < to) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    if (c === 45 && next === 45) {
      const after = text.charCodeAt(i + 2);
      if (!mysql || Number.isNaN(after) || after <= 32) {
        const end = lineEnd(i);
        out.push({ type: 'comment', start: i, end });
        i = end;
        continue;
      }
    }
    if (c === 35 && mysql) {
      const end = lineEnd(i);
      out.push({ type: 'comment', start: i, end });
      i = end;
      continue;
    }
    if (c === 47 && next === 42) {
      if (mysql) {
        const marker = /^\/\*M?!\d{0,6}/.exec(text.slice(i, i + 10));
        if (marker !== null) {
          execDepth++;
          i += marker[0].length;
          continue;
        }
      }
      let depth = 1;
      let j = i + 2;
      while (j < to && depth > 0) {
        const d = text.charCodeAt(j);
        if (d === 42 && text.charCodeAt(j + 1) === 47) {
          depth--;
          j += 2;
        } else if (!mysql && d === 47 && text.charCodeAt(j + 1) === 42) {
          depth++;
          j += 2;
        } else j++;
      }
      out.push({ type: 'comment', start: i, end: j, ...(depth > 0 ? { unterminated: true } : {}) });
      i = j;
      continue;
    }
    if (execDepth > 0 && c === 42 && next === 47) {
      execDepth--;
      i += 2;
      continue;
    }
    if (c === 39 || (c === 34 && mysql)) {
      // PostgreSQL's E'...' strings take backslash escapes; its standard strings do not.
      const last = out.at(-1);
      const prefixed =
        !mysql &&
        last?.type === 'word' &&
        last.end === i &&
        last.start === i - 1 &&
        /[Ee]/.test(text[i - 1] ?? '');
      const [end, closed] = quoted(i, c, mysql || prefixed);
      if (prefixed) out.pop();
      const start = prefixed ? i - 1 : i;
      out.push({ type: 'string', start, end, ...(closed ? {} : { unterminated: true }) });
      i = end;
      continue;
    }
    if ((c === 34 && !mysql) || (c === 96 && mysql)) {
      const [end, closed] = quoted(i, c, false);
      out.push({ type: 'quoted', start: i, end, ...(closed ? {} : { unterminated: true }) });
      i = end;
      continue;
    }
    if (c === 36 && !mysql) {
      let j = i + 1;
      while (j < to && (isWordStart(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
      if (text.charCodeAt(j) === 36 && !isDigit(next)) {
        const tag = text.slice(i, j + 1);
        const close = text.indexOf(tag, j + 1);
        const end = close === -1 || close + tag.length > to ? to : close + tag.length;
        out.push({ type: 'string', start: i, end, ...(close === -1 ? { unterminated: true } : {}) });
        i = end;
        continue;
      }
      // $1 parameters
      let k = i + 1;
      while (k < to && isDigit(text.charCodeAt(k))) k++;
      out.push({ type: 'punct', start: i, end: Math.max(k, i + 1) });
      i = Math.max(k, i + 1);
      continue;
    }
    if (c === 64 && mysql) {
      let j = i + 1;
      if (text.charCodeAt(j) === 64) j++;
      while (j < to && (isWordPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
      out.push({ type: 'variable', start: i, end: j });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      let j = i + 1;
      while (j < to && (isWordPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
      out.push({ type: 'number', start: i, end: j });
      i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < to && isWordPart(text.charCodeAt(j))) j++;
      out.push({ type: 'word', start: i, end: j });
      i = j;
      continue;
    }
    if (SINGLE.has(c)) {
      out.push({ type: 'punct', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (OPERATOR.has(c)) {
      let j = i + 1;
      while (
        j < to &&
        OPERATOR.has(text.charCodeAt(j)) &&
        !(text.charCodeAt(j) === 45 && text.charCodeAt(j + 1) === 45)
      )
        j++;
      out.push({ type: 'punct', start: i, end: j });
      i = j;
      continue;
    }
    out.push({ type: 'punct', start: i, end: i + 1 });
    i++;
  }
  return out;
}

/** The comments of `text` (strings, quoted names and dollar quotes skipped). */
export function comments(text: string, dialect: LintDialect): Token[] {
  // A file without `--`, `/*` or `#` has no comment: most migration files are read with one search.
  if (!text.includes('--') && !text.includes('/*') && !(dialect === 'mysql' && text.includes('#'))) return [];
  return tokenize(text, dialect).filter((t) => t.type === 'comment');
}

/** A comment's words without its markers (`-- `, `# `, `/* *\/`). */
export function commentBody(text: string, token: Token): string {
  const raw = text.slice(token.start, token.end);
  if (raw.startsWith('/*')) return raw.slice(2, raw.endsWith('*/') ? -2 : undefined);
  return raw.startsWith('#') ? raw.slice(1) : raw.slice(2);
}

/** An unclosed string, quoted name or comment in `text[from, to)` (it runs to the end), if any. */
export function unterminated(
  text: string,
  dialect: LintDialect,
  from: number,
  to: number,
): Token | undefined {
  return tokenize(text, dialect, from, to).find((t) => t.unterminated === true);
}

/** How a syntax-error finding names an unclosed token. */
export function unclosedMessage(token: Token): string {
  const what = token.type === 'comment' ? 'comment' : token.type === 'quoted' ? 'quoted name' : 'string';
  return `This ${what} is never closed: the rest of the file is read into it.`;
}
