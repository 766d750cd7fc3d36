-- newscrawl frontier: one atomic round trip that does all of a worker's pending work.
--
-- Called as EVALSHA sync 0 <prefix> <now_ms> <ops JSON>. Keys are built from the prefix
-- with the patterns of crawler/coordination/keys.py, so this script needs a standalone
-- Redis (or a cluster hash tag in the prefix). Order inside one call is what makes the
-- frontier lossless: links found on a page are pushed *before* the page is acknowledged,
-- and both happen in one transaction, so a worker that dies at any point loses nothing:
-- either its page is still leased (and comes back when the lease expires) or its page's
-- links are safely queued.
--
-- ops fields (all optional):
--   push      list of {host, score, payload, seed, bits | fp+set+ttl, tpl, via, art,
--             lm, lmk}: enqueue unless seen; seed is the entry point's fingerprint (entry
--             points bypass the filter and the trap budget); tpl the URL template, refused
--             while the host has cut it; via the lease id of the page that found the link,
--             art true when the link is an article candidate (a fresh one credits that
--             page); lm the date (epoch s) a feed or sitemap announced for it, under key lmk:
--             a seen link whose date moved forward is enqueued again
--   max_pages per-host cap on new pages queued (seeds, retries exempt); 0 = no cap
--   ack       list of {id, token, tpl, new, via_host, via_tpl, val}: page fully handled,
--             forget it; with tpl, count it for the trap budget (new: it stored a new
--             article, which also credits the template of the page that linked it); val
--             {url, v}: the validators of its response, kept for conditional requests
--   release   list of {id, token}: download finished, free the host's concurrency slot
--   dead      list of {id, token, entry}: give up on a leased request, keep it for operators
--   handback  list of {id, token}: return a leased, never-started request to its queue
--   extend    list of {id, token}: the page is still being worked on, extend its lease
--   hold      list of {host, ms}: hand out nothing for the host during the next `ms`
--   call      unique id of this call: a repeat of it returns the first run's answer
--   lease     {n, worker, lease_ms, delay_ms, concurrency, scan, margin, margin_cap_ms,
--             alive_ms}
--   expire    {max_attempts, limit}: requeue leases whose deadline passed
--   seen      {mode, keys (Bloom generations, newest first), expire_s, prune}
--   stats     {field: increment} added to the totals and to the current minute's counters
--   heartbeat {worker, fields: {...}, ttl_s, forget_ms}
--   budget    consecutive fetches without a new article after which a host's URL template
--             is cut (NEWS_TEMPLATE_BUDGET; 0 = no budget)
--   claim     {token, site, tick}: a scheduled seeding (crawler/schedule.py), done only if
--             `token` leads the schedule and the site's tick (ms) is newer than its last;
--             otherwise nothing else in the call is done, and the answer's claim says why
--             (1 claimed, 0 that tick was seeded already, -1 the caller does not lead)

local prefix = ARGV[1]
local ops = cjson.decode(ARGV[3])
-- Redis's clock, not the caller's: workers on machines whose clocks disagree must still
-- agree on when a host is due and when a lease expires (tests pass a fixed time instead)
local now = tonumber(ARGV[2])
if now == 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- A call is sent again when its answer was lost (a timeout, a dropped connection): the
-- answer of the first run is kept for a while under the call's id and returned as is,
-- so that nothing is pushed, leased or acknowledged twice.
local K_DONE = ops.call and (prefix .. ':done:' .. ops.call) or nil
if K_DONE then
  local done = redis.call('GET', K_DONE)
  if done then return done end
end

