import type { SqlDialect } from './types.js';

// Hand-written rather than borrowed: splitting and normalizing must be synchronous and must not load a
// parser (the CLI's start-up time depends on that), and no maintained library tokenizes PostgreSQL,
// MySQL and SQLite with their own quoting rules while keeping offsets.

/** The kinds of token the lexer tells apart. */
export type TokenType =
  | 'word' // unquoted identifier or keyword
  | 'quoted' // quoted identifier: "x", `x`, [x]
  | 'string' // string literal of any flavour, dollar-quoted bodies included
  | 'number'
  | 'param' // $1, ?, ?1, :name, @name ($name in SQLite)
  | 'variable' // MySQL @user and @@system variables
  | 'op' // operators and punctuation other than the ones below
  | 'open' // (
  | 'close' // )
  | 'comma'
  | 'dot'
  | 'semicolon'
  | 'comment'
  | 'exec-comment'; // MySQL /*! ... */ and MariaDB /*M! ... */, which the server executes

/** One token; `start`/`end` are character offsets into the input (end exclusive). */
export interface Token {
  readonly type: TokenType;
  readonly start: number;
  readonly end: number;
  /** True for a string, quoted identifier or comment that runs to the end of the input unclosed. */
  readonly unterminated: boolean;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
const isWordPart = (c: number, dialect: SqlDialect): boolean =>
  isWordStart(c) || isDigit(c) || (c === 36 && dialect !== 'sqlite');
const OP_CHARS = new Set('+-*/<>=~!@#%^&|`?:'.split('').map((c) => c.charCodeAt(0)));

/** Splits `sql` into tokens by the quoting and comment rules of `dialect`; whitespace is skipped. */
export function tokenize(sql: string, dialect: SqlDialect): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  const push = (type: TokenType, start: number, end: number, unterminated = false): void => {
    tokens.push({ type, start, end, unterminated });
  };
  // Scans a quoted run starting at `i` (the opening quote); returns the end offset and whether it closed.
  const quoted = (from: number, close: number, backslash: boolean): [number, boolean] => {
    let j = from + 1;
    while (j < n) {
      const c = sql.charCodeAt(j);
      if (backslash && c === 92) {
        j += 2;
        continue;
      }
      if (c === close) {
        if (sql.charCodeAt(j + 1) === close) {
          j += 2;
          continue;
        }
        return [j + 1, true];
      }
      j++;
    }
    return [n, false];
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    // whitespace
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    // -- comment (MySQL wants a space or control character after the dashes)
    if (c === 45 && next === 45) {
      const after = sql.charCodeAt(i + 2);
      if (dialect !== 'mysql' || Number.isNaN(after) || after <= 32) {
        const eol = sql.indexOf('\n', i);
        const end = eol < 0 ? n : eol;
        push('comment', i, end);
        i = end;
        continue;
      }
    }
    if (c === 35 && dialect === 'mysql') {
      const eol = sql.indexOf('\n', i);
      const end = eol < 0 ? n : eol;
      push('comment', i, end);
      i = end;
      continue;
    }
    // /* comment */ (nested in PostgreSQL)
    if (c === 47 && next === 42) {
      if (dialect === 'mysql' && executableCommentMarker(sql, i) > 0) {
        const [end, closed] = executableCommentEnd(sql, i + executableCommentMarker(sql, i));
        push('exec-comment', i, end, !closed);
        i = end;
        continue;
      }
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        const d = sql.charCodeAt(j);
        if (d === 42 && sql.charCodeAt(j + 1) === 47) {
          depth--;
          j += 2;
        } else if (dialect === 'postgres' && d === 47 && sql.charCodeAt(j + 1) === 42) {
          depth++;
          j += 2;
        } else {
          j++;
        }
      }
      push('comment', i, j, depth > 0);
      i = j;
      continue;
    }
    // string literals
    if (c === 39) {
      const [end, closed] = quoted(i, 39, dialect === 'mysql');
      push('string', i, end, !closed);
      i = end;
      continue;
    }
    if (c === 34) {
      // MySQL reads "..." as a string unless ANSI_QUOTES is on; the others as an identifier.
      const [end, closed] = quoted(i, 34, dialect === 'mysql');
      push(dialect === 'mysql' ? 'string' : 'quoted', i, end, !closed);
      i = end;
      continue;
    }
    if (c === 96 && dialect !== 'postgres') {
      const [end, closed] = quoted(i, 96, false);
      push('quoted', i, end, !closed);
      i = end;
      continue;
    }
    if (c === 91 && dialect === 'sqlite') {
      const close = sql.indexOf(']', i + 1);
      const end = close < 0 ? n : close + 1;
      push('quoted', i, end, close < 0);
      i = end;
      continue;
    }
    // PostgreSQL dollar quoting and $n parameters; SQLite $name parameters
    if (c === 36) {
      if (isDigit(next)) {
        let j = i + 1;
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
        push('param', i, j);
        i = j;
        continue;
      }
      if (dialect === 'postgres') {
        let j = i + 1;
        while (j < n && (isWordStart(sql.charCodeAt(j)) || isDigit(sql.charCodeAt(j)))) j++;
        if (sql.charCodeAt(j) === 36 && (j === i + 1 || !isDigit(sql.charCodeAt(i + 1)))) {
          const tag = sql.slice(i, j + 1);
          const close = sql.indexOf(tag, j + 1);
          const end = close < 0 ? n : close + tag.length;
          push('string', i, end, close < 0);
          i = end;
          continue;
        }
      } else if (dialect === 'sqlite' && isWordStart(next)) {
        let j = i + 1;
        while (j < n && isWordPart(sql.charCodeAt(j), dialect)) j++;
        push('param', i, j);
        i = j;
        continue;
      }
    }
    // numbers (0x.. hex too)
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      let j = i;
      if (c === 48 && (next === 120 || next === 88)) {
        j += 2;
        while (j < n && /[0-9a-fA-F_]/.test(sql[j] ?? '')) j++;
      } else if (
        c === 48 &&
        (next === 98 || (next === 66 && dialect === 'postgres')) &&
        /[01]/.test(sql[i + 2] ?? '')
      ) {
        // 0b0101: binary (MySQL, PostgreSQL 16+; MySQL reads 0B01 as a name)
        j += 2;
        while (j < n && /[01_]/.test(sql[j] ?? '')) j++;
      } else if (
        dialect === 'postgres' &&
        c === 48 &&
        (next === 111 || next === 79) &&
        /[0-7]/.test(sql[i + 2] ?? '')
      ) {
        // 0o17: octal (PostgreSQL 16+)
        j += 2;
        while (j < n && /[0-7_]/.test(sql[j] ?? '')) j++;
      } else {
        while (j < n && (isDigit(sql.charCodeAt(j)) || sql.charCodeAt(j) === 95)) j++;
        if (sql.charCodeAt(j) === 46) {
          j++;
          while (j < n && isDigit(sql.charCodeAt(j))) j++;
        }
        const e = sql.charCodeAt(j);
        if (e === 101 || e === 69) {
          const s = sql.charCodeAt(j + 1);
          const k = s === 43 || s === 45 ? j + 2 : j + 1;
          if (isDigit(sql.charCodeAt(k))) {
            j = k;
            while (j < n && isDigit(sql.charCodeAt(j))) j++;
          }
        }
      }
      // MySQL allows identifiers that start with digits (1abc); keep them whole as words.
      if (dialect === 'mysql' && j < n && isWordStart(sql.charCodeAt(j))) {
        while (j < n && isWordPart(sql.charCodeAt(j), dialect)) j++;
        push('word', i, j);
      } else {
        push('number', i, j);
      }
      i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j), dialect)) j++;
      const after = sql.charCodeAt(j);
      const len = j - i;
      // prefixed strings: E'..', B'..', X'..', N'..', U&'..', _utf8mb4'..'
      if (after === 39 && (len === 1 || (dialect === 'mysql' && c === 95))) {
        const prefix = sql[i]?.toLowerCase();
        const backslash = dialect === 'mysql' || prefix === 'e';
        const [end, closed] = quoted(j, 39, backslash);
        push('string', i, end, !closed);
        i = end;
        continue;
      }
      if (len === 1 && (c === 85 || c === 117) && after === 38 && sql.charCodeAt(j + 1) === 39) {
        const [end, closed] = quoted(j + 1, 39, false);
        push('string', i, end, !closed);
        i = end;
        continue;
      }
      push('word', i, j);
      i = j;
      continue;
    }
    if (c === 40 || c === 41 || c === 44 || c === 59 || c === 46) {
      push(
        c === 40 ? 'open' : c === 41 ? 'close' : c === 44 ? 'comma' : c === 59 ? 'semicolon' : 'dot',
        i,
        i + 1,
      );
      i++;
      continue;
    }
    // parameters and variables
    if (c === 63 && dialect !== 'postgres') {
      let j = i + 1;
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      push('param', i, j);
      i = j;
      continue;
    }
    if (c === 58 && dialect === 'sqlite' && isWordStart(next)) {
      let j = i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j), dialect)) j++;
      push('param', i, j);
      i = j;
      continue;
    }
    if (c === 64 && dialect !== 'postgres') {
      let j = i + 1;
      if (dialect === 'mysql' && next === 64) j++;
      const q = sql.charCodeAt(j);
      if (dialect === 'mysql' && (q === 39 || q === 34 || q === 96)) {
        const [end] = quoted(j, q, q !== 96);
        j = end;
      } else {
        while (j < n && (isWordPart(sql.charCodeAt(j), dialect) || sql.charCodeAt(j) === 46)) j++;
      }
      if (j > i + 1) {
        push(dialect === 'mysql' ? 'variable' : 'param', i, j);
        i = j;
        continue;
      }
    }
    if (OP_CHARS.has(c)) {
      let j = i + 1;
      while (j < n && OP_CHARS.has(sql.charCodeAt(j))) {
        const d = sql.charCodeAt(j);
        const e = sql.charCodeAt(j + 1);
        if ((d === 45 && e === 45) || (d === 47 && e === 42) || (d === 35 && dialect === 'mysql')) break;
        if (d === 96 && dialect !== 'postgres') break;
        if ((d === 63 || d === 64) && dialect !== 'postgres') break;
        j++;
      }
      push('op', i, j);
      i = j;
      continue;
    }
    push('op', i, i + 1);
    i++;
  }
  return tokens;
}

