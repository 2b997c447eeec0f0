// The Lua scripts of redis.ts, one per operation, each atomic. memory.ts is their twin: a change
// here needs the same change there (limits.contract.test.ts runs both).
//
// Time is Redis `TIME` (no skew between replicas). Numbers written back are formatted explicitly
// (`%.17g` round-trips a double; integers go through as the caller's strings), since Redis's own
// conversion of Lua numbers is lossy for large values.

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local nowMs = math.floor(now)
`

const GCRA_REMAINING = `
local function remaining(period, T, tat)
  if tat < now then tat = now end
  local r = math.floor((now + period - tat) / T + 1e-9)
  if r < 0 then r = 0 end
  return r
end
`

/**
 * KEYS: the rate keys, then the lease keys. ARGV: #rates, epsilon, then (periodMs, limit, cost)
 * per rate, then (limit, id, ttlMs) per lease. Checks every subject first and changes state only
 * when all admit. Returns {ok, failing index (1-based over KEYS), retry-after ms (-1: never)},
 * then (remaining, resetMs) per rate and remaining per lease.
 */
export const ADMIT = `${NOW}${GCRA_REMAINING}
local nr = tonumber(ARGV[1])
local eps = tonumber(ARGV[2])
local nl = #KEYS - nr
local fail, failRetry = 0, 0
local function worse(i, retry)
  if fail == 0 or (failRetry ~= -1 and (retry == -1 or retry > failRetry)) then fail = i; failRetry = retry end
end
local tats, newTats, live, held = {}, {}, {}, {}
for i = 1, nr do
  local a = 2 + (i - 1) * 3
  local period, limit, cost = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local tat = tonumber(redis.call('GET', KEYS[i])) or now
  if tat < now then tat = now end
  tats[i] = tat
  newTats[i] = tat + cost * period / limit
  if cost > limit then worse(i, -1)
  elseif newTats[i] - now > period + eps then worse(i, math.ceil(newTats[i] - period - now)) end