local K_REQ = prefix .. ':req'
local K_HOSTS = prefix .. ':hosts'
local K_LEASES = prefix .. ':leases'
local K_INFO = prefix .. ':leaseinfo'
local K_ATTEMPTS = prefix .. ':attempts'
local K_DEAD = prefix .. ':dead'
local K_SEQ = prefix .. ':seq'
local K_HOSTPAGES = prefix .. ':hostpages'
local K_CAPPED = prefix .. ':capped'
local K_NEXT = prefix .. ':hostnext'
local K_TOKEN = prefix .. ':token'
local K_SEEDS = prefix .. ':seeds'
local K_REQTPL = prefix .. ':reqtpl'
local K_YIELD = prefix .. ':yield'
local K_CUTHOSTS = prefix .. ':cuthosts'
local K_VALIDATORS = prefix .. ':validators'
local K_LASTMOD = prefix .. ':lastmod'

-- Requests a lease call may look at on one host to get past dropped ones: bounds the
-- script's work after a template with a thousand queued requests is cut.
local CUT_SCAN = 1000

local function queue_key(host) return prefix .. ':q:' .. host end
local function active_key(host) return prefix .. ':active:' .. host end
local function misses_key(host) return prefix .. ':tplmiss:' .. host end
local function cut_key(host) return prefix .. ':tplcut:' .. host end
-- the family of a template with a query: the same path with any query ("/x/?*"), so that
-- the sorted, filtered and paged variants of one listing share a budget as well
local function family(tpl)
  local q = string.find(tpl, '?', 1, true)
  if q then return string.sub(tpl, 1, q) .. '*' end
  return nil
end
local function is_cut(host, tpl)
  if not tpl or tpl == '' then return false end
  if redis.call('HEXISTS', cut_key(host), tpl) == 1 then return true end
  local fam = family(tpl)
  return fam ~= nil and redis.call('HEXISTS', cut_key(host), fam) == 1
end

-- "token|worker|host|score" of a leased id, or nil
local function lease_info(id)
  local raw = redis.call('HGET', K_INFO, id)
  if not raw then return nil end
  local token, worker, host, score = string.match(raw, '^([^|]*)|([^|]*)|([^|]*)|(.*)$')
  return {token = token, worker = worker, host = host, score = tonumber(score)}
end

local function forget_lease(id, info)
  redis.call('ZREM', K_LEASES, id)
  redis.call('HDEL', K_INFO, id)
  if info then redis.call('ZREM', active_key(info.host), id) end
end

-- a host re-entering the due set keeps its politeness clock: it is due no earlier than
-- the time its last request was handed out plus its delay
local function mark_due(host)
  local next_ok = tonumber(redis.call('HGET', K_NEXT, host)) or 0
  if next_ok < now then next_ok = now end
  redis.call('ZADD', K_HOSTS, 'NX', next_ok, host)
end

local function requeue(id, host, score)
  redis.call('ZADD', queue_key(host), score, id)
  mark_due(host)
end

-- Redis does not undo the writes of a script that fails half-way, so check first that
-- the keys this call relies on hold what newscrawl writes; if not, fail before writing
-- anything (the worker then repairs them: crawler/coordination/repair.py).
local expected_types = {
  [K_REQ] = 'hash', [K_HOSTS] = 'zset', [K_LEASES] = 'zset', [K_INFO] = 'hash',
  [K_ATTEMPTS] = 'hash', [K_DEAD] = 'list', [K_HOSTPAGES] = 'hash', [K_CAPPED] = 'set',
  [K_NEXT] = 'hash', [K_SEEDS] = 'hash', [K_SEQ] = 'string', [K_TOKEN] = 'string',
  [prefix .. ':workers'] = 'zset', [prefix .. ':totals'] = 'hash',
  [K_REQTPL] = 'hash', [K_YIELD] = 'hash', [K_CUTHOSTS] = 'set',
  [K_VALIDATORS] = 'hash', [K_LASTMOD] = 'hash',
  [prefix .. ':schedule-ticks'] = 'hash', [prefix .. ':schedule-skipped'] = 'hash',
  [prefix .. ':schedule-leader'] = 'string',
}
for key, kind in pairs(expected_types) do
  local found = redis.call('TYPE', key).ok
  if found ~= 'none' and found ~= kind then
    return redis.error_reply('CORRUPT ' .. key .. ' holds a ' .. found .. ', not a ' .. kind)
  end
