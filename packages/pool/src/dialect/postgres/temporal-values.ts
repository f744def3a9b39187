// Dates and times as the server wrote them (docs/pool.md, "Dates and times"). pg and PGlite would turn
// date, timestamp and timestamptz into JavaScript Dates, read in the client's time zone (a date at local
// midnight, a timestamp at local wall time), and pg an interval into an object; aishell keeps the text
// the server sent, so a value never depends on the TZ of the process that reads it.

/** Type OIDs of the date/time types whose text pg or PGlite would parse (pg_type.dat). */
export const DATE_OID = 1082;
export const TIMESTAMP_OID = 1114;
export const TIMESTAMPTZ_OID = 1184;
export const INTERVAL_OID = 1186;
export const DATE_ARRAY_OID = 1182;
export const TIMESTAMP_ARRAY_OID = 1115;
export const TIMESTAMPTZ_ARRAY_OID = 1185;
export const INTERVAL_ARRAY_OID = 1187;
/** text[]: its parser gives the elements of any one-dimensional or nested array as strings. */
export const TEXT_ARRAY_OID = 1009;

/** Scalar types kept as text (time and timetz are text in pg and PGlite already). */
export const TEMPORAL_OIDS: readonly number[] = [DATE_OID, TIMESTAMP_OID, TIMESTAMPTZ_OID, INTERVAL_OID];
/** Their arrays, parsed into arrays of element texts (`NULL` elements become null). */
export const TEMPORAL_ARRAY_OIDS: readonly number[] = [
  DATE_ARRAY_OID,
  TIMESTAMP_ARRAY_OID,
  TIMESTAMPTZ_ARRAY_OID,
  INTERVAL_ARRAY_OID,
];

/** The value as the server sent it. */
export const asText = (text: string): string => text;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * A JavaScript Date bound as a parameter: its instant in UTC, `2024-01-01 10:00:00.000+00:00`, which
 * PostgreSQL reads as that instant (timestamptz), as its UTC wall time (timestamp, time), or as its UTC day
 * (date), whatever the client's time zone. (pg would send local time with the local offset, so a
 * timestamp or a date parameter moved with the client's TZ; and its `T` form is refused by `time`.)
 * Years before 1 are written with `BC`, as PostgreSQL does. An invalid Date is left to the driver.
 */
export function utcDateParam(date: Date): Date | string {
  if (Number.isNaN(date.getTime())) return date;
  let year = date.getUTCFullYear();
  const bc = year < 1;
  if (bc) year = 1 - year; // year 0 is 1 BC
  return (
    `${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    `${pad(date.getUTCMilliseconds(), 3)}+00:00${bc ? ' BC' : ''}`
  );
}

/**
 * The parameters with every Date (also inside arrays) written by {@link utcDateParam}; the same array
 * when there is none (the usual case: nothing is copied).
 */
export function withUtcDates<T extends readonly unknown[] | undefined>(params: T): T {
  if (params === undefined) return params;
  let out: unknown[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const mapped = p instanceof Date ? utcDateParam(p) : Array.isArray(p) ? withUtcDates(p) : p;
    if (mapped !== p) {
      out ??= params.slice();
      out[i] = mapped;
    }
  }
  return (out ?? params) as T;
}
