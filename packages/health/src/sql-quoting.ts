// Quoting for the statements a fix names. PostgreSQL names come quoted from the server (quote_ident);
// MySQL and SQLite names are quoted here.

/** `name` as a MySQL/MariaDB identifier. */
export function mysqlIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** `schema`.`table` for MySQL/MariaDB. */
export function mysqlTable(schema: string, table: string): string {
  return `${mysqlIdent(schema)}.${mysqlIdent(table)}`;
}

/** `name` as a SQLite (or standard SQL) identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `value` as a standard SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A validated finite number as a SQL numeric literal. */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}
