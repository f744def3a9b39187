import type { StatementResult } from './statement-result.js';

// The document of `aishell query --json` (PRODUCT.md), shared by the CLI and the daemon's
// POST /v1/query so that both answer with exactly the same shape.

/** The JSON document for one statement. */
export function statementDocument(r: StatementResult): Record<string, unknown> {
  return {
    command: r.command,
    rowCount: r.rowCount,
    fields: r.fields,
    rows: r.rows,
    durationMs: r.durationMs,
    cached: r.cached,
  };
}

/** One document for a whole run: the statement's object, or `{ results: [...] }` for a script. */
export function resultsDocument(results: readonly StatementResult[]): Record<string, unknown> {
  return results.length === 1
    ? statementDocument(results[0] as StatementResult)
    : { results: results.map(statementDocument) };
}

/** JSON.stringify replacer: bigint as a string (exact), bytes as `\x` hex like psql. */
export function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  // Buffer.toJSON runs before the replacer sees the value; read the original from the holder.
  const original = key === '' ? value : (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array) return `\\x${Buffer.from(original).toString('hex')}`;
  return value;
}

/** JSON text of a document with the rules above; `pretty` indents by two spaces. */
export function toJson(value: unknown, pretty = false): string {
  return JSON.stringify(value, jsonReplacer, pretty ? 2 : undefined);
}
