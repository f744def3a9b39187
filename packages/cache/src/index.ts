export type {
  CacheCallOptions,
  CacheEntryInfo,
  CacheLocalStats,
  CacheOptions,
  CacheSetOptions,
  CacheStats,
  CacheTagStats,
} from './cache.js';
export { CACHE_DEFAULTS, Cache, createCache } from './cache.js';
export { CacheTicket } from './cache-ticket.js';
export type { CacheErrorCode } from './errors.js';
export { CacheError } from './errors.js';
