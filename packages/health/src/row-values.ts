// Drivers hand numbers back in several forms (pg: int8 and numeric as text; mysql2: DECIMAL as text,
// BIGINT as number or text; the engine's pool: numbers where exact); these read any of them.

/** A finite number, or null for SQL NULL and anything that is not a number. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Text, or null for SQL NULL; dates as ISO 8601, buffers as UTF-8. */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

/** true/false from booleans, 1/0, 't'/'f', 'YES'/'NO', 'ON'/'OFF'. */
export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  const n = num(value);
  if (n !== null) return n !== 0;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['t', 'true', 'yes', 'on', 'y'].includes(v)) return true;
    if (['f', 'false', 'no', 'off', 'n'].includes(v)) return false;
  }
  return null;
}

/** An integer array from a JS array or PostgreSQL's text form `{1,2}`. */
export function numbers(value: unknown): number[] {
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean)
      : [];
  return items.map(num).filter((n): n is number => n !== null);
}

/** `n` rounded to `digits` decimals (null stays null). */
export function round(n: number | null, digits: number): number | null {
  if (n === null) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
