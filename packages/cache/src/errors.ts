/**
 * Every error the cache throws. Messages name namespaces and tags, never a key's value, a cached
 * value or the Redis URL (which may hold a password). Apps map codes to exit codes; the library only throws.
 */

/** Stable error codes. */
export type CacheErrorCode =
  /** Redis cannot be reached, or did not answer within `commandTimeoutMillis`. */
  | 'CACHE_UNAVAILABLE'
  /** Redis answered with an error (for example OOM under `maxmemory` with `noeviction`). */
  | 'CACHE_COMMAND'
  /** The caller's AbortSignal fired before Redis answered. */
  | 'CACHE_ABORTED'
  /** The cache was used after `close()`. */
  | 'CACHE_CLOSED'
  /** An option or argument is malformed (bad URL, namespace, TTL, tag, or a ticket that does not cover a tag). */
  | 'CACHE_INVALID_ARGUMENT';

/** The one error class of @aishell/cache; `code` says which failure it is. */
export class CacheError extends Error {
  readonly code: CacheErrorCode;
  /** The first word of a Redis error reply (`OOM`, `WRONGTYPE`, ...), for `CACHE_COMMAND`. */
  readonly redisCode: string | undefined;

  constructor(code: CacheErrorCode, message: string, options: { cause?: unknown; redisCode?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CacheError';
    this.code = code;
    this.redisCode = options.redisCode;
  }
}
