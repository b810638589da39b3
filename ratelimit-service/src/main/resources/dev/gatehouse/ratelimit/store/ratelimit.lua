-- Gatehouse ratelimit: every hit of one request, checked and counted atomically in one call.
-- The arithmetic is the same, operation for operation, as Plan.java (the in-memory store), so the
-- two stores decide alike. If any enforced hit is denied, nothing is written: a denial by one
-- limit never consumes another's quota.
--
-- ARGV[1]: now in microseconds since the epoch, or '' to use this server's clock (TIME).
-- Then six arguments per hit: algorithm (1 fixed_window, 2 sliding_window, 3 token_bucket),
-- limit, window seconds, hits, enforced ('1' or '0'), burst.
-- KEYS[i]: the counter name of hit i without the window start, which is appended here.
-- Returns four integers per hit: allowed (1/0), remaining, reset (us), retry (us).
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[1])
end

local plans = {}
local admit = true
for i = 1, #KEYS do
  local a = 2 + (i - 1) * 6
  local alg = tonumber(ARGV[a])
  local limit = tonumber(ARGV[a + 1])
  local window = tonumber(ARGV[a + 2])
  local hits = tonumber(ARGV[a + 3])
  local enforced = ARGV[a + 4] == '1'
  local burst = tonumber(ARGV[a + 5])
  local base = KEYS[i]
  local wus = window * 1000000
  local ws = math.floor(now / wus) * window
  local since = now - ws * 1000000
  local reset = wus - since
  local p
  if limit == 0 then
    local wait = reset
    if alg == 3 then wait = wus end
    p = {allowed = hits == 0, after = 0, before = 0, reset = reset, retry = wait}
  elseif alg == 1 then
    local key = base .. string.format('%d', ws)
    local count = tonumber(redis.call('GET', key) or '0')
    local after = count + hits
    local retry = 0
    if count + 1 > limit then retry = reset end
    p = {allowed = after <= limit, after = limit - after, before = math.max(0, limit - count),
         reset = reset, retry = retry, key = key, op = 'incr', ttl = window * 1000}
  elseif alg == 2 then
    local key = base .. string.format('%d', ws)
    local current = tonumber(redis.call('GET', key) or '0')
    local previous = tonumber(redis.call('GET', base .. string.format('%d', ws - window)) or '0')
    local weight = (wus - since) / wus
    local estimate = previous * weight + current
    local retry = 0
    if estimate + 1 > limit then
      if current + 1 <= limit and previous > 0 then
        local target = (limit - current - 1) / previous
        retry = math.ceil(wus * (1 - target) - since)
      else
        local part = 1 - (limit - 1) / current
        retry = reset + math.ceil(part * wus)
      end
    end
    p = {allowed = estimate + hits <= limit, after = math.floor(limit - estimate - hits),
         before = math.max(0, math.floor(limit - estimate)), reset = reset, retry = retry,
         key = key, op = 'incr', ttl = window * 2000}
  else
    local interval = wus / limit
    local tolerance = burst * interval
    local tat = math.max(tonumber(redis.call('GET', base) or '0'), now)
    local newTat = math.floor(tat + hits * interval)
    local allowAt = newTat - tolerance
    local allowed = allowAt <= now
    local retry = math.max(0, math.ceil(tat + interval - tolerance - now))
    -- Admitted: until the bucket is full again; denied: until the next token.
    local reset = retry
    if allowed then reset = math.ceil(newTat - now) end
    p = {allowed = allowed, after = math.floor((now - allowAt) / interval),
         before = math.max(0, math.floor((now - (tat - tolerance)) / interval)), reset = reset,
         retry = retry, key = base,
         op = 'set', value = newTat, ttl = math.ceil((newTat - now) / 1000) + 1000}
  end
  p.hits = hits
  if enforced and not p.allowed then admit = false end
  plans[i] = p
end

local out = {}
for i = 1, #plans do
  local p = plans[i]
  if admit and p.hits > 0 and p.key then
    if p.op == 'incr' then
      redis.call('INCRBY', p.key, p.hits)
      redis.call('PEXPIRE', p.key, p.ttl)
    else
      redis.call('SET', p.key, string.format('%.0f', p.value), 'PX', p.ttl)
    end
  end
  local allowed = 0
  if p.allowed then allowed = 1 end
  local remaining = p.before
  if admit then remaining = p.after end
  out[#out + 1] = allowed
  out[#out + 1] = remaining
  out[#out + 1] = p.reset
  out[#out + 1] = p.retry
end
return out