end
for _, key in ipairs({K_SEQ, K_TOKEN}) do
  local value = redis.call('GET', key)
  if value and not tonumber(value) then
    return redis.error_reply('CORRUPT ' .. key .. ' is not a number')
  end
end

local result = {pushed = {}, leased = {}, stale = 0, cut = 0}

-- 0. a scheduled seeding claims its tick in the same transaction as its pushes: exactly one
-- leader seeds each tick, and a leader killed before this call leaves the tick to the next
if ops.claim then
  local c = ops.claim
  local K_TICKS = prefix .. ':schedule-ticks'
  local last = tonumber(redis.call('HGET', K_TICKS, c.site))
  if redis.call('GET', prefix .. ':schedule-leader') ~= c.token then
    result.claim = -1
  elseif last and last >= c.tick then
    result.claim = 0
  else
    redis.call('HSET', K_TICKS, c.site, c.tick)
    redis.call('HDEL', prefix .. ':schedule-skipped', c.site)
    result.claim = 1
  end
  if result.claim ~= 1 then
    local answer = cjson.encode(result)
    if K_DONE then redis.call('SET', K_DONE, answer, 'PX', 120000) end
    return answer
  end
end

-- 1. seen-filter check and enqueue of discovered requests -------------------------------
local seen = ops.seen or {}
if ops.push then
  for i, p in ipairs(ops.push) do
    -- look first, mark later: a page refused by the host's cap must not be marked seen,
    -- or it could never be fetched, even after the cap is raised or the site re-seeded
    local fresh = seen_check_and_add(prefix, now, seen, p, false)
    -- announced dates: an article seen already whose feed or sitemap now announces a later
    -- date than the one known is fetched again (its stored row is updated); one seen
    -- before any date was known for it keeps the announced date as its baseline
    local was_seen, lm_known, lm_moved = not fresh, nil, false
    if p.lm and not p.seed then
      lm_known = tonumber(redis.call('HGET', K_LASTMOD, p.lmk))
      if was_seen and lm_known and p.lm > lm_known then
        fresh = true
        lm_moved = true
      end
    end
    -- a template the trap budget has cut on this host takes no new links (not marked seen:
    -- the next seeding of the site starts a new round)
    if fresh and not p.seed and is_cut(p.host, p.tpl) then
      fresh = false
      result.cut = result.cut + 1
    end
    if p.seed then
      -- entry points bypass the filter (they are refetched at every seeding), but one
      -- already waiting in the queue is not queued a second time
      fresh = true
      local waiting = redis.call('HGET', K_SEEDS, p.seed)
      if waiting and redis.call('HEXISTS', K_REQ, waiting) == 1 then fresh = false end
    end
    -- the cap counts new pages only: entries checked against the filter (a retry, a
    -- request sent back while robots.txt is fetched, a seed carry none) are work already
    -- counted, and refusing them would lose a page whose lease is being acknowledged
    if fresh and not p.seed and (p.bits or p.fp) and ops.max_pages and ops.max_pages > 0 then
      local pages = redis.call('HINCRBY', K_HOSTPAGES, p.host, 1)
      if pages > ops.max_pages then
        redis.call('SADD', K_CAPPED, p.host)
        fresh = false
      end
    end
    if fresh and (p.bits or p.fp) then seen_check_and_add(prefix, now, seen, p, true) end
    if fresh then
      local id = tostring(redis.call('INCR', K_SEQ))
      redis.call('HSET', K_REQ, id, p.payload)
      -- score: priority first (lower is earlier), then insertion order
      redis.call('ZADD', queue_key(p.host), p.score * 1e10 + tonumber(id), id)
      mark_due(p.host)
      if p.seed then redis.call('HSET', K_SEEDS, p.seed, id) end
      if p.tpl and not p.seed then redis.call('HSET', K_REQTPL, id, p.tpl) end
      -- a page that found an article nobody had found yet has earned its template a reset
      if p.art and p.via then redis.call('HSET', K_YIELD, p.via, 1) end
    end
    -- a date is kept once its link is queued, or as the baseline of a link seen before;
    -- a moved link refused by the cap or the trap budget keeps the old date, to be tried
    -- again at the next announcement
    if p.lm and (fresh or (was_seen and not lm_moved)) and (not lm_known or p.lm > lm_known) then
      redis.call('HSET', K_LASTMOD, p.lmk, p.lm)
    end
    result.pushed[i] = fresh
  end
  seen_maintain(prefix, now, seen)
