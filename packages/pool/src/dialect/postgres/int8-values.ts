/** Type OIDs of PostgreSQL's int8 and int8[]. */
export const INT8_OID = 20;
export const INT8_ARRAY_OID = 1016;

/**
 * An int8 as a JSON number when it is exact there (|n| <= 2^53 - 1), else its text: what mysql2 does
 * for BIGINT with `supportBigNumbers`, so `count(*)` is a number on every engine and no digit is lost.
 * (pg returns every int8 as text, PGlite a number or a BigInt, which JSON cannot carry.)
 */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** Applies parseInt8 to every text element of a (possibly nested) parsed int8 array. */
export function mapInt8Array(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mapInt8Array);
  return typeof value === 'string' ? parseInt8(value) : value;
}
