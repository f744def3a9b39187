import type { PreparedStatements } from './prepared-statements.js';
import type { FactCollector } from './risk.js';
import { identifierName, type Token, upperWord } from './sql-lexer.js';

/**
 * A MySQL/MariaDB statement that runs (or prepares, or forgets) SQL held in a value. `text` is the SQL
 * when the value is a string literal, undefined when it is anything else (`@sql`, `CONCAT(...)`).
 */
export type DynamicSql =
  | { readonly verb: 'PREPARE'; readonly name: string; readonly text: string | undefined }
  | { readonly verb: 'EXECUTE IMMEDIATE'; readonly text: string | undefined }
  | { readonly verb: 'EXECUTE'; readonly name: string }
  | { readonly verb: 'DEALLOCATE'; readonly name: string };

const isName = (t: Token | undefined): t is Token =>
  t !== undefined && (t.type === 'word' || t.type === 'quoted');

/**
 * Reads `PREPARE name FROM <sql>`, `EXECUTE IMMEDIATE <sql> [USING ...]`, `EXECUTE name [USING ...]`
 * and `{DEALLOCATE | DROP} PREPARE name` from a statement's tokens; undefined for any other statement.
 */
export function readDynamicSql(sql: string, tokens: readonly Token[]): DynamicSql | undefined {
  const word = (i: number): string => upperWord(sql, tokens[i]);
  const first = word(0);
  if (first === 'PREPARE' && isName(tokens[1]) && word(2) === 'FROM') {
    return { verb: 'PREPARE', name: identifierName(sql, tokens[1]), text: literalText(sql, tokens.slice(3)) };
  }
  if (first === 'EXECUTE' && word(1) === 'IMMEDIATE' && tokens.length > 2) {
    let end = 2;
    let depth = 0;
    for (; end < tokens.length; end++) {
      const t = tokens[end] as Token;
      if (t.type === 'open') depth++;
      else if (t.type === 'close') depth--;
      else if (depth === 0 && word(end) === 'USING') break;
    }
    return { verb: 'EXECUTE IMMEDIATE', text: literalText(sql, tokens.slice(2, end)) };
  }
  if (first === 'EXECUTE' && isName(tokens[1]))
    return { verb: 'EXECUTE', name: identifierName(sql, tokens[1]) };
  if ((first === 'DEALLOCATE' || first === 'DROP') && word(1) === 'PREPARE' && isName(tokens[2])) {
    return { verb: 'DEALLOCATE', name: identifierName(sql, tokens[2]) };
  }
  return undefined;
}

/**
 * The value of an expression that is one string literal, or several side by side (MySQL joins
 * `'a' 'b'`), each maybe with a character set (`_utf8mb4'..'`, `N'..'`); undefined for anything else,
 * hexadecimal and bit strings included.
 */
function literalText(sql: string, tokens: readonly Token[]): string | undefined {
  if (tokens.length === 0) return undefined;
  let out = '';
  for (const t of tokens) {
    if (t.type !== 'string' || t.unterminated) return undefined;
    const raw = sql.slice(t.start, t.end);
    const open = raw.search(/['"]/);
    const prefix = raw.slice(0, open);
    if (prefix !== '' && !/^(n|_[a-z0-9_]+)$/i.test(prefix)) return undefined;
    out += unquote(raw.slice(open));
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  '%': '\\%',
  _: '\\_',
};

/** A MySQL string's body: doubled quotes and backslash escapes undone. */
function unquote(quotedText: string): string {
  const q = quotedText[0] as string;
  const body = quotedText.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && i + 1 < body.length) {
      const e = body[++i] as string;
      out += ESCAPES[e] ?? e;
    } else if (c === q && body[i + 1] === q) {
      out += q;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** What the lexical analysis needs to see into dynamic SQL; `analyze` supplies it. */
export interface DynamicSqlContext {
  /** The statements prepared so far in this input. */
  readonly prepared: PreparedStatements;
  /**
   * The facts of a SQL text (the worst of its statements), analyzed as a statement of its own with
   * `prepared` as the names known to it; undefined when it does not parse.
   */
  analyze(text: string, prepared: PreparedStatements): FactCollector | undefined;
}
