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

const GCRA_REMAINING = `
local function remaining(period, T, tat)
  if tat < now then tat = now end
  local r = math.floor((now + period - tat) / T + 1e-9)
  if r < 0 then r = 0 end
  return r
end
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

/**
 * The request's whole admission. KEYS: rate keys, lease keys, then (hash, zset) per budget.
 * ARGV: #rates, #leases, #budgets, epsilon; (periodMs, limit, cost) per rate; (limit, id, ttlMs)
 * per lease; reservation id, amount, ttlMs; (limit, hard 1|0, expiry epoch ms or 0) per budget.
 * Checks every subject first and changes state only when all admit. Returns {ok, failing subject
 * (1-based over rates, leases, budgets), retry-after ms (-1: waiting cannot tell)}, then
 * (remaining, resetMs) per rate, remaining per lease, (spent, reserved) per budget.
 */
export const ADMIT = `${NOW}${GCRA_REMAINING}${PRUNE}
local nr, nl, nb, eps = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local la, ba = 4 + nr * 3, 4 + nr * 3 + nl * 3
local id, amount, ttl = ARGV[ba + 1], ARGV[ba + 2], tonumber(ARGV[ba + 3])
local fail, failRetry = 0, 0
local function worse(i, retry)
  if fail == 0 or (failRetry ~= -1 and (retry == -1 or retry > failRetry)) then fail = i; failRetry = retry end
end
local tats, newTats, live, held, spent, reserved, fresh = {}, {}, {}, {}, {}, {}, {}
for i = 1, nr do
  local a = 4 + (i - 1) * 3
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
  local a = la + (j - 1) * 3
  live[j] = redis.call('ZCOUNT', k, '(' .. nowMs, '+inf')
  local mine = tonumber(redis.call('ZSCORE', k, ARGV[a + 2]))
  held[j] = mine ~= nil and mine > nowMs
  if not held[j] and live[j] >= tonumber(ARGV[a + 1]) then
    local first = redis.call('ZRANGEBYSCORE', k, '(' .. nowMs, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    worse(nr + j, math.max(1, math.ceil(tonumber(first[2]) - now)))
  end
end
for b = 1, nb do
  local h, z = KEYS[nr + nl + 2 * b - 1], KEYS[nr + nl + 2 * b]
  local a = ba + 3 + (b - 1) * 3
  prune(h, z)
  local fields = redis.call('HMGET', h, 'spent', 'reserved', 'r:' .. id)
  spent[b], reserved[b] = tonumber(fields[1] or '0'), tonumber(fields[2] or '0')
  fresh[b] = not fields[3]
  if ARGV[a + 2] == '1' and fresh[b] and spent[b] + reserved[b] + tonumber(amount) > tonumber(ARGV[a + 1]) then worse(nr + nl + b, -1) end
end
local ok = fail == 0
local out = {ok and 1 or 0, fail, failRetry}
for i = 1, nr do
  local a = 4 + (i - 1) * 3
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
  local a = la + (j - 1) * 3
  local free, lttl = tonumber(ARGV[a + 1]) - live[j], tonumber(ARGV[a + 3])
  if ok then
    redis.call('ZREMRANGEBYSCORE', k, '-inf', nowMs)
    redis.call('ZADD', k, string.format('%d', nowMs + lttl), ARGV[a + 2])
    if redis.call('PTTL', k) < lttl then redis.call('PEXPIRE', k, lttl) end
    if not held[j] then free = free - 1 end
  end
  if free < 0 then free = 0 end
  out[#out + 1] = free
end
for b = 1, nb do
  local h, z = KEYS[nr + nl + 2 * b - 1], KEYS[nr + nl + 2 * b]
  if ok then
    if fresh[b] then
      redis.call('HSET', h, 'r:' .. id, amount)
      reserved[b] = redis.call('HINCRBY', h, 'reserved', amount)
      redis.call('ZADD', z, string.format('%d', nowMs + ttl), id)
    end
    keep(h, z, ARGV[ba + 3 + (b - 1) * 3 + 3])
  end
  out[#out + 1] = spent[b]
  out[#out + 1] = reserved[b]
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
