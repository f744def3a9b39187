import { hash } from 'node:crypto';
import type { Cache, CacheError, CacheTicket } from '@aishell/cache';
import type { ConnectionConfig } from '@aishell/pool';
import type { StatementAnalysis } from '@aishell/sql';
import { EngineError } from './errors.js';
import { BoundedLru, deepFreeze } from './query-cache-memo.js';
import { toJson } from './result-document.js';
import type { StatementResult } from './statement-result.js';

/** Options of the query cache, shared by `Session.open` and `openCache`. */
export interface QueryCacheOptions {
  /**
   * `--redis`: the Redis URL. An explicit URL makes the cache required (a dead Redis is an error).
   * @default env AISHELL_REDIS_URL, then REDIS_URL; without one the cache is off
   */
  readonly redis?: string;
  /**
   * Key prefix in Redis; each namespace is cleared and counted on its own.
   * @default env AISHELL_CACHE_NAMESPACE, then 'aishell'
   */
  readonly namespace?: string;
  /**
   * Time to live of an entry when a run names none, in seconds.
   * @default 300
   */
  readonly defaultTtlSeconds?: number;
}

/** Defaults of the query cache. */
export const QUERY_CACHE_DEFAULTS = Object.freeze({ namespace: 'aishell', defaultTtlSeconds: 300 } as const);

/** Where the Redis URL came from: the option (`--redis`) or the environment. */
export interface RedisUrlChoice {
  readonly url: string;
  readonly source: 'option' | 'AISHELL_REDIS_URL' | 'REDIS_URL';
}

/** `--redis`, then AISHELL_REDIS_URL, then REDIS_URL; undefined when none is set (the cache is off). */
export function resolveRedisUrl(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
): RedisUrlChoice | undefined {
  if (explicit) return { url: explicit, source: 'option' };
  if (env.AISHELL_REDIS_URL) return { url: env.AISHELL_REDIS_URL, source: 'AISHELL_REDIS_URL' };
  if (env.REDIS_URL) return { url: env.REDIS_URL, source: 'REDIS_URL' };
  return undefined;
}

/** A cache command was asked for, but no Redis URL is known. */
export class CacheNotConfiguredError extends EngineError {
  constructor() {
    super('CACHE_NOT_CONFIGURED', 'no Redis is configured for the query cache', {
      hint: 'pass --redis redis://host:6379 or set AISHELL_REDIS_URL (or REDIS_URL)',
    });
  }
}

/**
 * Open the query cache for `aishell cache ...` (stats, clear, invalidate, export): the Redis of `options.redis`,
 * AISHELL_REDIS_URL or REDIS_URL. Throws CacheNotConfiguredError without one. Close it when done.
 */
