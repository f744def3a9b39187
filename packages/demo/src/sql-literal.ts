/** A value the demo generator writes into SQL text. Money is a number of dollars (cents / 100). */
export type SqlValue = string | number | boolean | null;

/**
 * Render a value as a PostgreSQL literal. Hand-written because the demo only produces its own
 * strings, numbers and booleans, and the statements must be plain text (no driver, no parameters):
 * with standard_conforming_strings on (the default since PostgreSQL 9.1) doubling quotes is enough.
 */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as an SQL literal`);
    // Number#toString gives the shortest text that reads back as the same double, so cents / 100
    // prints as exactly two decimals or fewer (12.5, 1234.99), never as 12.499999.
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** Multi-row INSERT statements for `rows`, at most `rowsPerStatement` rows each. */
export function insertStatements(
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly SqlValue[]>,
  rowsPerStatement: number,
): string[] {
  const statements: string[] = [];
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES\n`;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    statements.push(head + chunk.map((row) => `(${row.map(sqlLiteral).join(', ')})`).join(',\n'));
  }
  return statements;
}