/**
 * Length of the marker that opens a MySQL/MariaDB executable comment at `at` (`/*!`, `/*!50700`,
 * MariaDB's `/*M!`, `/*M!100100`: up to six version digits), or 0 when no such comment opens there.
 * The server runs such a comment's content as SQL (MySQL ignores `/*M!`, MariaDB runs it; aishell
 * reads both as code, the worse of the two readings).
 */
export function executableCommentMarker(sql: string, at: number): number {
  if (sql.charCodeAt(at) !== 47 || sql.charCodeAt(at + 1) !== 42) return 0;
  let j = at + 2;
  if ((sql.charCodeAt(j) | 32) === 109) j++; // M (MariaDB writes M; m is read the same, the worse reading)
  if (sql.charCodeAt(j) !== 33) return 0; // !
  j++;
  const digitsEnd = Math.min(j + 6, sql.length);
  while (j < digitsEnd && isDigit(sql.charCodeAt(j))) j++;
  return j - at;
}

/**
 * Where the executable comment whose content starts at `from` ends (after its `*\/`, or the end of the
 * input). MySQL lexes the content as SQL, so this follows it: a `*\/` inside a string does not close
 * the comment, a plain `/* ... *\/` inside it is skipped whole. Where readings could differ, the one
 * that ends the comment sooner (and so leaves more outside it as code) wins: a `*\/` inside a `#` or
 * `-- ` comment of the content closes it.
 */
