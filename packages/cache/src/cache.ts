import { hash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { DRAIN_LUA, INVALIDATE_LUA, SET_LUA, VERIFIED_GET_LUA } from './cache-scripts.js';
import { CacheTicket } from './cache-ticket.js';
import { CacheError } from './errors.js';
import { type CacheCompression, decodeValue, encodeValue } from './value-codec.js';

/** Options of `createCache`. */
export interface CacheOptions {
  /**
   * Redis URL: `redis://[[user]:password@]host[:port][/db]`, `rediss://` for TLS, or
   * `redis+cluster://[[user]:password@]host:port,host:port,...` for Redis Cluster (the nodes to start from;
   * every key of a namespace then shares one hash slot, see docs/cache.md).
   */
  readonly url: string;
  /**
   * Prefix of every key this cache writes (`<namespace>:...`); `clear()` touches only this namespace.
   * Letters, digits, `_`, `.` and `-` only, so that one namespace is never a prefix pattern of another.
   * @default 'aishell'
   */
  readonly namespace?: string;
  /**
   * Time to live of an entry when `set` names none, in seconds (fractions allowed, millisecond precision).
   * @default 300
   */
  readonly defaultTtlSeconds?: number;
  /**
   * Values larger than this many bytes (before compression) are not cached: `set` returns false without
   * talking to Redis, and counts it in `tooLarge`.
   * @default 1048576 (1 MiB)
   */
  readonly maxValueBytes?: number;
  /**
   * How values longer than `compressAboveBytes` are compressed; chosen by measurement (docs/benchmarks.md,
   * "cache at scale, session 5": on the demo's tables brotli at quality 4 packs tighter than gzip at level 1
   * and decodes faster, which every hit pays; it encodes slower, once per fill). Every cache reads every codec,
   * whatever it writes (values gzip'd by earlier versions included).
   * @default 'brotli'
   */
  readonly compression?: CacheCompression;
  /**
   * Values up to this many bytes are stored uncompressed (a hit then decodes nothing).
   * @default 65536 (gunzip of a 17 KB result took about one loopback round trip: docs/benchmarks.md)
   */
  readonly compressAboveBytes?: number;
  /**
   * How long one attempt to open the TCP (or TLS) connection may take, in milliseconds.
   * @default 1000
   */
  readonly connectTimeoutMillis?: number;
  /**
   * How long any call may wait for its answer, including while the connection opens, in milliseconds; beyond
   * it the call fails with `CACHE_UNAVAILABLE`, and a connection on which Redis stayed silent that long is
   * dropped and reopened in the background. Keep it above the slowest script you expect (invalidating a tag
   * with very many entries).
   * @default 1000
   */
  readonly commandTimeoutMillis?: number;
  /**
   * Longest wait between two reconnection attempts after Redis went away, in milliseconds
   * (the wait doubles from 50 ms up to this). Calls made while disconnected fail at once.
   * @default 2000
   */
  readonly reconnectMaxDelayMillis?: number;
  /**
   * Check on every `get` that the entry's stored tag versions are still current (one Lua script instead of one
   * HGET). Freshness never depends on it while Redis keeps the tag indexes; turn it on when Redis may evict
   * keys on its own (`maxmemory-policy` other than `noeviction`), which could drop a tag index and leave its
   * entries behind an invalidation. See docs/cache.md for its cost.
   * @default false
   */
  readonly verifyOnRead?: boolean;
}

/** Defaults of every optional field of `CacheOptions`. */
export const CACHE_DEFAULTS = Object.freeze({
  namespace: 'aishell',
  defaultTtlSeconds: 300,
  maxValueBytes: 1_048_576,
  compression: 'brotli',
  compressAboveBytes: 65_536,
  connectTimeoutMillis: 1000,
  commandTimeoutMillis: 1000,
  reconnectMaxDelayMillis: 2000,
  verifyOnRead: false,
} as const);

/** Options every async method takes. */
export interface CacheCallOptions {
  /** Rejects the call with `CACHE_ABORTED` when it fires (the Redis command itself may still complete). */
  readonly signal?: AbortSignal;
}

/** Options of `Cache.set`. */
export interface CacheSetOptions extends CacheCallOptions {
  /**
   * Time to live in seconds (fractions allowed, millisecond precision).
   * @default CacheOptions.defaultTtlSeconds
   */
  readonly ttlSeconds?: number;
  /**
   * Tags of the entry (the engine uses the tables a query read); `invalidateTags` of any of them drops it.
   * @default []
   */
  readonly tags?: readonly string[];
  /**
   * What `begin(tags)` read before the value was computed. With it, the set is refused (returns false) if any
   * of `tags` was invalidated, or the namespace cleared, since. Every tag in `tags` must be covered by it.
   * Without it the entry is stored under the versions current at the time of the set, which is only safe for
   * a value known to be fresh at that moment.
   */
  readonly ticket?: CacheTicket;
}

/** Counters of one cache instance, since it was created. */
export interface CacheLocalStats {
  readonly hits: number;
  readonly misses: number;
  /** Values stored. */
  readonly sets: number;
  /** Sets refused because a tag was invalidated (or the namespace cleared) after `begin`. */
  readonly refused: number;
  /** Sets skipped because the value exceeded `maxValueBytes`. */
  readonly tooLarge: number;
  /** Stored values that could not be decoded (truncated, garbage, another format): deleted, counted as misses. */
  readonly undecodable: number;
  /** `invalidateTags` calls. */
  readonly invalidations: number;
  /** Entries those calls dropped. */
  readonly invalidatedEntries: number;
  /** Calls that failed with a CacheError (other than CACHE_INVALID_ARGUMENT). */
  readonly errors: number;
}

/** `Cache.stats()`: counters kept in Redis (shared by every cache of the namespace) plus local ones. */
export interface CacheStats {
  readonly namespace: string;
  readonly hits: number;
  readonly misses: number;
  readonly sets: number;
  readonly refused: number;
  readonly invalidations: number;
  readonly invalidatedEntries: number;
  /** Sets skipped because the value exceeded `maxValueBytes`. */
  readonly tooLarge: number;
  /** Values that could not be decoded: deleted and counted as misses. */
  readonly undecodable: number;
  /** Entries currently stored (counted by SCAN: approximate while other clients write). */
  readonly keys: number;
  /** Bytes of the values of those entries. */
  readonly bytes: number;
  /** This instance's own counters. */
  readonly local: CacheLocalStats;
}

/** `Cache.tagStats()`: the live entries of one tag. */
export interface CacheTagStats {
  readonly tag: string;
  /**
   * Members of the tag's index not yet expired (an entry with several tags counts under each). An upper bound:
   * an entry dropped through another of its tags is still named here until its TTL ends.
   */
  readonly entries: number;
  /**
   * Bytes of the values of those entries, as stored. Exact for a tag of at most 32 members (all of them are
   * read); above, estimated from 32 members drawn at random from the index (ZRANDMEMBER): their mean size,
   * counting the ones no longer stored as 0, times `entries`. Bounded work either way: never a scan.
   */
  readonly bytes: number;
}

/** Members of a tag's index read for its bytes in `tagStats` (all of them up to this many). */
const TAG_BYTES_SAMPLE = 32;

/** What `Cache.entries()` reports of one stored entry: metadata only, never the value. */
export interface CacheEntryInfo {
  /** The entry's Redis key (`<ns>:e:<sha256 of the caller's key>`): the caller's key itself is never stored. */
  readonly key: string;
  /** Tags the entry was stored with. */
  readonly tags: readonly string[];
  /** Milliseconds until the entry expires. */
  readonly ttlMillis: number;
  /** Bytes of the stored value. */
  readonly bytes: number;
}

/** The typed signatures of the scripts registered with `defineCommand`. */
interface CacheScriptCommands {
  aishellCacheGetBuffer(entry: string, versions: string): Promise<Buffer | null>;
  aishellCacheSet(numberOfKeys: number, ...keysAndArgs: (string | Buffer | number)[]): Promise<number>;
  aishellCacheInvalidate(
    numberOfKeys: number,
    ...keysAndArgs: (string | number)[]
  ): Promise<[number, number]>;
  aishellCacheDrain(doomed: string, stats: string, batch: number): Promise<[number, number]>;
}

const NAMESPACE = /^[A-Za-z0-9_.-]{1,64}$/;
const SCAN_COUNT = 1000;
/**
 * Entries one invalidation script drops at most; the rest of a large tag is dropped in scripts of this many,
 * so that no command holds Redis for more than about a millisecond (docs/benchmarks.md, maxRedisCommandMs).
 */
const INVALIDATE_BATCH = 100;
/** Hashed entry keys remembered (hits repeat keys; a sha256 is a tenth of a hit's cost), and the longest key. */
const HASHED_KEYS_KEPT = 256;
const HASHED_KEY_MAX_LENGTH = 1024;
/** Hits and misses are added to Redis after this many gets, or this long after the last flush (see #count). */
const FLUSH_EVERY_GETS = 100;
const FLUSH_EVERY_MILLIS = 1000;
/** Redis error replies that mean "not serving right now" rather than "your command is wrong". */
const UNAVAILABLE_REPLIES = new Set(['LOADING', 'BUSY', 'MASTERDOWN', 'TRYAGAIN', 'CLUSTERDOWN']);

/** Creates a cache on the Redis at `options.url`. The connection opens on first use. */
export function createCache(options: CacheOptions): Cache {
  return new Cache(options);
}

/**
 * A Redis result cache with per-tag invalidation. It knows keys, bytes and tags, not SQL.
 *
 * @example
 * ```ts
 * await using cache = createCache({ url: 'redis://127.0.0.1:6379/0' });
 * const hit = await cache.get(key);
 * if (!hit) {
 *   const ticket = await cache.begin(['orders']);
 *   const rows = await runQuery();
 *   await cache.set(key, JSON.stringify(rows), { ttlSeconds: 60, tags: ['orders'], ticket });
 * }
 * // after a write to orders:
 * await cache.invalidateTags(['orders']);
 * ```
 */
export class Cache {
  /** The namespace every key of this cache lives under. */
  readonly namespace: string;
  readonly #redis: Redis | Cluster;
  /** `namespace`, or `{namespace}` (a hash tag) on Redis Cluster: the start of every key. */
  readonly #prefix: string;
  readonly #commandTimeout: number;
  readonly #scripts: CacheScriptCommands;
  readonly #defaultTtlMillis: number;
  readonly #maxValueBytes: number;
  readonly #compression: CacheCompression;
  readonly #compressAboveBytes: number;
  readonly #versionsKey: string;
  readonly #statsKey: string;
  readonly #tagsKey: string;
  /** `host:port` of the Redis, for messages (never the URL: it may hold a password). */
  readonly #where: string;
  readonly #local = {
    hits: 0,
    misses: 0,
    sets: 0,
    refused: 0,
    tooLarge: 0,
    undecodable: 0,
    invalidations: 0,
    invalidatedEntries: 0,
    errors: 0,
  };
  readonly #verifyOnRead: boolean;
  /** Counts not yet added to the Redis counters. */
  #unflushed = emptyCounts();
  #lastFlush = Date.now();
  #closing: Promise<void> | undefined;
  /** key -> Redis key of its entry, for the last HASHED_KEYS_KEPT short keys (oldest dropped first). */
  readonly #hashedKeys = new Map<string, string>();
  /** Calls sent and not yet answered (see #coalesceWrites). */
  #inFlight = 0;
  /** The socket corked in this tick, uncorked when the tick ends. */
  #corked: Socket | undefined;
  readonly #uncork = (): void => {
    const corked = this.#corked;
    this.#corked = undefined;
    corked?.uncork();
  };

  constructor(options: CacheOptions) {
    const namespace = options.namespace ?? CACHE_DEFAULTS.namespace;
    if (!NAMESPACE.test(namespace)) {
      throw new CacheError(
        'CACHE_INVALID_ARGUMENT',
        `Cache namespace ${JSON.stringify(namespace)} must be 1-64 letters, digits, "_", "." or "-".`,
      );
    }
    const cluster = options.url.startsWith('redis+cluster://') ? parseClusterUrl(options.url) : undefined;
    if (cluster) {
      this.#where = cluster.nodes.map((n) => `${n.host}:${n.port}`).join(',');
    } else {
      let parsed: URL;
      try {
        parsed = new URL(options.url);
      } catch {
        // The URL may hold a password: never repeat it.
        throw new CacheError(
          'CACHE_INVALID_ARGUMENT',
          'The Redis URL is malformed (expected redis://host:port/db).',
        );
      }
      const { protocol } = parsed;
      if (protocol !== 'redis:' && protocol !== 'rediss:') {
        throw new CacheError(
          'CACHE_INVALID_ARGUMENT',
          `The Redis URL must start with redis://, rediss:// or redis+cluster://, not ${protocol}//.`,
        );
      }
      this.#where = `${parsed.hostname}:${parsed.port || '6379'}`;
    }
    this.#defaultTtlMillis = ttlMillis(options.defaultTtlSeconds ?? CACHE_DEFAULTS.defaultTtlSeconds);
    this.#maxValueBytes = positiveInteger(
      'maxValueBytes',
      options.maxValueBytes ?? CACHE_DEFAULTS.maxValueBytes,
    );
    const connectTimeout = positiveInteger(
      'connectTimeoutMillis',
      options.connectTimeoutMillis ?? CACHE_DEFAULTS.connectTimeoutMillis,
    );
    const commandTimeout = positiveInteger(
      'commandTimeoutMillis',
      options.commandTimeoutMillis ?? CACHE_DEFAULTS.commandTimeoutMillis,
    );
    const maxDelay = positiveInteger(
      'reconnectMaxDelayMillis',
      options.reconnectMaxDelayMillis ?? CACHE_DEFAULTS.reconnectMaxDelayMillis,
    );
    this.#verifyOnRead = options.verifyOnRead ?? CACHE_DEFAULTS.verifyOnRead;
    this.#compression = options.compression ?? CACHE_DEFAULTS.compression;
    if (!['none', 'gzip', 'brotli'].includes(this.#compression)) {
      throw new CacheError(
        'CACHE_INVALID_ARGUMENT',
        `Cache compression must be none, gzip or brotli, not ${String(this.#compression)}.`,
      );
    }
    this.#compressAboveBytes = positiveInteger(
      'compressAboveBytes',
      options.compressAboveBytes ?? CACHE_DEFAULTS.compressAboveBytes,
    );
    this.namespace = namespace;
    // On Redis Cluster every key of the namespace carries the hash tag {namespace}: one slot, so that each
    // script's keys (entry, versions, counters, tag indexes) are on one node, as Lua on a cluster requires.
    this.#prefix = cluster ? `{${namespace}}` : namespace;
    this.#versionsKey = `${this.#prefix}:v`;
    this.#statsKey = `${this.#prefix}:s`;
    this.#tagsKey = `${this.#prefix}:tags`;
    this.#commandTimeout = commandTimeout;
    const retryStrategy = (times: number): number => Math.min(50 * 2 ** Math.min(times - 1, 16), maxDelay);
    const connection = {
      lazyConnect: true,
      connectTimeout,
      // Every call fails after commandTimeout at the latest, wherever it waits (offline queue, socket, resend).
      // A timeout also reopens the connection (see #toError). ioredis's socketTimeout would do that too, but it
      // arms a timer and a listener on every call when calls do not overlap: a fifth of a cache hit's cost.
      commandTimeout,
      // One retry across a reconnect at most: a cache that is down must fail fast, not queue.
      maxRetriesPerRequest: 1,
    };
    this.#redis = cluster
      ? new Cluster(cluster.nodes, {
          lazyConnect: true,
          enableOfflineQueue: true,
          clusterRetryStrategy: retryStrategy,
          // A stopped master: fail (and so fall back to the database) rather than wait for a failover.
          retryDelayOnClusterDown: 50,
          retryDelayOnFailover: 50,
          maxRedirections: 4,
          redisOptions: {
            ...connection,
            ...(cluster.username ? { username: cluster.username } : {}),
            ...(cluster.password ? { password: cluster.password } : {}),
          },
        })
      : new Redis(options.url, {
          ...connection,
          // Keep reconnecting in the background (so the cache comes back by itself), at most maxDelay apart.
          retryStrategy,
          // Queue only while the first connection opens; afterwards a call made while Redis is away fails at once.
          enableOfflineQueue: true,
        });
    const failFast = (): void => {
      this.#redis.options.enableOfflineQueue = false;
    };
    this.#redis.once('ready', failFast);
    this.#redis.once('close', failFast);
    // Without a listener ioredis prints connection errors; a library never prints. Calls report them instead.
    this.#redis.on('error', () => {});
    this.#redis.defineCommand('aishellCacheGet', { lua: VERIFIED_GET_LUA, numberOfKeys: 2 });
    this.#redis.defineCommand('aishellCacheSet', { lua: SET_LUA });
    this.#redis.defineCommand('aishellCacheInvalidate', { lua: INVALIDATE_LUA });
    this.#redis.defineCommand('aishellCacheDrain', { lua: DRAIN_LUA, numberOfKeys: 2 });
    this.#scripts = this.#redis as unknown as CacheScriptCommands;
  }

  /** This instance's counters since it was created (no round trip). */
  get localStats(): CacheLocalStats {
    return { ...this.#local };
  }

  /**
   * The cached value of `key`, or null on a miss (absent, expired, or invalidated). A stored value that cannot
   * be decoded (truncated, garbage, another version's format) is a miss too: it is deleted and counted.
   */
  get(key: string, options: CacheCallOptions = {}): Promise<Buffer | null> {
    // Not async, and one .then for the outcome: every promise hop shows on the hit path (docs/cache.md).
    try {
      const entry = this.#entryKey(key);
      return this.#run(
        options.signal,
        () =>
          this.#verifyOnRead
            ? this.#scripts.aishellCacheGetBuffer(entry, this.#versionsKey)
            : this.#redis.hgetBuffer(entry, 'v'),
        (stored) => {
          if (stored === null) {
            this.#count('misses');
            return null;
          }
          const value = decodeValue(stored);
          if (value === undefined) {
            this.#dropUndecodable(entry);
            this.#count('misses');
            return null;
          }
          this.#count('hits');
          return value;
        },
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Reads the current versions of `tags` (and the namespace epoch) before the value to cache is computed.
   * Pass the ticket to `set`; see docs/cache.md for the race this closes.
   */
  async begin(tags: readonly string[], options: CacheCallOptions = {}): Promise<CacheTicket> {
    const sorted = canonicalTags(tags);
    const versions = await this.#run(options.signal, () =>
      this.#redis.hmget(this.#versionsKey, 'epoch', ...sorted.map(versionField)),
    );
    const [epoch, ...tagVersions] = versions;
    return new CacheTicket(
      this.namespace,
      epoch ?? '0',
      new Map(sorted.map((tag, i) => [tag, tagVersions[i] ?? '0'])),
    );
  }

  /**
   * Stores `value` under `key` with a TTL and tags. Returns false, storing nothing, when the value exceeds
   * `maxValueBytes` or when a tag of the ticket was invalidated (or the namespace cleared) since `begin`.
   */
  async set(key: string, value: Buffer | string, options: CacheSetOptions = {}): Promise<boolean> {
    const raw = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    const ttl = options.ttlSeconds === undefined ? this.#defaultTtlMillis : ttlMillis(options.ttlSeconds);
    const tags = canonicalTags(options.tags ?? []);
    const { ticket } = options;
    let expected = '';
    if (ticket !== undefined) {
      if (!(ticket instanceof CacheTicket) || ticket.namespace !== this.namespace) {
        throw new CacheError(
          'CACHE_INVALID_ARGUMENT',
          `The ticket was not issued by a cache of namespace ${this.namespace}.`,
        );
      }
      const parts = [ticket.epoch];
      for (const tag of tags) {
        const version = ticket.versionOf(tag);
        if (version === undefined) {
          throw new CacheError(
            'CACHE_INVALID_ARGUMENT',
            `The ticket does not cover tag ${JSON.stringify(tag)}: pass every tag of set() to begin().`,
          );
        }
        parts.push(version);
      }
      expected = parts.join(',');
    }
    this.#assertOpen();
    if (raw.length > this.#maxValueBytes) {
      this.#local.tooLarge++;
      this.#unflushed.tooLarge++;
      return false;
    }
    const bytes = encodeValue(raw, this.#compression, this.#compressAboveBytes);
    const fields = tags.map(versionField);
    const stored = await this.#run(options.signal, () =>
      this.#scripts.aishellCacheSet(
        4 + tags.length,
        this.#entryKey(key),
        this.#versionsKey,
        this.#statsKey,
        this.#tagsKey,
        ...tags.map((tag) => this.#tagKey(tag)),
        bytes,
        ttl,
        JSON.stringify(fields),
        expected,
      ),
    );
    if (stored === 1) this.#local.sets++;
    else this.#local.refused++;
    return stored === 1;
  }

  /**
   * Bumps the version of every tag (so in-flight fills that began before are refused) and drops the entries
   * tagged with any of them. Returns the number of entries dropped.
   */
  async invalidateTags(tags: readonly string[], options: CacheCallOptions = {}): Promise<number> {
    const sorted = canonicalTags(tags);
    if (sorted.length === 0) {
      this.#assertOpen();
      return 0;
    }
    const { signal } = options;
    // One script bumps every version and drops up to INVALIDATE_BATCH entries of each tag; a larger index is
    // renamed to a doomed key of its own and drained below, a batch per script, before this call returns.
    const doomed = sorted.map((tag) => `${this.#tagKey(tag)}:d:${randomId()}`);
    const [first, pending] = await this.#run(signal, () =>
      this.#scripts.aishellCacheInvalidate(
        2 + 2 * sorted.length,
        this.#versionsKey,
        this.#statsKey,
        ...sorted.map((tag) => this.#tagKey(tag)),
        ...doomed,
        INVALIDATE_BATCH,
        ...sorted.map(versionField),
      ),
    );
    let dropped = first;
    if (pending > 0) {
      for (const key of doomed) {
        let left = 1;
        while (left > 0) {
          const [batch, remaining] = await this.#run(signal, () =>
            this.#scripts.aishellCacheDrain(key, this.#statsKey, INVALIDATE_BATCH),
          );
          dropped += batch;
          left = remaining;
        }
      }
    }
    this.#local.invalidations++;
    this.#local.invalidatedEntries += dropped;
    return dropped;
  }

  /**
   * Deletes the entry of `key` because its value could not be used (the caller could not decode it), and
   * counts it as undecodable. Never throws for a missing entry.
   */
  async discard(key: string, options: CacheCallOptions = {}): Promise<void> {
    const entry = this.#entryKey(key);
    this.#local.undecodable++;
    this.#unflushed.undecodable++;
    await this.#run(options.signal, () => this.#redis.unlink(entry));
  }

  /**
   * Drops every entry, tag index and counter of this namespace (SCAN + UNLINK, never FLUSHDB), after bumping
   * the namespace epoch so that fills begun before are refused. The small version hash survives on purpose
   * (see docs/cache.md). Returns the number of entries dropped.
   */
  async clear(options: CacheCallOptions = {}): Promise<number> {
    const { signal } = options;
    await this.#run(signal, () => this.#redis.hincrby(this.#versionsKey, 'epoch', 1));
    // Counts from before the clear would otherwise land in the fresh counters.
    this.#unflushed = emptyCounts();
    const entryPrefix = `${this.#prefix}:e:`;
    let entries = 0;
    await this.#scan(`${this.#prefix}:*`, signal, async (keys) => {
      const doomed = keys.filter((k) => k !== this.#versionsKey);
      if (doomed.length === 0) return;
      await this.#run(signal, () => this.#redis.unlink(...doomed));
      entries += doomed.filter((k) => k.startsWith(entryPrefix)).length;
    });
    return entries;
  }

  /** Counters kept in Redis for the namespace, the entries and bytes stored now, and this instance's counters. */
  async stats(options: CacheCallOptions = {}): Promise<CacheStats> {
    const { signal } = options;
    await this.#flushCounters(signal);
    const counters = await this.#run(signal, () => this.#redis.hgetall(this.#statsKey));
    let keys = 0;
    let bytes = 0;
    await this.#scan(`${this.#prefix}:e:*`, signal, async (batch) => {
      if (batch.length === 0) return;
      const pipeline = this.#redis.pipeline();
      for (const key of batch) pipeline.exists(key).hstrlen(key, 'v');
      const results = (await this.#run(signal, () => pipeline.exec())) ?? [];
      for (let i = 0; i + 1 < results.length; i += 2) {
        const [existsError, exists] = results[i] ?? [];
        const [lengthError, length] = results[i + 1] ?? [];
        if (existsError || lengthError) throw this.#toError(existsError ?? lengthError);
        // An entry that expired between SCAN and EXISTS is no longer stored.
        if (exists === 1) {
          keys++;
          bytes += Number(length);
        }
      }
    });
    const count = (name: string): number => Number(counters[name] ?? 0);
    return {
      namespace: this.namespace,
      hits: count('hits'),
      misses: count('misses'),
      sets: count('sets'),
      refused: count('refused'),
      invalidations: count('invalidations'),
      invalidatedEntries: count('invalidatedEntries'),
      tooLarge: count('tooLarge'),
      undecodable: count('undecodable'),
      keys,
      bytes,
      local: this.localStats,
    };
  }

  /**
   * Entries and bytes per tag (the engine's tags are tables), from the tag indexes: one SMEMBERS, then per tag
   * one ZCOUNT and one ZRANDMEMBER of at most 32 members, then one HSTRLEN per member drawn; never a scan of
   * the entries, so the work grows with the number of tags, not of entries. Tags whose entries are all gone
   * are left out (and forgotten).
   */
  async tagStats(options: CacheCallOptions = {}): Promise<CacheTagStats[]> {
    const { signal } = options;
    const tags = (await this.#run(signal, () => this.#redis.smembers(this.#tagsKey))).sort();
    if (tags.length === 0) return [];
    const now = Date.now();
    const pipeline = this.#redis.pipeline();
    for (const tag of tags) {
      pipeline.zcount(this.#tagKey(tag), `(${now}`, '+inf');
      pipeline.zrandmember(this.#tagKey(tag), TAG_BYTES_SAMPLE, 'WITHSCORES');
    }
    const replies = (await this.#run(signal, () => pipeline.exec())) ?? [];
    const live: { tag: string; entries: number; members: string[] }[] = [];
    const gone: string[] = [];
    tags.forEach((tag, i) => {
      const [countError, count] = replies[2 * i] ?? [];
      const [sampleError, sample] = replies[2 * i + 1] ?? [];
      if (countError || sampleError) throw this.#toError(countError ?? sampleError);
      if (Number(count) === 0) {
        gone.push(tag);
        return;
      }
      // Members with their expiry: only the live ones are weighed (an expired member's entry is gone).
      const flat = (sample ?? []) as string[];
      const members: string[] = [];
      for (let j = 0; j + 1 < flat.length; j += 2)
        if (Number(flat[j + 1]) > now) members.push(flat[j] as string);
      live.push({ tag, entries: Number(count), members });
    });
    const sizes = this.#redis.pipeline();
    for (const { members } of live) for (const member of members) sizes.hstrlen(member, 'v');
    const lengths = live.some((t) => t.members.length > 0)
      ? ((await this.#run(signal, () => sizes.exec())) ?? [])
      : [];
    let next = 0;
    const out = live.map(({ tag, entries, members }): CacheTagStats => {
      let sum = 0;
      for (let j = 0; j < members.length; j++) {
        const [error, length] = lengths[next++] ?? [];
        if (error) throw this.#toError(error);
        sum += Number(length);
      }
      // All live members read: the sum itself; else their mean size times the live members.
      const bytes =
        members.length === 0
          ? 0
          : members.length >= entries
            ? sum
            : Math.round((sum / members.length) * entries);
      return { tag, entries, bytes };
    });
    // A fill may re-add a tag at any time: removing one that has just come back only hides it until its next fill.
    if (gone.length > 0) await this.#run(signal, () => this.#redis.srem(this.#tagsKey, ...gone));
    return out;
  }

  /**
   * The metadata of every entry of this namespace (SCAN, never KEYS, so Redis is never blocked), batch by
   * batch. An entry that expires while the scan runs is left out.
   */
  async *entries(options: CacheCallOptions = {}): AsyncGenerator<CacheEntryInfo> {
    const { signal } = options;
    for (const node of await this.#scanNodes(signal)) {
      let cursor = '0';
      do {
        const [next, keys] = await this.#run(signal, () =>
          node.scan(cursor, 'MATCH', `${this.#prefix}:e:*`, 'COUNT', SCAN_COUNT),
        );
        cursor = next;
        if (keys.length === 0) continue;
        const pipeline = this.#redis.pipeline();
        for (const key of keys) pipeline.pttl(key).hstrlen(key, 'v').hget(key, 'k');
        const results = (await this.#run(signal, () => pipeline.exec())) ?? [];
        for (let i = 0; i < keys.length; i++) {
          const replies = results.slice(i * 3, i * 3 + 3);
          const failed = replies.find(([error]) => error)?.[0];
          if (failed) throw this.#toError(failed);
          const [ttl, length, fields] = replies.map(([, value]) => value);
          // PTTL is -2 for a key that expired since SCAN saw it.
          if (typeof ttl !== 'number' || ttl < 0) continue;
          yield {
            key: keys[i] as string,
            tags: tagsOfFields(typeof fields === 'string' ? fields : '[]'),
            ttlMillis: ttl,
            bytes: Number(length),
          };
        }
      } while (cursor !== '0');
    }
  }

  /** Closes the connection (waiting for answers in flight). A second call is harmless. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const redis = this.#redis;
      try {
        if (redis.status === 'ready') {
          // Both go out at once, the counts before QUIT: one wait of at most commandTimeoutMillis (a cluster's
          // QUIT goes to every node, and a stopped one never answers: the wait is bounded here too).
          let timer: NodeJS.Timeout | undefined;
          const deadline = new Promise<void>((resolve) => {
            timer = setTimeout(resolve, this.#commandTimeout);
            timer.unref();
          });
          await Promise.race([
            Promise.allSettled([this.#flushCounters(undefined, true), redis.quit()]),
            deadline,
          ]);
          clearTimeout(timer);
        }
      } catch {
        // Redis went away while quitting: disconnect below is all that is left to do.
      } finally {
        redis.disconnect();
      }
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Counts a hit or a miss locally, and adds the batch to the Redis counters every FLUSH_EVERY_GETS gets or
   * FLUSH_EVERY_MILLIS: one HINCRBY per get would cost as much as the get itself (docs/cache.md, benchmark).
   */
  #count(outcome: 'hits' | 'misses'): void {
    this.#local[outcome]++;
    this.#unflushed[outcome]++;
    const pending = this.#unflushed.hits + this.#unflushed.misses;
    if (pending >= FLUSH_EVERY_GETS || Date.now() - this.#lastFlush >= FLUSH_EVERY_MILLIS) {
      // Fire and forget: a failed flush puts its counts back for the next one.
      this.#flushCounters().catch(() => {});
    }
  }

  /** Adds the counts kept since the last flush (hits, misses, tooLarge, undecodable) to the Redis counters. */
  async #flushCounters(signal?: AbortSignal, closing = false): Promise<void> {
    const counts = this.#unflushed;
    this.#lastFlush = Date.now();
    const names = (Object.keys(counts) as (keyof typeof counts)[]).filter((name) => counts[name] > 0);
    if (names.length === 0) return;
    this.#unflushed = emptyCounts();
    const add = async (): Promise<unknown> => {
      const pipeline = this.#redis.pipeline();
      for (const name of names) pipeline.hincrby(this.#statsKey, name, counts[name]);
      return pipeline.exec();
    };
    try {
      if (closing) await add();
      else await this.#run(signal, add);
    } catch (error) {
      for (const name of names) this.#unflushed[name] += counts[name];
      throw error;
    }
  }

  /** Deletes an entry whose value did not decode (fire and forget: the get already reports a miss). */
  #dropUndecodable(entry: string): void {
    this.#local.undecodable++;
    this.#unflushed.undecodable++;
    this.#redis.unlink(entry).catch(() => {});
  }

  #entryKey(key: string): string {
    let entry = this.#hashedKeys.get(key);
    if (entry !== undefined) return entry;
    // crypto.hash (one shot) is about twice as fast as createHash for short keys; get is the hot path.
    entry = `${this.#prefix}:e:${hash('sha256', key, 'hex')}`;
    if (key.length <= HASHED_KEY_MAX_LENGTH) {
      if (this.#hashedKeys.size >= HASHED_KEYS_KEPT) {
        const oldest = this.#hashedKeys.keys().next();
        if (!oldest.done) this.#hashedKeys.delete(oldest.value);
      }
      this.#hashedKeys.set(key, entry);
    }
    return entry;
  }

  #tagKey(tag: string): string {
    return `${this.#prefix}:t:${tag}`;
  }

  #assertOpen(): void {
    if (this.#closing) throw new CacheError('CACHE_CLOSED', `The cache ${this.namespace} is closed.`);
  }

  /** Iterates SCAN MATCH `pattern` batch by batch. */
  async #scan(
    pattern: string,
    signal: AbortSignal | undefined,
    onBatch: (keys: string[]) => Promise<void>,
  ): Promise<void> {
    for (const node of await this.#scanNodes(signal)) {
      let cursor = '0';
      do {
        const [next, keys] = await this.#run(signal, () =>
          node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT),
        );
        await onBatch(keys);
        cursor = next;
      } while (cursor !== '0');
    }
  }

  /**
   * The servers a SCAN must walk: the one Redis, or every master of a cluster (SCAN is per node; the
   * namespace's slot lives on one of them, which may change with a resharding).
   */
  async #scanNodes(signal: AbortSignal | undefined): Promise<Redis[]> {
    const redis = this.#redis;
    if (!(redis instanceof Cluster)) return [redis];
    // A cluster knows its nodes once connected: any command connects it.
    await this.#run(signal, () => redis.exists(this.#versionsKey));
    return redis.nodes('master');
  }

  /**
   * Calls that overlap leave in one write. ioredis writes every command to the socket at once, one system
   * call each: at concurrency 32 those writes were most of what a hit cost beyond a raw GET
   * (docs/benchmarks.md, hitRatioC32). A call made while none is in flight is written as before (a lone call
   * waits for nothing, and costs nothing more); one made while others are in flight corks the socket, which
   * process.nextTick uncorks once the current microtasks (where concurrent callers continue) have drained:
   * one writev for all the calls of that moment. ioredis's own enableAutoPipelining defers every command to
   * setImmediate instead, which costs calls that do not overlap (measured: 0.41 of a raw GET at concurrency
   * 1). On a Cluster the commands go to several sockets: not done there.
   */
  #coalesceWrites(): void {
    if (this.#inFlight === 0 || this.#corked !== undefined || this.#redis instanceof Cluster) return;
    // `stream` is the connection's socket (typed by ioredis, marked @ignore); it changes on reconnect.
    const stream: Socket | undefined = this.#redis.stream;
    if (stream === undefined || !stream.writable) return;
    stream.cork();
    this.#corked = stream;
    process.nextTick(this.#uncork);
  }

  /** Runs one Redis call: fails if closed, honours the signal, turns every failure into a CacheError. */
  #run<T, U = T>(
    signal: AbortSignal | undefined,
    call: () => Promise<T>,
    onValue: (value: T) => U = (value) => value as unknown as U,
  ): Promise<U> {
    this.#assertOpen();
    if (signal?.aborted) throw this.#aborted(signal);
    this.#coalesceWrites();
    const pending = call();
    this.#inFlight++;
    if (!signal)
      return pending.then(
        (value) => {
          this.#inFlight--;
          return onValue(value);
        },
        (error: unknown) => {
          this.#inFlight--;
          return Promise.reject(this.#toError(error));
        },
      );
    return new Promise<U>((resolve, reject) => {
      const onAbort = (): void => reject(this.#aborted(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (value) => {
          this.#inFlight--;
          signal.removeEventListener('abort', onAbort);
          resolve(onValue(value));
        },
        (error: unknown) => {
          this.#inFlight--;
          signal.removeEventListener('abort', onAbort);
          reject(this.#toError(error));
        },
      );
    });
  }

  #aborted(signal: AbortSignal): CacheError {
    this.#local.errors++;
    return new CacheError('CACHE_ABORTED', `A call to the cache ${this.namespace} was aborted.`, {
      cause: signal.reason,
    });
  }

  #toError(error: unknown): CacheError {
    if (error instanceof CacheError) return error;
    this.#local.errors++;
    if (error instanceof Error && error.name === 'ReplyError') {
      const redisCode = error.message.split(' ', 1)[0] ?? '';
      if (!UNAVAILABLE_REPLIES.has(redisCode)) {
        return new CacheError('CACHE_COMMAND', `Redis refused a cache command: ${error.message}`, {
          cause: error,
          redisCode,
        });
      }
    }
    if (
      error instanceof Error &&
      error.message.includes('Command timed out') &&
      this.#redis.status === 'ready'
    ) {
      // Redis stayed silent for commandTimeoutMillis on a connection that looks open: it may be half-open
      // (the host vanished without a FIN). Reopen it rather than wait minutes for TCP keep-alive to notice.
      this.#redis.disconnect(true);
    }
    const detail = error instanceof Error ? `: ${plainReason(error.message)}` : '';
    return new CacheError('CACHE_UNAVAILABLE', `The Redis cache at ${this.#where} is unavailable${detail}`, {
      cause: error,
    });
  }
}

