import { type StatementResult, statementDocument as statementJson } from '@aishell/engine';
import { stringify } from 'csv-stringify/sync';
import { formatValue, toJson } from './format-value.js';
import { naturalTableWidth, renderExpanded, renderMarkdown, renderTable } from './table.js';

export const FORMATS = ['table', 'json', 'csv', 'ndjson', 'markdown'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** The JSON documents of PRODUCT.md, defined once in @aishell/engine (the daemon answers with them too). */
export { resultsDocument as resultsJson, statementDocument as statementJson } from '@aishell/engine';

function footer(r: StatementResult): string {
  if (r.fields.length === 0) return `${r.command} ${r.rowCount}`;
  return `(${r.rowCount} ${r.rowCount === 1 ? 'row' : 'rows'})`;
}

/** psql's `\x`: off, on, or auto (expanded only when the table would not fit the width). */
export type ExpandedMode = 'off' | 'on' | 'auto';

/** Text of one statement's result in a human or file format (not json/ndjson, which the command streams). */
export function renderStatement(
  r: StatementResult,
  format: OutputFormat,
  maxWidth: number,
  expanded: ExpandedMode = 'off',
  csv: CsvOptions = {},
): string {
  switch (format) {
    case 'table': {
      if (r.fields.length === 0) return footer(r);
      const expand =
        r.rows.length > 0 &&
        (expanded === 'on' || (expanded === 'auto' && naturalTableWidth(r.fields, r.rows) > maxWidth));
      const body = expand
        ? renderExpanded(r.fields, r.rows, { maxWidth })
        : renderTable(r.fields, r.rows, { maxWidth });
      return `${body}\n${footer(r)}`;
    }
    case 'markdown':
      return r.fields.length === 0 ? footer(r) : renderMarkdown(r.fields, r.rows);
    case 'csv':
      return csvHeader(r.fields, csv) + r.rows.map((row) => csvRow(r.fields, row, csv)).join('');
    case 'ndjson':
      return r.rows.map((row) => `${toJson(row)}\n`).join('');
    case 'json':
      return toJson(statementJson(r));
  }
}

/** Options of the CSV output. */
export interface CsvOptions {
  /**
   * `--csv-safe`: a field that a spreadsheet would read as a formula (it begins with `=`, `+`, `-`, `@`,
   * a tab or a carriage return, and is not a plain number) gets a leading `'`, as OWASP recommends
   * against CSV injection. Off by default: the file then holds exactly what the database holds.
   */
  readonly safe?: boolean;
}

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A field as a spreadsheet will not run it: `'=1+1`, but `-5` stays a number. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.has(text.charAt(0)) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

export function csvHeader(fields: readonly { name: string }[], options: CsvOptions = {}): string {
  return stringify([fields.map((f) => (options.safe ? neutralizeFormula(f.name) : f.name))]);
}

export function csvRow(
  fields: readonly { name: string }[],
  row: Record<string, unknown>,
  options: CsvOptions = {},
): string {
  return stringify([
    fields.map((f) => {
      const value = row[f.name];
      if (value === null || value === undefined) return '';
      const text = formatValue(value);
      return options.safe ? neutralizeFormula(text) : text;
    }),
  ]);
}