end
for j = 1, nl do
  local k = KEYS[nr + j]
  local a = 2 + nr * 3 + (j - 1) * 3
  local limit, id = tonumber(ARGV[a + 1]), ARGV[a + 2]
  live[j] = redis.call('ZCOUNT', k, '(' .. nowMs, '+inf')
  local mine = tonumber(redis.call('ZSCORE', k, id))
  held[j] = mine ~= nil and mine > nowMs
  if not held[j] and live[j] >= limit then
    local first = redis.call('ZRANGEBYSCORE', k, '(' .. nowMs, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    worse(nr + j, math.max(1, math.ceil(tonumber(first[2]) - now)))
  end
end
local ok = fail == 0
local out = {ok and 1 or 0, fail, failRetry}
for i = 1, nr do
  local a = 2 + (i - 1) * 3
  local period, limit = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local tat = tats[i]
  if ok then
    tat = newTats[i]
    if tat > now then
      redis.call('SET', KEYS[i], string.format('%.17g', tat), 'PX', string.format('%d', math.ceil(tat - now) + 1000))
    end
  end
  out[#out + 1] = remaining(period, period / limit, tat)
  out[#out + 1] = math.ceil(tat - now)
end
for j = 1, nl do
  local k = KEYS[nr + j]
  local a = 2 + nr * 3 + (j - 1) * 3
  local limit, id, ttl = tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3])
  local free = limit - live[j]
  if ok then
    redis.call('ZREMRANGEBYSCORE', k, '-inf', nowMs)
    redis.call('ZADD', k, string.format('%d', nowMs + ttl), id)
    if redis.call('PTTL', k) < ttl then redis.call('PEXPIRE', k, ttl) end
    if not held[j] then free = free - 1 end
  end
  if free < 0 then free = 0 end
  out[#out + 1] = free
end
return out
`

/** KEYS[1] rate key; ARGV periodMs, limit, delta (negative refunds, clamped at empty). Returns {remaining, resetMs}. */
export const ADJUST = `${NOW}${GCRA_REMAINING}
local period, limit, delta = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
tat = tat + delta * period / limit
if tat <= now then
  tat = now
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%.17g', tat), 'PX', string.format('%d', math.ceil(tat - now) + 1000))
end
return {remaining(period, period / limit, tat), math.ceil(tat - now)}
`

/** KEYS[1] lease key; ARGV id, ttlMs. 1 when the live lease was extended, 0 when it is gone. */
export const RENEW_LEASE = `${NOW}
local score = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
local ttl = tonumber(ARGV[2])
if not score or score <= nowMs then return 0 end
redis.call('ZADD', KEYS[1], string.format('%d', math.max(score, nowMs + ttl)), ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`

export const COUNT_LEASES = `${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. nowMs, '+inf')
`

// A budget window is a hash (spent, reserved, r:<id> = amount or 'x' once settled/released,
// a:<fraction> once alerted) and a zset of reservation ids scored by expiry. Expired ids are
// pruned first, so a crashed replica's reservation stops counting at its TTL by itself.
const PRUNE = `
local function prune(h, z)
  local expired = redis.call('ZRANGEBYSCORE', z, '-inf', nowMs)
  if #expired == 0 then return end
  for _, id in ipairs(expired) do
    local amount = redis.call('HGET', h, 'r:' .. id)
    if amount and amount ~= 'x' and amount ~= '0' then redis.call('HINCRBY', h, 'reserved', '-' .. amount) end
    redis.call('HDEL', h, 'r:' .. id)
  end
  redis.call('ZREMRANGEBYSCORE', z, '-inf', nowMs)
end
local function keep(h, z, expiry)
  if expiry ~= '0' then
    redis.call('PEXPIREAT', h, expiry)
    redis.call('PEXPIREAT', z, expiry)
  end
end
local function num(h, field)
  return tonumber(redis.call('HGET', h, field) or '0')
end
`

/**
 * KEYS (hash, zset) per budget; ARGV id, amount, ttlMs, then (limit, hard 1|0, expiry epoch ms or 0)
 * per budget. All-or-nothing over the hard budgets. Returns {ok, failing budget (1-based)}, then
 * (spent, reserved) per budget.
 */
export const RESERVE = `${NOW}${PRUNE}
local id, amount, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local n = #KEYS / 2
local out, fresh, fail = {0, 0}, {}, 0
for i = 1, n do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  local a = 3 + (i - 1) * 3
  prune(h, z)
  local spent, reserved = num(h, 'spent'), num(h, 'reserved')
  fresh[i] = redis.call('HEXISTS', h, 'r:' .. id) == 0
  if fail == 0 and ARGV[a + 2] == '1' and fresh[i] and spent + reserved + tonumber(amount) > tonumber(ARGV[a + 1]) then fail = i end
  out[2 * i + 1] = spent
  out[2 * i + 2] = reserved
end
if fail > 0 then
  out[2] = fail
  return out
end
out[1] = 1
for i = 1, n do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  if fresh[i] then
    redis.call('HSET', h, 'r:' .. id, amount)
    out[2 * i + 2] = redis.call('HINCRBY', h, 'reserved', amount)
    redis.call('ZADD', z, string.format('%d', nowMs + ttl), id)
  end
  keep(h, z, ARGV[3 + (i - 1) * 3 + 3])
end
return out
`

/**
 * KEYS (hash, zset) per budget; ARGV id, actual, ttlMs, then per budget: expiry, #alerts, and
 * (fraction, threshold) per alert. Returns {applied}, then per budget spent, reserved, #crossed
 * and the crossed alerts' 0-based indexes.
 */
export const SETTLE = `${NOW}${PRUNE}
local id, actual, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local out = {0}
local a = 4
for i = 1, #KEYS / 2 do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  local expiry, alerts = ARGV[a], tonumber(ARGV[a + 1])
  local first = a + 2
  a = first + 2 * alerts
  prune(h, z)
  local entry = redis.call('HGET', h, 'r:' .. id)
  local crossed = {}
  if entry ~= 'x' then
    out[1] = 1
    if entry then
      if entry ~= '0' then redis.call('HINCRBY', h, 'reserved', '-' .. entry) end
    else
      -- Settled after its reservation expired: the provider billed it, so it still counts, once.
      redis.call('ZADD', z, string.format('%d', nowMs + ttl), id)
    end
    redis.call('HSET', h, 'r:' .. id, 'x')
    local spent = redis.call('HINCRBY', h, 'spent', actual)
    for k = 0, alerts - 1 do
      if spent >= tonumber(ARGV[first + 2 * k + 1]) and redis.call('HSETNX', h, 'a:' .. ARGV[first + 2 * k], '1') == 1 then
        crossed[#crossed + 1] = k
      end
    end
    keep(h, z, expiry)
  end
  out[#out + 1] = num(h, 'spent')
  out[#out + 1] = num(h, 'reserved')
  out[#out + 1] = #crossed
  for _, k in ipairs(crossed) do out[#out + 1] = k end
end
return out
`

/** KEYS (hash, zset) per budget; ARGV id, ttlMs, then expiry per budget. Drops the reservation without spending. */
export const RELEASE = `${NOW}${PRUNE}
local id, ttl = ARGV[1], tonumber(ARGV[2])
for i = 1, #KEYS / 2 do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  prune(h, z)
  local entry = redis.call('HGET', h, 'r:' .. id)
  if entry ~= 'x' then
    if entry then
      if entry ~= '0' then redis.call('HINCRBY', h, 'reserved', '-' .. entry) end
    else
      redis.call('ZADD', z, string.format('%d', nowMs + ttl), id)
    end
    redis.call('HSET', h, 'r:' .. id, 'x')
    keep(h, z, ARGV[2 + i])
  end
end
return 1
`

/** KEYS hash, zset of one budget window. Returns {spent, reserved}. */
export const BUDGET_STATUS = `${NOW}${PRUNE}
prune(KEYS[1], KEYS[2])
return {num(KEYS[1], 'spent'), num(KEYS[1], 'reserved')}
`
