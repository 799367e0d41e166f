/**
 * Lua scripts shared by the Redis and Upstash backends: each runs atomically on the server, so
 * one round trip is exact under any concurrency. Numbers travel as the caller's decimal strings
 * (INCRBY/DECRBY take them as given): Lua 5.1 would print large numbers in exponent notation.
 */

export interface LuaScript {
  readonly name: string;
  readonly source: string;
}

/**
 * KEYS: one per bucket. ARGV: per bucket `limit, cost, ttlMs, gauge(0|1)`.
 * Replies `{1, count...}` (the count after this admission, per bucket) or `{0, index...}` (the
 * 0-based indexes that would overflow; nothing was written).
 */
export const CONSUME_SCRIPT: LuaScript = {
  name: 'consume',
  source: `
local after = {}
local counts = {}
local overflow = {}
for i = 1, #KEYS do
  local k = KEYS[i]
  local base = (i - 1) * 4
  local current = after[k]
  if current == nil then current = tonumber(redis.call('GET', k) or '0') or 0 end
  local total = current + tonumber(ARGV[base + 2])
  if total > tonumber(ARGV[base + 1]) then overflow[#overflow + 1] = i - 1 end
  after[k] = total
  counts[i] = total
end
if #overflow > 0 then return {0, unpack(overflow)} end
for i = 1, #KEYS do
  local k = KEYS[i]
  local base = (i - 1) * 4
  if tonumber(ARGV[base + 2]) > 0 then redis.call('INCRBY', k, ARGV[base + 2]) end
  if ARGV[base + 4] == '1' then
    if redis.call('EXISTS', k) == 1 then redis.call('PEXPIRE', k, ARGV[base + 3]) end
  elseif redis.call('PTTL', k) == -1 then
    redis.call('PEXPIRE', k, ARGV[base + 3])
  end
end
return {1, unpack(counts)}
`,
};

/**
 * KEYS: one per bucket. ARGV: per bucket `cost, ttlMs, gauge(0|1)`. Subtracts `cost` from keys
 * that exist (a count reaching zero deletes the key); a negative cost also creates a missing key.
 */
export const RELEASE_SCRIPT: LuaScript = {
  name: 'release',
  source: `
for i = 1, #KEYS do
  local k = KEYS[i]
  local base = (i - 1) * 3
  local exists = redis.call('EXISTS', k) == 1
  if exists or tonumber(ARGV[base + 1]) < 0 then
    local left = redis.call('DECRBY', k, ARGV[base + 1])
    if left <= 0 then
      redis.call('DEL', k)
    elseif (not exists) or ARGV[base + 3] == '1' or redis.call('PTTL', k) == -1 then
      redis.call('PEXPIRE', k, ARGV[base + 2])
    end
  end
end
return 1
`,
};

/** KEYS: the counter. ARGV: `by, ttlMs`. The TTL applies only when this call creates the key. */
export const INCR_WITH_TTL_SCRIPT: LuaScript = {
  name: 'incr-with-ttl',
  source: `
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if existed == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`,
};

/** KEYS: the lease. ARGV: `token, ttlMs`. Replies 1 when the token held it and it was extended. */
export const RENEW_LEASE_SCRIPT: LuaScript = {
  name: 'renew-lease',
  source: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`,
};

/** KEYS: the lease. ARGV: `token`. Replies 1 when the token held it and it was freed. */
export const RELEASE_LEASE_SCRIPT: LuaScript = {
  name: 'release-lease',
  source: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
};
