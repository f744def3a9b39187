import { type SqlDialect, tokenizeSql } from '@aishell/engine';

/**
 * psql's variable interpolation: `:name` becomes the value of `\set name`, `:'name'` the value as a
 * string literal, `:"name"` as a quoted name. Only outside strings, quoted names and comments (the
 * lexer says where), never in a cast (`::int`); a variable that is not set is left as written.
 */
export function interpolate(
  sql: string,
  variables: ReadonlyMap<string, string>,
  dialect: SqlDialect,
): string {
  if (variables.size === 0 || !sql.includes(':')) return sql;
  const tokens = tokenizeSql(sql, dialect);
  let out = '';
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t === undefined) continue;
    const text = sql.slice(t.start, t.end);
    let colon = -1;
    let nameToken = next;
    let end = next?.end ?? t.end;
    if (t.kind === 'parameter' && text.startsWith(':') && text.length > 1) {
      // SQLite lexes `:name` as a parameter of its own.
      colon = t.start;
      nameToken = t;
      end = t.end;
    } else if (t.kind === 'operator' && text.endsWith(':') && !text.endsWith('::') && next?.start === t.end) {
      colon = t.end - 1;
    }
    if (colon === -1 || nameToken === undefined) continue;
    const raw = sql.slice(nameToken === t ? t.start + 1 : nameToken.start, nameToken.end);
    let replacement: string | undefined;
    if (nameToken.kind === 'string' && raw.startsWith("'") && raw.endsWith("'")) {
      const value = variables.get(raw.slice(1, -1));
      if (value !== undefined) replacement = literal(value, dialect);
    } else if (nameToken.kind === 'quoted-identifier' || (dialect === 'mysql' && raw.startsWith('"'))) {
      const value = variables.get(raw.slice(1, -1));
      if (value !== undefined) replacement = identifier(value, dialect);
    } else if (/^[\p{L}_][\p{L}\p{N}_]*$/u.test(raw)) {
      replacement = variables.get(raw);
    }
    if (replacement === undefined) continue;
    out += sql.slice(at, colon) + replacement;
    at = end;
    if (nameToken !== t) i++;
  }
  return out + sql.slice(at);
}

function literal(value: string, dialect: SqlDialect): string {
  const body = value.replace(/'/g, "''");
  return dialect === 'mysql' ? `'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

function identifier(value: string, dialect: SqlDialect): string {
  const q = dialect === 'mysql' ? '`' : '"';
  return `${q}${value.split(q).join(q + q)}${q}`;
}
