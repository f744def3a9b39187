import type { Analysis } from '@aishell/sql';

/**
 * A least-recently-used map bounded by entries and by a total weight (characters or bytes). A Map keeps
 * insertion order, so moving a key to the end on use and dropping from the front is the whole algorithm: a
 * dependency (lru-cache) would add a module to every start-up of the CLI for these few lines.
 */
export class BoundedLru<V> {
  readonly #map = new Map<string, { value: V; weight: number }>();
  readonly #maxEntries: number;
  readonly #maxWeight: number;
  #weight = 0;

  constructor(maxEntries: number, maxWeight: number) {
    this.#maxEntries = maxEntries;
    this.#maxWeight = maxWeight;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Total weight of the entries kept. */
  get weight(): number {
    return this.#weight;
  }

  get(key: string): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    // Most recently used last (only when not already last: a repeated key costs no re-insertion).
    this.#map.delete(key);
    this.#map.set(key, slot);
    return slot.value;
  }

  /** Keeps `value` unless its weight alone exceeds the bound; drops the least recently used beyond it. */
  set(key: string, value: V, weight: number): void {
    this.delete(key);
    if (weight > this.#maxWeight) return;
    this.#map.set(key, { value, weight });
    this.#weight += weight;
    while (this.#map.size > this.#maxEntries || this.#weight > this.#maxWeight) {
      const oldest = this.#map.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(key: string): void {
    const slot = this.#map.get(key);
    if (slot === undefined) return;
    this.#map.delete(key);
    this.#weight -= slot.weight;
  }

  clear(): void {
    this.#map.clear();
    this.#weight = 0;
  }
}

/** Statements remembered per session, and the longest statement text remembered (characters). */
const ANALYSES_KEPT = 256;
const ANALYSIS_MAX_TEXT = 8192;
/** Characters of statement text remembered in all (an analysis also keeps its tokens: about 15 bytes a character). */
const ANALYSES_MAX_TEXT = 256 * 1024;

/**
 * The analyses of the last statement texts a session ran, by exact text. The analysis is a pure function of
 * the text and the dialect (a session has one dialect), so a remembered analysis is the one `analyze` would
 * return: the guard, the read-only check and the cache decide exactly as before. It is frozen, statements and
 * lists included, so that no caller can change what the next run of the same text sees. Bounded: 256 texts
 * of at most 8,192 characters each and 262,144 in all (with the tokens an analysis keeps for its canonical
 * form, a few MiB at worst); a longer text is analysed every time. What it saves is the parse (libpg_query's WebAssembly on PostgreSQL, 40-90 us for
 * a one-line SELECT; docs/benchmarks.md, hitP50VsRawGet100), the largest cost of a cache hit after the GET.
 */
export class AnalysisMemo {
  readonly #lru = new BoundedLru<Analysis>(ANALYSES_KEPT, ANALYSES_MAX_TEXT);

  get(sql: string): Analysis | undefined {
    return sql.length <= ANALYSIS_MAX_TEXT ? this.#lru.get(sql) : undefined;
  }

  /** Remembers `analysis` of `sql` (frozen in place) and returns it. */
  remember(sql: string, analysis: Analysis): Analysis {
    if (sql.length > ANALYSIS_MAX_TEXT) return analysis;
    for (const statement of analysis.statements) {
      Object.freeze(statement.tablesRead);
      Object.freeze(statement.tablesWritten);
      Object.freeze(statement.reasons);
      Object.freeze(statement);
    }
    Object.freeze(analysis.statements);
    Object.freeze(analysis);
    this.#lru.set(sql, analysis, sql.length);
    return analysis;
  }
}

/** Freezes `value` and everything reachable from it (rows of JSON: objects, arrays and primitives only). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
