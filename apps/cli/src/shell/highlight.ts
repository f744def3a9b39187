import { type SqlDialect, type SqlTokenKind, tokenizeSql } from '@aishell/engine';
import { inputKind } from './input-kind.js';

/** SGR parameters per token kind (pgcli's palette in spirit: keywords stand out, names are calm). */
const STYLE: Partial<Record<SqlTokenKind, string>> = {
  keyword: '1;34',
  identifier: '36',
  'quoted-identifier': '36',
  string: '32',
  number: '33',
  comment: '90',
  parameter: '35',
};
const META_STYLE = '1;35';

/** `text` in colour `sgr`, each line wrapped on its own so that a prompt between lines stays plain. */
function paint(text: string, sgr: string | undefined): string {
  if (sgr === undefined) return text;
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `\x1b[${sgr}m${line}\x1b[0m`))
    .join('\n');
}

/** SQL coloured by token; every character of `sql` is kept, in order (only escape codes are added). */
export function highlightSql(sql: string, dialect: SqlDialect): string {
  let out = '';
  let at = 0;
  for (const token of tokenizeSql(sql, dialect)) {
    out += sql.slice(at, token.start) + paint(sql.slice(token.start, token.end), STYLE[token.kind]);
    at = token.end;
  }
  return out + sql.slice(at);
}

/**
 * The input as the editor shows it: a backslash command's name in colour (and the query of
 * `\copy (...)`, `\explain`, `\watch`'s SQL as SQL), SQL by token, a question in English as typed.
 */
export function highlightInput(text: string, dialect: SqlDialect, forceSql = false): string {
  switch (inputKind(text, forceSql)) {
    case 'sql':
      return highlightSql(text, dialect);
    case 'meta': {
      const m = /^(\s*)(\\\S*)(.*)$/s.exec(text);
      if (!m) return text;
      const [, lead = '', verb = '', rest = ''] = m;
      const sqlArgument = /^\\(copy|explain|sql)$/.test(verb);
      return lead + paint(verb, META_STYLE) + (sqlArgument ? highlightSql(rest, dialect) : rest);
    }
    default:
      return text;
  }
}

/** Escape codes removed: what the person sees. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}