export async function openCache(
  options: QueryCacheOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<Cache> {
  const env = options.env ?? process.env;
  const choice = resolveRedisUrl(options.redis, env);
  if (!choice) throw new CacheNotConfiguredError();
  const { createCache } = await loadCacheModule();
  return createCache({
    url: choice.url,
    namespace: options.namespace ?? (env.AISHELL_CACHE_NAMESPACE || QUERY_CACHE_DEFAULTS.namespace),
    defaultTtlSeconds: options.defaultTtlSeconds ?? QUERY_CACHE_DEFAULTS.defaultTtlSeconds,
    ...cacheSizeOptions(env),
  });
}

/**
 * `AISHELL_CACHE_MAX_ENTRY_BYTES`: results whose JSON is larger are not cached (counted as `tooLarge`).
 * Unset: the cache's default (1 MiB). A malformed value makes createCache throw CACHE_INVALID_ARGUMENT.
 */
export function cacheSizeOptions(env: NodeJS.ProcessEnv): { maxValueBytes?: number } {
  const max = env.AISHELL_CACHE_MAX_ENTRY_BYTES;
  return max ? { maxValueBytes: Number(max) } : {};
}

/**
 * @aishell/cache (and ioredis under it) is loaded only when a Redis URL is known: most commands run without
 * a cache, and loading it would cost every start-up about 20 ms (docs/benchmarks.md, startup).
 */
export function loadCacheModule(): Promise<typeof import('@aishell/cache')> {
  return import('@aishell/cache');
}

/** A typed error of @aishell/cache (checked by code: the class lives in a module loaded on demand). */
export function isCacheError(error: unknown): error is CacheError {
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('CACHE_');
}

/**
 * The cache tag of a table: its unqualified name in lower case (`public."Orders"` -> `orders`), so that
 * `aishell cache invalidate orders` needs no connection. Tables of the same name in other schemas or
 * databases share the tag: an invalidation there only costs a miss here.
 */
export function tableTag(table: string): string {
  const unquoted = table.replace(/["`[\]]/g, '');
  return unquoted.slice(unquoted.lastIndexOf('.') + 1).toLowerCase();
}

/** Tags of a list of tables, deduplicated. */
export function tableTags(tables: readonly string[]): string[] {
  return [...new Set(tables.map(tableTag).filter((t) => t.length > 0))];
}

/** System catalogs and statistics views change without a write that aishell sees. */
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'performance_schema', 'sys', 'mysql']);
const SYSTEM_TABLE = /^(pg_|sqlite_)/;

/**
 * Whether one statement's result may be cached: a read-only SELECT, without volatile functions, reading no
 * system catalog. (The caller also requires the input to be exactly one statement.)
 */
export function isCacheable(statement: StatementAnalysis): boolean {
  const known = cacheable.get(statement);
  if (known !== undefined) return known;
  const decided = decideCacheable(statement);
  // A frozen statement (the session's memo of analyses) cannot change: decided once.
  if (Object.isFrozen(statement)) cacheable.set(statement, decided);
  return decided;
}

/** isCacheable's decisions on frozen statements. */
const cacheable = new WeakMap<StatementAnalysis, boolean>();

function decideCacheable(statement: StatementAnalysis): boolean {
  if (statement.kind !== 'select' || !statement.readOnly || statement.tablesWritten.length > 0) return false;
  // Effects (nextval, locks) make readOnly false; a result that changes with no write is `volatile`.
  if (statement.volatile) return false;
  for (const table of statement.tablesRead) {
    const parts = table
      .replace(/["`[\]]/g, '')
      .toLowerCase()
      .split('.');
    const name = parts[parts.length - 1] ?? '';
    if (SYSTEM_TABLE.test(name) || parts.slice(0, -1).some((p) => SYSTEM_SCHEMAS.has(p))) return false;
  }
  return true;
}

/** The identity of a connection in a cache key: everything that picks the data, never the password. */
export function connectionIdentity(config: ConnectionConfig): string {
  return JSON.stringify([
    config.dialect,
    config.host ?? null,
    config.port ?? null,
    config.database ?? null,
    config.user ?? null,
    config.path ?? null,
  ]);
}

/** What the cache keeps of a result: the JSON `aishell query --json` prints, minus duration and `cached`. */
type StoredResult = Pick<StatementResult, 'command' | 'rowCount' | 'fields' | 'rows'>;

/** A stored value as a result, or undefined when it is not one (another version's shape, garbage). */
function parseStored(value: Buffer): StoredResult | undefined {
  try {
    const stored = JSON.parse(value.toString('utf8')) as Partial<StoredResult> | null;
    if (
      stored === null ||
      typeof stored !== 'object' ||
      typeof stored.command !== 'string' ||
      typeof stored.rowCount !== 'number' ||
      !Array.isArray(stored.fields) ||
      !Array.isArray(stored.rows)
    )
      return undefined;
    return stored as StoredResult;
  } catch {
    return undefined;
  }
}

/**
 * Decoded hits remembered per session: 64 entries, 4 MiB of stored JSON in all, at most 1 MiB each (the
 * default AISHELL_CACHE_MAX_ENTRY_BYTES). A remembered result is used only when Redis returned exactly the
 * bytes it was decoded from, so it is what decoding those bytes again would give; it saves JSON.parse of the
 * rows (40-60 us for 100 rows, docs/benchmarks.md, hitP50VsRawGet100), never the round trip to Redis.
 */
const DECODED_KEPT = 64;
const DECODED_MAX_BYTES = 4 * 1024 * 1024;
const DECODED_MAX_ENTRY_BYTES = 1024 * 1024;

/** Keys remembered for statements without parameters (a statement run again has the same key). */
const KEYS_KEPT = 256;

/** A decoded stored value and the bytes it was decoded from. */
interface Decoded {
  readonly bytes: Buffer;
  readonly stored: StoredResult;
}

/** A lookup that missed: what `fill` needs to store the result once the statement has run. */
export interface CacheMiss {
  readonly key: string;
  readonly tags: readonly string[];
  readonly ticket: CacheTicket;
}

/**
 * A miss being filled by this session: concurrent lookups of its key wait for it (single flight). Its promise
 * is made only when a lookup waits: a hit, the common case, registers a flight and settles it at once.
 */
class Flight {
  readonly #flights: Map<string, Flight>;
  readonly #key: string;
  #waiters: ((result: StoredResult | undefined) => void)[] | undefined;
  #settled = false;
  #result: StoredResult | undefined;

  /** Registers itself under `key` in `flights` until it settles. */
  constructor(flights: Map<string, Flight>, key: string) {
    this.#flights = flights;
    this.#key = key;
    flights.set(key, this);
  }

  /** The result the filler shares (undefined: look up again). */
  wait(): Promise<StoredResult | undefined> {
    if (this.#settled) return Promise.resolve(this.#result);
    return new Promise((resolve) => {
      this.#waiters ??= [];
      this.#waiters.push(resolve);
    });
  }

  /** Ends the flight (the first call counts) and hands `result` to the lookups that wait. */
  settle(result: StoredResult | undefined): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#result = result;
    if (this.#flights.get(this.#key) === this) this.#flights.delete(this.#key);
    const waiters = this.#waiters;
    this.#waiters = undefined;
    if (waiters) for (const resolve of waiters) resolve(result);
  }
}

/**
 * The session's side of the cache: keys, tags and the error policy. When `required`, a failed lookup throws
 * (nothing was sent to the database yet); otherwise every cache failure goes to `onError` and the statement
 * runs uncached. A failure after the statement ran (fill, invalidation) never throws: the result is kept.
 */
export class QueryCache {
  readonly cache: Cache;
  readonly required: boolean;
  readonly #identity: string;
  readonly #onError: (error: CacheError) => void;

  readonly #CacheError: typeof CacheError;
  /** Keys whose miss this session is filling now, with what concurrent lookups of them wait for. */
  readonly #flights = new Map<string, Flight>();
  /** Keys of the last canonical texts looked up without parameters (a key is a JSON text and a sha256). */
  readonly #plainKeys = new BoundedLru<string>(KEYS_KEPT, 256 * 1024);
  /** The last hits decoded, by key, with their bytes (see DECODED_KEPT). */
  readonly #decoded = new BoundedLru<Decoded>(DECODED_KEPT, DECODED_MAX_BYTES);

  constructor(
    cacheModule: typeof import('@aishell/cache'),
    cache: Cache,
    identity: string,
    required: boolean,
    onError: (error: CacheError) => void,
  ) {
    this.#CacheError = cacheModule.CacheError;
    this.cache = cache;
    this.#identity = identity;
    this.required = required;
    this.#onError = onError;
  }

  /**
   * The cache key of a statement's canonical text (`StatementAnalysis.canonical`: whitespace, keyword case and
   * comments folded, literals kept) with `params` on this connection (hashed again by the cache before it
   * reaches Redis).
   */
  keyOf(text: string, params: readonly unknown[]): string {
    const plain = params.length === 0;
    if (plain) {
      const known = this.#plainKeys.get(text);
      if (known !== undefined) return known;
    }
    // toJson: bigint and bytes parameters keep their exact value in the key.
    const key = hash('sha256', toJson([this.#identity, text, params]), 'hex');
    if (plain) this.#plainKeys.set(text, key, text.length);
    return key;
  }

  /** A hit (with `cached: true`, `durationMs` the lookup time), or what `fill` needs after a miss. */
  async lookup(
    statement: StatementAnalysis,
    params: readonly unknown[],
    signal: AbortSignal | undefined,
  ): Promise<StatementResult | CacheMiss | undefined> {
    const started = performance.now();
    const key = this.keyOf(statement.canonical, params);
    // Single flight: while this session runs the statement of a miss, the same lookup waits for that result
    // instead of sending the statement again. It gets the result only if it was stored (its ticket held: no
    // write invalidated it meanwhile); otherwise it looks up again, and may become the filler itself.
    for (let flight = this.#flights.get(key); flight !== undefined; flight = this.#flights.get(key)) {
      const shared = await abortable(flight.wait(), signal);
      if (shared !== undefined) return hitOf(shared, started);
    }
    // Registered before the first await, so a lookup that starts while this one waits for Redis joins it.
    const flight = new Flight(this.#flights, key);
    const call = signal ? { signal } : {};
    try {
      const value = await this.cache.get(key, call);
      if (value !== null) {
        const stored = this.#decode(key, value);
        if (stored !== undefined) {
          flight.settle(stored);
          return hitOf(stored, started);
        }
        // Not a result this version can read: a miss; deleted and counted, never an error to the user.
        await this.cache.discard(key, call);
      }
      // Before the statement runs: an invalidation from now on refuses the fill (docs/cache.md).
      const tags = tableTags(statement.tablesRead);
      return { key, tags, ticket: await this.cache.begin(tags, call), flight } as CacheMiss;
    } catch (error) {
      flight.settle(undefined);
      if (!isCacheError(error) || error.code === 'CACHE_ABORTED') throw error;
      if (this.required) throw error;
      this.#onError(error);
      return undefined;
    }
  }

  /**
   * The result in `value`, or undefined when it is not one. A result remembered for later hits (up to 1 MiB)
   * is frozen, rows and fields included: the same objects go to every hit of the same bytes in this session,
   * so none of them may change them.
   */
  #decode(key: string, value: Buffer): StoredResult | undefined {
    const known = this.#decoded.get(key);
    if (known?.bytes.equals(value)) return known.stored;
    const stored = parseStored(value);
    if (stored === undefined) {
      this.#decoded.delete(key);
      return undefined;
    }
    if (value.length <= DECODED_MAX_ENTRY_BYTES) {
      // A copy: `value` may be a slice of a larger buffer of ioredis's, which must not stay alive with it.
      this.#decoded.set(key, { bytes: Buffer.from(value), stored: deepFreeze(stored) }, value.length);
    } else {
      this.#decoded.delete(key);
    }
    return stored;
  }

  /**
   * Ends a miss that will not be filled (the statement failed, or its result must not be stored): lookups that
   * waited for it look up again. Harmless after `fill`.
   */
  release(miss: CacheMiss): void {
    flightOf(miss)?.settle(undefined);
  }

  /** Store a result after a miss; refused silently when a tag was invalidated since the lookup. Never throws. */
  async fill(miss: CacheMiss, result: StatementResult, ttlSeconds: number | undefined): Promise<void> {
    const stored: StoredResult = {
      command: result.command,
      rowCount: result.rowCount,
      fields: result.fields,
      rows: result.rows,
    };
    let saved = false;
    try {
      saved = await this.cache.set(miss.key, toJson(stored), {
        tags: miss.tags,
        ticket: miss.ticket,
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      });
    } catch (error) {
      this.#report(error);
    } finally {
      // Waiting lookups share the result only when the fill held: a refused fill means a write overtook it.
      flightOf(miss)?.settle(saved ? stored : undefined);
    }
  }

  /** Drop the entries that read any of `tables`. Never throws: the write it follows has already happened. */
  async invalidate(tables: readonly string[]): Promise<void> {
    const tags = tableTags(tables);
    if (tags.length === 0) return;
    try {
      await this.cache.invalidateTags(tags);
    } catch (error) {
      this.#report(error);
    }
  }

  close(): Promise<void> {
    return this.cache.close();
  }

  #report(error: unknown): void {
    this.#onError(
      isCacheError(error)
        ? error
        : new this.#CacheError('CACHE_COMMAND', `The cache failed: ${(error as Error)?.message}`, {
            cause: error,
          }),
    );
  }
}

/** A hit: the stored result with `cached: true` and `durationMs` the lookup time since `started`. */
function hitOf(stored: StoredResult, started: number): StatementResult {
  return { ...stored, durationMs: roundMillis(performance.now() - started), cached: true };
}

/** The flight a miss carries (kept off the public CacheMiss shape). */
function flightOf(miss: CacheMiss): Flight | undefined {
  return (miss as CacheMiss & { flight?: Flight }).flight;
}

/** `promise`, or a rejection with the signal's reason when it fires first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function roundMillis(millis: number): number {
  return Math.round(millis * 1000) / 1000;
}
