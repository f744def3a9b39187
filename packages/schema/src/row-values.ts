// Values of catalog rows as the drivers hand them: pg and PGlite parse json and booleans, mysql2 gives
// numbers for booleans, and an engine's run may hand json back as text. Each reader takes all of them.

/** A text value; `fallback` for null. */
export function text(value: unknown, fallback = ''): string {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

/** A text value, or null. */
export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : text(value);
}

/** A boolean from `true`, `t`, `1`, `YES`... */
export function bool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value) !== 0;
  const s = text(value).toLowerCase();
  return s === 't' || s === 'true' || s === '1' || s === 'yes' || s === 'on';
}

/** A number, or null. */
export function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A json value (parsed already, or as text); `fallback` for null. */
export function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return JSON.parse(value) as T;
  return value as T;
}
