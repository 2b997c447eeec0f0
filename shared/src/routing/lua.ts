// Redis twins of breaker-rules.ts and the memory store's budget counting. Times come from the
// caller (ARGV) like the memory twin's clock, so tests can move time; replicas' clocks must agree
// to within a cool-down's precision (NTP is plenty).

// A breaker is a hash: s state (closed|open|half-open), u openUntil, n openings, g generation,
// c closedAt, h holder, p probeUntil.
// KEYS[1] the target, KEYS[2..] the group's other members.
// ARGV: op, replicaId, now, baseCooldown, maxCooldown, probeTimeout, resetAfter, maxEjected,
//       channel, targetId, ttlMs, failedProbeGrowth (1 doubles, 0 keeps).
// Returns {applied, s, u, n, g, c, h, p}; an applied transition is published on the channel.
export const BREAKER_TRANSITION = `
local op, replica, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local base, cap, probeTimeout = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local resetAfter, maxEjected = tonumber(ARGV[7]), tonumber(ARGV[8])
local r = redis.call('HMGET', KEYS[1], 's', 'u', 'n', 'g', 'c', 'h', 'p')
local s, u, n, g = r[1] or 'closed', tonumber(r[2]) or 0, tonumber(r[3]) or 0, tonumber(r[4]) or 0
local c, h, p = tonumber(r[5]) or 0, r[6] or '', tonumber(r[7]) or 0
local function cooldown(openings)
  local k = math.min(math.max(openings - 1, 0), 30)
  return math.min(cap, base * 2 ^ k)
end
local function reply(applied)
  return {applied, s, u, n, g, c, h, p}
end
if op == 'open' then
  if s ~= 'closed' then return reply(0) end
  local ejected = 0
  for i = 2, #KEYS do
    local other = redis.call('HGET', KEYS[i], 's')
    if other and other ~= 'closed' then ejected = ejected + 1 end
  end
  if ejected + 1 > maxEjected then return reply(0) end
  if c > 0 and now - c >= resetAfter then n = 0 end
  n = n + 1
  s, u, h, p = 'open', now + cooldown(n), '', 0
elseif op == 'claim' then
  local due = (s == 'open' and now >= u) or (s == 'half-open' and now >= p)
  if not due then return reply(0) end
  s, h, p = 'half-open', replica, now + probeTimeout
elseif op == 'close' then
  if s ~= 'half-open' or h ~= replica then return reply(0) end
  s, u, c, h, p = 'closed', 0, now, '', 0
elseif op == 'reopen' then
  if s ~= 'half-open' or h ~= replica then return reply(0) end
  n = n + tonumber(ARGV[12])
  s, u, h, p = 'open', now + cooldown(n), '', 0
else
  return redis.error_reply('unknown breaker op')
end
g = g + 1
redis.call('HSET', KEYS[1], 's', s, 'u', u, 'n', n, 'g', g, 'c', c, 'h', h, 'p', p)
redis.call('PEXPIRE', KEYS[1], ARGV[11])
redis.call('PUBLISH', ARGV[9], cjson.encode({t = ARGV[10], s = s, u = u, n = n, g = g, c = c, h = h, p = p}))
return reply(1)
`

// Seeds a record the store lost (a restarted Redis) from a replica's local view, only if absent.
// KEYS[1] the target. ARGV: s, u, n, g, c, h, p, channel, targetId, ttlMs.
export const BREAKER_SEED = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  local r = redis.call('HMGET', KEYS[1], 's', 'u', 'n', 'g', 'c', 'h', 'p')
  return {0, r[1], tonumber(r[2]), tonumber(r[3]), tonumber(r[4]), tonumber(r[5]), r[6], tonumber(r[7])}
end
redis.call('HSET', KEYS[1], 's', ARGV[1], 'u', ARGV[2], 'n', ARGV[3], 'g', ARGV[4], 'c', ARGV[5], 'h', ARGV[6], 'p', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[10])
redis.call('PUBLISH', ARGV[8], cjson.encode({t = ARGV[9], s = ARGV[1], u = tonumber(ARGV[2]), n = tonumber(ARGV[3]),
  g = tonumber(ARGV[4]), c = tonumber(ARGV[5]), h = ARGV[6], p = tonumber(ARGV[7])}))
return {1, ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7])}
`

// A group's retry budget: one hash per time bucket, fields <replica>:q and <replica>:r.
// KEYS[1] the group's key base (":<bucketStart>" is appended). ARGV: replicaId, sinceBucket,
// untilBucket, bucketMs, ttlMs, count, then count × (bucketStart, requests, retries).
// Returns, for each bucket from sinceBucket to untilBucket: bucketStart, requests, retries, replicas.
export const BUDGET_ADD = `
local replica, since, untilBucket = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local step, ttl, count = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
for i = 0, count - 1 do
  local key = KEYS[1] .. ':' .. ARGV[7 + 3 * i]
  redis.call('HINCRBY', key, replica .. ':q', ARGV[8 + 3 * i])
  redis.call('HINCRBY', key, replica .. ':r', ARGV[9 + 3 * i])
  redis.call('PEXPIRE', key, ttl)
end
local out = {}
for b = since, untilBucket, step do
  local fields = redis.call('HGETALL', KEYS[1] .. ':' .. string.format('%d', b))
  local q, r, replicas = 0, 0, 0
  for i = 1, #fields, 2 do
    local f, v = fields[i], tonumber(fields[i + 1])
    if string.sub(f, -2) == ':q' then q = q + v; replicas = replicas + 1 else r = r + v end
  end
  table.insert(out, b); table.insert(out, q); table.insert(out, r); table.insert(out, replicas)
end
return out
`
