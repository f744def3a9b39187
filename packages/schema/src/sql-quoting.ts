// Quoting for the statements the planner writes. Names are always quoted (as pg-schema-diff does), so
// that a name needs no knowledge of keywords or case rules.

/** `name` as a PostgreSQL or SQLite identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"`. */
export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/** `name` as a MySQL/MariaDB identifier. */
export function mysqlIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** `value` as a standard SQL string literal (PostgreSQL with standard_conforming_strings, SQLite). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `value` as a MySQL/MariaDB string literal (backslashes doubled: the default sql_mode reads them as escapes). */
export function mysqlString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