end

-- 2. acknowledgements, releases, dead letters, hand-backs, extensions -------------------
local function owned(id, token)
  local info = lease_info(id)
  if info and info.token == tostring(token) then return info end
  result.stale = result.stale + 1
  return nil
end

if ops.release then
  for _, r in ipairs(ops.release) do
    -- only the holder of the lease frees its slot: a late release from a worker whose
    -- lease expired must not free the slot of the worker that holds it now
    local info = lease_info(r.id)
    if info and info.token == tostring(r.token) then
      redis.call('ZREM', active_key(info.host), r.id)
      -- a host stepped back while it was full becomes due again now that a slot is free
      local next_ok = tonumber(redis.call('HGET', K_NEXT, info.host)) or 0
      if next_ok < now then next_ok = now end
      redis.call('ZADD', K_HOSTS, 'XX', 'LT', next_ok, info.host)
    end
  end
end
-- a leased request is done with (acknowledged, or given up on): forget it, if this caller
-- still holds the lease
local function finish(id, token)
  local info = owned(id, token)
  if info then
    forget_lease(id, info)
    redis.call('HDEL', K_REQ, id)
    redis.call('HDEL', K_ATTEMPTS, id)
    redis.call('HDEL', K_REQTPL, id)
  end
  return info
end
-- the trap budget: a host's URL template that keeps giving no new article is cut
local function credit(host, tpl)
  if host and tpl and tpl ~= '' then
    redis.call('HDEL', misses_key(host), tpl)
    local fam = family(tpl)
    if fam then redis.call('HDEL', misses_key(host), fam) end
  end
end
local function miss(host, key)
  if redis.call('HINCRBY', misses_key(host), key, 1) >= ops.budget then
    if redis.call('HSETNX', cut_key(host), key, now) == 1 then
      redis.call('SADD', K_CUTHOSTS, host)
    end
  end
end
local function count_page(host, tpl, yielded)
  if not (ops.budget and ops.budget > 0 and tpl and tpl ~= '') then return end
  if yielded then
    credit(host, tpl)
  else
    miss(host, tpl)
    local fam = family(tpl)
    if fam then miss(host, fam) end
  end
end
if ops.ack then
  for _, a in ipairs(ops.ack) do
    local info = finish(a.id, a.token)
    local found = redis.call('HGET', K_YIELD, a.id)
    redis.call('HDEL', K_YIELD, a.id)
    -- the validators of a feed or sitemap, kept once the links it announced are queued
    if info and a.val then redis.call('HSET', K_VALIDATORS, a.val.url, a.val.v) end
    if info and a.tpl then
      count_page(info.host, a.tpl, a.new or found)
      if a.new then credit(a.via_host, a.via_tpl) end
    end
  end
end
if ops.dead then
  for _, d in ipairs(ops.dead) do
    finish(d.id, d.token)
    redis.call('HDEL', K_YIELD, d.id)
    redis.call('RPUSH', K_DEAD, d.entry)
  end
end
if ops.handback then
  for _, h in ipairs(ops.handback) do
    local info = owned(h.id, h.token)
    if info and redis.call('HEXISTS', K_REQ, h.id) == 1 then
      forget_lease(h.id, info)
      requeue(h.id, info.host, info.score)
    end
  end
