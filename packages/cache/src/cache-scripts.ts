/**
 * The Lua scripts that make the cache correct: each runs atomically inside Redis, so a `set` and an
 * `invalidateTags` can never interleave (see docs/cache.md, "The protocol"). A plain `get` needs no script:
 * it is one HGET, as cheap as a raw GET.
 *
 * Keys of a namespace `ns`:
 *   ns:v              HASH  versions: field `epoch` (bumped by clear) and `t:<tag>` (bumped by invalidateTags); no TTL
 *   ns:e:<sha256>     HASH  an entry: `v` value bytes, `g` versions it was filled under, `k` JSON of its version fields
 *   ns:t:<tag>        ZSET  entry keys of a tag, scored by their expiry (ms); TTL >= every member's
 *   ns:t:<tag>:d:<id> ZSET  the index of an invalidation of a large tag, being dropped in batches
 *   ns:tags           SET   every tag with an index (for per-table stats without a scan)
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
 * set: KEYS entry, versions, stats, the set of tags, then one tag index per tag (same order as the fields in
 * ARGV[3]).
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
if #KEYS > 4 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  for i = 5, #KEYS do
    redis.call('SADD', KEYS[4], string.sub(fields[i - 4], 3))
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
 * invalidate: KEYS versions, stats, then one tag index per tag, then one doomed key per tag (same order);
 * ARGV the batch size, then the version field of each tag. Bumps each tag's version and drops up to a batch of
 * the entries its index names; an index with more is renamed to its doomed key, which the caller drains with
 * DRAIN_LUA, a batch per call, so that no script holds Redis for long. Returns {entries dropped, entries
 * left in doomed keys}.
 */
export const INVALIDATE_LUA = `
local n = #ARGV - 1
local batch = tonumber(ARGV[1])
local dropped = 0
local pending = 0
for i = 1, n do
  redis.call('HINCRBY', KEYS[1], ARGV[i + 1], 1)
  local index = KEYS[i + 2]
  local size = redis.call('ZCARD', index)
  if size <= batch then
    local members = redis.call('ZRANGE', index, 0, -1)
    if #members > 0 then
      dropped = dropped + redis.call('UNLINK', unpack(members))
    end
    redis.call('UNLINK', index)
  else
    local popped = redis.call('ZPOPMIN', index, batch)
    local members = {}
    for j = 1, #popped, 2 do members[#members + 1] = popped[j] end
    dropped = dropped + redis.call('UNLINK', unpack(members))
    redis.call('RENAME', index, KEYS[i + 2 + n])
    pending = pending + size - batch
  end
end
redis.call('HINCRBY', KEYS[2], 'invalidations', 1)
redis.call('HINCRBY', KEYS[2], 'invalidatedEntries', dropped)
return {dropped, pending}
`;

/**
 * drain: KEYS a doomed index (renamed by INVALIDATE_LUA), stats; ARGV the batch size. Drops up to a batch of
 * its entries. Returns {entries dropped, entries left}.
 */
export const DRAIN_LUA = `
local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[1]))
local members = {}
for j = 1, #popped, 2 do members[#members + 1] = popped[j] end
local dropped = 0
if #members > 0 then
  dropped = redis.call('UNLINK', unpack(members))
  redis.call('HINCRBY', KEYS[2], 'invalidatedEntries', dropped)
end
return {dropped, redis.call('ZCARD', KEYS[1])}
`;
