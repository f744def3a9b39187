import type { StatementResult } from '@aishell/engine';

// The same document as `aishell query --json` (apps/cli/src/output/render-result.ts and
// format-value.ts). Apps never import each other, so this is a small equivalent; the lead is asked
// to move the shape into @aishell/engine so that both apps share one.

/** The JSON document of `aishell query --json` for one statement (PRODUCT.md). */
export function statementJson(r: StatementResult): Record<string, unknown> {
  return {
    command: r.command,
    rowCount: r.rowCount,
    fields: r.fields,
    rows: r.rows,
    durationMs: r.durationMs,
    cached: r.cached,
  };
}

/** One JSON document for a whole run: the statement's object, or `{ results: [...] }` for a script. */
export function resultsJson(results: readonly StatementResult[]): Record<string, unknown> {
  return results.length === 1
    ? statementJson(results[0] as StatementResult)
    : { results: results.map(statementJson) };
}

/** JSON.stringify replacer: bigint as a string (exact), bytes as `\x` hex like psql. */
function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  // Buffer.toJSON runs before the replacer sees the value; read the original from the holder.
  const original = key === '' ? value : (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array) return `\\x${Buffer.from(original).toString('hex')}`;
  return value;
}

/** Compact JSON text of a result document, with the CLI's rules for bigint and bytes. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, jsonReplacer);
}