end
if ops.extend then
  for _, e in ipairs(ops.extend) do
    local info = lease_info(e.id)
    if info and info.token == tostring(e.token) then
      local deadline = now + ops.extend_ms
      redis.call('ZADD', K_LEASES, 'XX', deadline, e.id)
      redis.call('ZADD', active_key(info.host), 'XX', deadline, e.id)
    end
  end
end

-- a host was just contacted outside the frontier (robots.txt): nothing more before `until`
if ops.hold then
  for _, h in ipairs(ops.hold) do
    local until_ms = now + h.ms
    local next_ok = tonumber(redis.call('HGET', K_NEXT, h.host)) or 0
    if until_ms > next_ok then redis.call('HSET', K_NEXT, h.host, until_ms) end
    redis.call('ZADD', K_HOSTS, 'XX', 'GT', until_ms, h.host)
  end
end

-- 3. expired leases go back to their queue, or to the dead letters ----------------------
if ops.expire then
  local expired = redis.call('ZRANGEBYSCORE', K_LEASES, '-inf', now, 'LIMIT', 0, ops.expire.limit)
  for _, id in ipairs(expired) do
    local info = lease_info(id)
    forget_lease(id, info)
    local payload = redis.call('HGET', K_REQ, id)
    if payload and info then
      local attempts = redis.call('HINCRBY', K_ATTEMPTS, id, 1)
      if attempts >= ops.expire.max_attempts then
        redis.call('HDEL', K_REQ, id)
        redis.call('HDEL', K_ATTEMPTS, id)
        redis.call('HDEL', K_REQTPL, id)
        redis.call('RPUSH', K_DEAD, cjson.encode({
          reason = 'lease expired ' .. attempts .. ' times (worker died or hung)',
          time = now, host = info.host, worker = info.worker, payload = payload}))
      else
        requeue(id, info.host, info.score)
      end
    end
  end
end