function emptyCounts(): { hits: number; misses: number; tooLarge: number; undecodable: number } {
  return { hits: 0, misses: 0, tooLarge: 0, undecodable: 0 };
}

/** A short random suffix for a doomed tag index (two invalidations of one tag never share one). */
function randomId(): string {
  return randomBytes(6).toString('hex');
}

/** The nodes and credentials of a `redis+cluster://[[user]:password@]host:port,host:port,...` URL. */
function parseClusterUrl(url: string): {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
} {
  const malformed = (): CacheError =>
    // The URL may hold a password: never repeat it.
    new CacheError(
      'CACHE_INVALID_ARGUMENT',
      'The Redis Cluster URL is malformed (expected redis+cluster://host:port,host:port,...).',
    );
  const rest = url.slice('redis+cluster://'.length);
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const hosts = (at >= 0 ? rest.slice(at + 1) : rest).replace(/\/+$/, '');
  const nodes = hosts.split(',').map((part) => {
    const match = /^(\[[^\]]+\]|[^:/?#\s]+):(\d{1,5})$/.exec(part.trim());
    if (!match) throw malformed();
    return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port: Number(match[2]) };
  });
  if (nodes.length === 0) throw malformed();
  const colon = auth.indexOf(':');
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw malformed();
    }
  };
  const username = decode(colon >= 0 ? auth.slice(0, colon) : auth);
  const password = colon >= 0 ? decode(auth.slice(colon + 1)) : '';
  return { nodes, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

/** ioredis's wording of a connection failure, in the words of someone who never configured ioredis. */
function plainReason(message: string): string {
  if (message.includes('enableOfflineQueue')) return 'not connected (reconnecting in the background)';
  if (message.includes('max retries per request')) return 'could not connect';
  if (message.includes('Command timed out')) return 'no answer within commandTimeoutMillis';
  if (message.includes('Connection is closed')) return 'the connection closed';
  return message;
}

/** The tags of an entry, from its `k` field (the JSON array of its version fields, `t:<tag>`). */
function tagsOfFields(json: string): string[] {
  try {
    const fields: unknown = JSON.parse(json);
    if (!Array.isArray(fields)) return [];
    return fields.filter((f): f is string => typeof f === 'string').map((f) => f.slice('t:'.length));
  } catch {
    return [];
  }
}

function versionField(tag: string): string {
  return `t:${tag}`;
}

/** Deduplicated and sorted, so that begin() and set() list versions in the same order. */
function canonicalTags(tags: readonly string[]): string[] {
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.length === 0) {
      throw new CacheError('CACHE_INVALID_ARGUMENT', 'Cache tags must be non-empty strings.');
    }
  }
  return [...new Set(tags)].sort();
}

function ttlMillis(seconds: number): number {
  const millis = Math.ceil(seconds * 1000);
  if (!Number.isFinite(millis) || millis < 1) {
    throw new CacheError(
      'CACHE_INVALID_ARGUMENT',
      `A cache TTL must be a positive number of seconds, not ${seconds}.`,
    );
  }
  return millis;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new CacheError(
      'CACHE_INVALID_ARGUMENT',
      `Cache option ${name} must be a positive integer, not ${value}.`,
    );
  }
  return value;
}