function executableCommentEnd(sql: string, from: number): [end: number, closed: boolean] {
  const n = sql.length;
  let j = from;
  while (j < n) {
    const d = sql.charCodeAt(j);
    const e = sql.charCodeAt(j + 1);
    if (d === 42 && e === 47) return [j + 2, true];
    if (d === 39 || d === 34 || d === 96) {
      j = quotedEnd(sql, j, d !== 96);
    } else if (d === 47 && e === 42) {
      const close = sql.indexOf('*/', j + 2);
      j = close < 0 ? n : close + 2;
    } else if (d === 35 || (d === 45 && e === 45 && !(sql.charCodeAt(j + 2) > 32))) {
      while (j < n && sql.charCodeAt(j) !== 10 && !sql.startsWith('*/', j)) j++;
    } else {
      j++;
    }
  }
  return [n, false];
}

/** The end of a MySQL quoted run opening at `from` (doubled quotes; backslash escapes in strings). */
function quotedEnd(sql: string, from: number, backslash: boolean): number {
  const close = sql.charCodeAt(from);
  let j = from + 1;
  while (j < sql.length) {
    const c = sql.charCodeAt(j);
    if (backslash && c === 92) j += 2;
    else if (c !== close) j++;
    else if (sql.charCodeAt(j + 1) === close) j += 2;
    else return j + 1;
  }
  return sql.length;
}

/** The text of a word token, upper-cased, for keyword comparisons. */
export function upperWord(sql: string, token: Token | undefined): string {
  return token !== undefined && token.type === 'word' ? sql.slice(token.start, token.end).toUpperCase() : '';
}

/** The name an identifier token stands for: quotes removed (and doubled quotes undone). */
export function identifierName(sql: string, token: Token): string {
  const raw = sql.slice(token.start, token.end);
  if (token.type !== 'quoted') return raw;
  const q = raw[0];
  const body = raw.slice(1, token.unterminated ? raw.length : raw.length - 1);
  if (q === '[') return body;
  return q === undefined ? body : body.split(q + q).join(q);
}
