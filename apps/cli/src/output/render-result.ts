import type { StatementResult } from '@aishell/engine';
import { stringify } from 'csv-stringify/sync';
import { formatValue, toJson } from './format-value.js';
import { renderMarkdown, renderTable } from './table.js';

export const FORMATS = ['table', 'json', 'csv', 'ndjson', 'markdown'] as const;
export type OutputFormat = (typeof FORMATS)[number];

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

function footer(r: StatementResult): string {
  if (r.fields.length === 0) return `${r.command} ${r.rowCount}`;
  return `(${r.rowCount} ${r.rowCount === 1 ? 'row' : 'rows'})`;
}

/** Text of one statement's result in a human or file format (not json/ndjson, which the command streams). */
export function renderStatement(r: StatementResult, format: OutputFormat, maxWidth: number): string {
  switch (format) {
    case 'table':
      return r.fields.length === 0
        ? footer(r)
        : `${renderTable(r.fields, r.rows, { maxWidth })}\n${footer(r)}`;
    case 'markdown':
      return r.fields.length === 0 ? footer(r) : renderMarkdown(r.fields, r.rows);
    case 'csv':
      return csvHeader(r.fields) + r.rows.map((row) => csvRow(r.fields, row)).join('');
    case 'ndjson':
      return r.rows.map((row) => `${toJson(row)}\n`).join('');
    case 'json':
      return toJson(statementJson(r));
  }
}

export function csvHeader(fields: readonly { name: string }[]): string {
  return stringify([fields.map((f) => f.name)]);
}

export function csvRow(fields: readonly { name: string }[], row: Record<string, unknown>): string {
  return stringify([
    fields.map((f) => (row[f.name] === null || row[f.name] === undefined ? '' : formatValue(row[f.name]))),
  ]);
}
