-- Gatehouse ratelimit: the hits of one or more requests, each request checked and counted
-- atomically, in order, in one call. The arithmetic is the same, operation for operation, as
-- Plan.java (the in-memory store), so the two stores decide alike. If any enforced hit of a request
-- is denied, nothing of that request is written: a denial by one limit never consumes another's
-- quota. A later request of the same call sees what the earlier ones wrote.
--
-- ARGV[1]: now in microseconds since the epoch, or '' to use this server's clock (TIME).
-- Then, per request: its number of hits n, then six arguments per hit: algorithm (1 fixed_window,
-- 2 sliding_window, 3 token_bucket), limit, window seconds, hits, enforced ('1' or '0'), burst.
-- KEYS: the counter name of every hit without the window start (appended here), in the same order.
-- Returns four integers per hit, in order: allowed (1/0; -1 on every hit of a request whose write
-- Redis refused), remaining, reset (us), retry (us).
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[1])
end

-- Kept lean: the script's own work (argument parsing, tables, garbage) costs Redis more than its
-- calls into Redis do. One request: one pass decides every hit and fills the reply as if the
-- request were admitted; `before` keeps the other remaining counts, `writes` what an admitted
-- request writes. `k` counts the hits of the requests before, `a` is its first argument.
local out = {}

local function decide(k, n, a)
  local before = {}
  local writes = {}
  local admit = true
  for i = k + 1, k + n do
    local alg = tonumber(ARGV[a])
    local limit = tonumber(ARGV[a + 1])
    local window = tonumber(ARGV[a + 2])
    local hits = tonumber(ARGV[a + 3])
    local base = KEYS[i]
    local wus = window * 1000000
    local ws = math.floor(now / wus) * window
    local since = now - ws * 1000000
    local reset = wus - since
    local allowed, after, was, retry
    if limit == 0 then
      allowed, after, was, retry = hits == 0, 0, 0, reset
      if alg == 3 then retry = wus end
    elseif alg == 1 then
      local key = base .. ws
      local value = redis.call('GET', key)
      local count = tonumber(value or '0')
      allowed = count + hits <= limit
      after = limit - count - hits
      was = math.max(0, limit - count)
      retry = 0
      if count + 1 > limit then retry = reset end
      if hits > 0 then
        -- A new counter is created with its expiry in one call; an existing one keeps the expiry
        -- it was created with, which outlasts its window.
        writes[#writes + 1] = key
        writes[#writes + 1] = hits
        writes[#writes + 1] = value and -1 or window * 1000
      end
    elseif alg == 2 then
      local key = base .. ws
      local value = redis.call('GET', key)
      local current = tonumber(value or '0')
      local previous = tonumber(redis.call('GET', base .. (ws - window)) or '0')
      local estimate = previous * ((wus - since) / wus) + current
      allowed = estimate + hits <= limit
      after = math.floor(limit - estimate - hits)
      was = math.max(0, math.floor(limit - estimate))
      retry = 0
      if estimate + 1 > limit then
        if current + 1 <= limit and previous > 0 then
          local target = (limit - current - 1) / previous
          retry = math.ceil(wus * (1 - target) - since)
        else
          local part = 1 - (limit - 1) / current
          retry = reset + math.ceil(part * wus)
        end
      end
      if hits > 0 then
        -- Sliding: a counter is read through the next window too.
        writes[#writes + 1] = key
        writes[#writes + 1] = hits
        writes[#writes + 1] = value and -1 or window * 2000
      end
    else
      local interval = wus / limit
      local tolerance = tonumber(ARGV[a + 5]) * interval
      local tat = math.max(tonumber(redis.call('GET', base) or '0'), now)
      local newTat = math.floor(tat + hits * interval)
      local allowAt = newTat - tolerance
      allowed = allowAt <= now
      after = math.floor((now - allowAt) / interval)
      was = math.max(0, math.floor((now - (tat - tolerance)) / interval))
      retry = math.max(0, math.ceil(tat + interval - tolerance - now))
      -- Admitted: until the bucket is full again; denied: until the next token.
      reset = retry
      if allowed then reset = math.ceil(newTat - now) end
      if hits > 0 then
        -- The bucket's TAT: written whole, a negative count marks it.
        writes[#writes + 1] = base
        writes[#writes + 1] = -newTat
        writes[#writes + 1] = math.ceil((newTat - now) / 1000) + 1000
      end
    end
    if not allowed and ARGV[a + 4] == '1' then admit = false end
    local o = (i - 1) * 4
    out[o + 1] = allowed and 1 or 0
    out[o + 2] = after
    out[o + 3] = reset
    out[o + 4] = retry
    before[i] = was
    a = a + 6
  end

  if admit then
    local created = {}
    for w = 1, #writes, 3 do
      local key, by, ttl = writes[w], writes[w + 1], writes[w + 2]
      if by < 0 then
        redis.call('SET', key, string.format('%.0f', -by), 'PX', ttl)
      elseif ttl < 0 or created[key] then
        redis.call('INCRBY', key, by)
      else
        redis.call('SET', key, by, 'PX', ttl)
        created[key] = true
      end
    end
  else
    for i = k + 1, k + n do out[(i - 1) * 4 + 2] = before[i] end
  end
end

-- Each request runs under pcall: one that fails (a counter holding something that is not a
-- number, say) is marked -1 on every hit and fails alone; the others of the call go on. What it
-- wrote before failing stays, as it would have without the other requests.
local k = 0
local a = 2
while a <= #ARGV do
  local n = tonumber(ARGV[a])
  if not pcall(decide, k, n, a + 1) then
    for i = k + 1, k + n do
      local o = (i - 1) * 4
      out[o + 1], out[o + 2], out[o + 3], out[o + 4] = -1, 0, 0, 0
    end
  end
  k = k + n
  a = a + 1 + 6 * n
end
return out
