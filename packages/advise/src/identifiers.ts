// Names in the statements advise writes, quoted only where the engine needs it.
import type { AdviseDialect } from './types.js';

// PostgreSQL's reserved key words (and the ones that cannot name a column); MySQL's most common ones.
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate ' +
    'collation column concurrently constraint create cross current_catalog current_date current_role ' +
    'current_schema current_time current_timestamp current_user default deferrable desc distinct do else end ' +
    'except false fetch for foreign freeze from full grant group having ilike in index initially inner intersect ' +
    'into is isnull join key keys lateral leading left like limit localtime localtimestamp natural not notnull ' +
    'null offset on only or order outer overlaps placing primary range read references returning right select ' +
    'session_user similar some symmetric table tablesample then to trailing true union unique user using ' +
    'variadic verbose when where window with'
  ).split(' '),
);

/** One identifier as the dialect reads it back unchanged. */
export function quoteIdentifier(name: string, dialect: AdviseDialect): string {
  if (dialect === 'mysql')
    return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) && !RESERVED.has(name.toLowerCase())
      ? name
      : `\`${name.replaceAll('`', '``')}\``;
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** `schema.table` (or the table alone without a schema). */
export function qualifiedName(schema: string | null, name: string, dialect: AdviseDialect): string {
  const table = quoteIdentifier(name, dialect);
  return schema === null ? table : `${quoteIdentifier(schema, dialect)}.${table}`;
}

/** The most bytes a name may have (PostgreSQL's NAMEDATALEN - 1; MySQL allows 64 characters). */
const MAX_NAME_BYTES = 63;

function truncateBytes(text: string, bytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -1);
  return out;
}

/**
 * A name for a new index as PostgreSQL chooses one (`orders_customer_id_status_idx`, then `..._idx1`),
 * not among `taken` (names in use in the schema, compared as the engine compares them).
 */
export function chooseIndexName(
  table: string,
  columns: readonly string[],
  taken: ReadonlySet<string>,
  foldCase = false,
): string {
  const base = `${table}_${columns.join('_')}`;
  const isTaken = (name: string) => taken.has(foldCase ? name.toLowerCase() : name);
  for (let n = 0; ; n++) {
    const tail = `_idx${n === 0 ? '' : n}`;
    const name = `${truncateBytes(base, MAX_NAME_BYTES - tail.length)}${tail}`;
    if (!isTaken(name)) return name;
  }
}