-- 4. lease new requests: hosts in due order, each within its delay and concurrency -------
if ops.lease and ops.lease.n > 0 then
  local L = ops.lease
  local got = 0
  local due = redis.call('ZRANGEBYSCORE', K_HOSTS, '-inf', now, 'LIMIT', 0, L.scan)
  -- workers that sent a heartbeat recently share each host's concurrency
  local alive = redis.call('ZCOUNT', prefix .. ':workers', now - (L.alive_ms or 0), '+inf')
  for _, host in ipairs(due) do
    if got >= L.n then break end
    local q = queue_key(host)
    local cfg = redis.call('HMGET', prefix .. ':hostcfg:' .. host, 'delay_ms', 'concurrency',
                           'crawl_delay_ms')
    local delay = tonumber(cfg[1]) or L.delay_ms
    local concurrency = tonumber(cfg[2]) or L.concurrency
    -- robots.txt Crawl-delay can only make a host slower
    local crawl_delay = tonumber(cfg[3]) or 0
    if crawl_delay > delay then delay = crawl_delay end
    -- a margin over the delay absorbs the time between hand-out and sending, which
    -- varies between workers; without it two requests could go out closer than the delay
    if delay > 0 and L.margin then
      delay = delay + math.min(math.floor(delay * L.margin), L.margin_cap_ms)
    end
    local act = active_key(host)
    -- downloads of workers that died without releasing: their lease deadline has passed
    redis.call('ZREMRANGEBYSCORE', act, '-inf', now)
    local take = concurrency - redis.call('ZCARD', act)
    if take > 0 and alive > 1 then
      -- a fair share of the host's slots per worker, or one worker that re-leases each
      -- slot the moment it frees would leave the others nothing to do on this host
      local share = math.ceil(concurrency / alive)
      local mine = 0
      for _, lid in ipairs(redis.call('ZRANGE', act, 0, -1)) do
        local info = lease_info(lid)
        if info and info.worker == L.worker then mine = mine + 1 end
      end
      if share - mine < take then take = share - mine end
    end
    if delay > 0 and take > 1 then take = 1 end
    if take > L.n - got then take = L.n - got end
    if take > 0 then
      -- requests queued before their template was cut are dropped, never fetched: they are
      -- skipped (up to CUT_SCAN of them per host and call) to reach the ones still wanted
      local taken, scanned = 0, 0
      while taken < take and scanned < CUT_SCAN do
        local entries = redis.call('ZRANGE', q, 0, take - taken - 1, 'WITHSCORES')
        if #entries == 0 then break end
        for j = 1, #entries, 2 do
          local id, score = entries[j], entries[j + 1]
          scanned = scanned + 1
          redis.call('ZREM', q, id)
          local payload = redis.call('HGET', K_REQ, id)
          if payload and is_cut(host, redis.call('HGET', K_REQTPL, id)) then
            redis.call('HDEL', K_REQ, id)
            redis.call('HDEL', K_REQTPL, id)
            redis.call('HDEL', K_ATTEMPTS, id)
            result.cut = result.cut + 1
            payload = nil
          end
          if payload then
            local token = redis.call('INCR', K_TOKEN)
            local deadline = now + L.lease_ms
            redis.call('ZADD', K_LEASES, deadline, id)
            redis.call('HSET', K_INFO, id, token .. '|' .. L.worker .. '|' .. host .. '|' .. score)
            redis.call('ZADD', act, deadline, id)
            got = got + 1
            taken = taken + 1
            result.leased[got] = {id, tostring(token), host, payload}
          end
        end
      end
      redis.call('HSET', K_NEXT, host, now + delay)
      if redis.call('ZCARD', q) == 0 then
        redis.call('ZREM', K_HOSTS, host)
      else
        redis.call('ZADD', K_HOSTS, now + delay, host)
      end
    elseif redis.call('ZCARD', q) > 0 then
      -- full (or this worker's share of it is): step it back, so that hosts behind the
      -- first `scan` due ones get their turn; a release makes it due again at once
      redis.call('ZADD', K_HOSTS, now + (L.full_backoff_ms or 0), host)
    else
      redis.call('ZREM', K_HOSTS, host)
    end
  end
end

-- 5. counters and heartbeat ---------------------------------------------------------------
if ops.stats then
  local minute_key = prefix .. ':minute:' .. math.floor(now / 60000)
  for field, inc in pairs(ops.stats) do
    redis.call('HINCRBY', prefix .. ':totals', field, inc)
    redis.call('HINCRBY', minute_key, field, inc)
  end
  redis.call('EXPIRE', minute_key, 7200)
end
if ops.heartbeat then
  local hb = ops.heartbeat
  redis.call('ZADD', prefix .. ':workers', now, hb.worker)
  -- workers gone for a while (a machine that went away) are forgotten
  if hb.forget_ms then
    redis.call('ZREMRANGEBYSCORE', prefix .. ':workers', '-inf', now - hb.forget_ms)
  end
  local flat = {}
  for field, value in pairs(hb.fields) do
    flat[#flat + 1] = field
    flat[#flat + 1] = tostring(value)
  end
  if #flat > 0 then redis.call('HSET', prefix .. ':worker:' .. hb.worker, unpack(flat)) end
  redis.call('EXPIRE', prefix .. ':worker:' .. hb.worker, hb.ttl_s)
end

-- 6. what the worker needs to decide what to do next ---------------------------------------
local leased_total = redis.call('ZCARD', K_LEASES)
result.leased_total = leased_total
result.queued_total = redis.call('HLEN', K_REQ) - leased_total
local first = redis.call('ZRANGE', K_HOSTS, 0, 0, 'WITHSCORES')
if #first > 0 then result.next_due = tonumber(first[2]) else result.next_due = -1 end
local lease_first = redis.call('ZRANGE', K_LEASES, 0, 0, 'WITHSCORES')
if #lease_first > 0 then result.next_expiry = tonumber(lease_first[2]) else result.next_expiry = -1 end
result.now = now
local answer = cjson.encode(result)
-- two minutes: far longer than any retry of a call takes
if K_DONE then redis.call('SET', K_DONE, answer, 'PX', 120000) end
return answer
