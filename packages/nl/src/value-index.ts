import { NlAbortedError, NlProbeError } from './errors.js';
import type { NlSchema, Probe } from './nl-schema.js';
import { columnCategory } from './schema-index.js';

/** Where a value was seen. `value` is the stored spelling, which becomes the bound parameter. */
export interface ValueOccurrence {
  readonly table: number;
  readonly column: number;
  readonly value: string;
}

/** Distinct values of low-cardinality text columns, keyed by their lower-case spelling. */
export interface ValueIndex {
  readonly values: ReadonlyMap<string, readonly ValueOccurrence[]>;
  /** Longest value, in words. */
  readonly maxWords: number;
  /** Columns whose values were read (`table.column`), for the record. */
  readonly columns: readonly string[];
}

/** Options of {@link buildValueIndex}. */
export interface BuildValueIndexOptions {
  /** A column with more distinct values than this is not low-cardinality and is left out. @default 1000 */
  readonly maxDistinct?: number;
  /** Values longer than this (in characters) are left out. @default 60 */
  readonly maxValueLength?: number;
  /** Read at most this many columns in all (largest schemas). @default 2000 */
  readonly maxColumns?: number;
  /** Tables estimated above this many rows are skipped (a DISTINCT over them costs too much). @default 5000000 */
  readonly maxTableRows?: number;
  readonly signal?: AbortSignal;
}

/** Defaults of {@link BuildValueIndexOptions}. */
export const VALUE_INDEX_DEFAULTS = Object.freeze({
  maxDistinct: 1000,
  maxValueLength: 60,
  maxColumns: 2000,
  maxTableRows: 5_000_000,
});

/** Normalises a value or a phrase of the question for lookup. */
export function valueKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .trim();
}

function quoteIdentifier(dialect: NlSchema['dialect'], name: string): string {
  return dialect === 'mysql' ? '`' + name.replace(/`/g, '``') + '`' : '"' + name.replace(/"/g, '""') + '"';
}

/**
 * Reads the distinct values of the schema's low-cardinality text columns through `probe`, so that
 * "customers in Paris" finds the column holding 'Paris'. Bounded: one `SELECT DISTINCT ... LIMIT`
 * per text column, columns with too many values dropped.
 */
export async function buildValueIndex(
  schema: NlSchema,
  probe: Probe,
  options: BuildValueIndexOptions = {},
): Promise<ValueIndex> {
  const maxDistinct = options.maxDistinct ?? VALUE_INDEX_DEFAULTS.maxDistinct;
  const maxLen = options.maxValueLength ?? VALUE_INDEX_DEFAULTS.maxValueLength;
  const maxColumns = options.maxColumns ?? VALUE_INDEX_DEFAULTS.maxColumns;
  const maxRows = options.maxTableRows ?? VALUE_INDEX_DEFAULTS.maxTableRows;
  const values = new Map<string, ValueOccurrence[]>();
  const columns: string[] = [];
  let maxWords = 1;
  let read = 0;
  for (const [ti, table] of schema.tables.entries()) {
    if ((table.rowEstimate ?? 0) > maxRows) continue;
    const from =
      table.schema && table.schema !== 'public' && table.schema !== 'main'
        ? `${quoteIdentifier(schema.dialect, table.schema)}.${quoteIdentifier(schema.dialect, table.name)}`
        : quoteIdentifier(schema.dialect, table.name);
    for (const [ci, column] of table.columns.entries()) {
      if (columnCategory(column.type) !== 'text') continue;
      if (read >= maxColumns) break;
      if (options.signal?.aborted) throw new NlAbortedError(options.signal.reason);
      read += 1;
      const col = quoteIdentifier(schema.dialect, column.name);
      const sql = `SELECT DISTINCT ${col} AS v FROM ${from} WHERE ${col} IS NOT NULL LIMIT ${maxDistinct + 1}`;
      let rows: Record<string, unknown>[];
      try {
        rows = await probe(sql, []);
      } catch (error) {
        throw new NlProbeError(table.name, column.name, error);
      }
      if (rows.length > maxDistinct) continue;
      columns.push(`${table.name}.${column.name}`);
      for (const row of rows) {
        const v = row.v;
        if (typeof v !== 'string' || v.length === 0 || v.length > maxLen) continue;
        const key = valueKey(v);
        if (key === '' || /^\d+(\.\d+)?$/.test(key)) continue;
        maxWords = Math.max(maxWords, key.split(' ').length);
        const list = values.get(key) ?? [];
        list.push({ table: ti, column: ci, value: v });
        values.set(key, list);
      }
    }
  }
  return { values, maxWords, columns };
}
