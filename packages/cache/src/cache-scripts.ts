/**
 * The Lua scripts that make the cache correct: each runs atomically inside Redis, so a `set` and an
 * `invalidateTags` can never interleave (see docs/cache.md, "The protocol"). A plain `get` needs no script:
 * it is one HGET, as cheap as a raw GET.
 *
 * Keys of a namespace `ns`:
 *   ns:v              HASH  versions: field `epoch` (bumped by clear) and `t:<tag>` (bumped by invalidateTags); no TTL
 *   ns:e:<sha256>     HASH  an entry: `v` value bytes, `g` versions it was filled under, `k` JSON of its version fields
 *   ns:t:<tag>        ZSET  entry keys of a tag, scored by their expiry (ms); TTL >= every member's
 *   ns:s              HASH  counters shared by every cache of the namespace (hits and misses are
 *                           added in batches, see Cache#flushCounters)
 */

/** Fills in `false` (a missing version field) as '0' and joins the versions as the entry stores them. */
const VERSIONS_OF = `
local function versions_of(versions_key, fields)
  local cur = redis.call('HMGET', versions_key, 'epoch', unpack(fields))
  for i = 1, #cur do
    if not cur[i] then cur[i] = '0' end
  end
  return table.concat(cur, ',')
end
`;

/**
 * get with `verifyOnRead`: KEYS entry, versions. Returns the value, or nil on a miss. An entry whose stored
 * versions differ from the current ones (its tag was invalidated but the tag index had been lost, e.g. to an
 * allkeys-* eviction) is dropped and reported as a miss.
 */
export const VERIFIED_GET_LUA = `${VERSIONS_OF}
local e = redis.call('HMGET', KEYS[1], 'v', 'g', 'k')
if not e[1] or not e[2] or not e[3] then
  return false
end
if versions_of(KEYS[2], cjson.decode(e[3])) ~= e[2] then
  redis.call('UNLINK', KEYS[1])
  return false
end
return e[1]
`;

/**
 * set: KEYS entry, versions, stats, then one tag index per tag (same order as the fields in ARGV[3]).
 * ARGV value, ttl (ms), JSON array of version fields, expected versions ('' = no ticket).
 * Returns 1 when stored, 0 when refused because a version moved since the ticket was taken.
 */
export const SET_LUA = `${VERSIONS_OF}
local fields = cjson.decode(ARGV[3])
local current = versions_of(KEYS[2], fields)
if ARGV[4] ~= '' and ARGV[4] ~= current then
  redis.call('HINCRBY', KEYS[3], 'refused', 1)
  return 0
end
local ttl = tonumber(ARGV[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'g', current, 'k', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
if #KEYS > 3 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  for i = 4, #KEYS do
    redis.call('ZADD', KEYS[i], now + ttl, KEYS[1])
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
    if redis.call('PTTL', KEYS[i]) < ttl then
      redis.call('PEXPIRE', KEYS[i], ttl)
    end
  end
end
redis.call('HINCRBY', KEYS[3], 'sets', 1)
return 1
`;

/**
 * invalidate: KEYS versions, stats, then one tag index per tag; ARGV the version field of each tag.
 * Bumps each tag's version, drops the entries its index names, drops the index. Returns entries dropped.
 */
export const INVALIDATE_LUA = `
local dropped = 0
for i = 1, #ARGV do
  redis.call('HINCRBY', KEYS[1], ARGV[i], 1)
  local index = KEYS[i + 2]
  local members = redis.call('ZRANGE', index, 0, -1)
  for j = 1, #members, 1000 do
    dropped = dropped + redis.call('UNLINK', unpack(members, j, math.min(j + 999, #members)))
  end
  redis.call('UNLINK', index)
end
redis.call('HINCRBY', KEYS[2], 'invalidations', 1)
redis.call('HINCRBY', KEYS[2], 'invalidatedEntries', dropped)
return dropped
`;
