-- newscrawl seen-filter: the functions of the frontier's sync script (sync.lua) that check
-- and add fingerprints, kept apart so that benchmarks/seen_filter.py can measure the very
-- code that runs in production. This file is prepended to sync.lua at load time.

-- Whether push entry p is new; marks it seen unless add is false (a pure lookup).
-- seen = {mode, keys, expire_s, prune}:
-- Bloom entries carry bit positions (p.bits) checked against every live generation
-- (newest first in seen.keys) and set in the newest; exact entries carry a fingerprint
-- (p.fp) for the sorted set p.set with a time to live p.ttl (0: for ever).
local function seen_check_and_add(prefix, now, seen, p, add)
  local fresh = true
  if p.bits and seen.mode == 'bloom' then
    -- seen if every bit is set in any live generation
    for _, key in ipairs(seen.keys) do
      local all = true
      for _, bit in ipairs(p.bits) do
        if redis.call('GETBIT', key, bit) == 0 then all = false break end
      end
      if all then fresh = false break end
    end
    if fresh and add ~= false then
      for _, bit in ipairs(p.bits) do redis.call('SETBIT', seen.keys[1], bit, 1) end
      redis.call('INCR', prefix .. ':seen:count')
    end
  elseif p.fp then
    -- exact fingerprints with a time to live: article URLs in "set" mode, and listing
    -- pages (sections, tags, pagination), which are refetched after their TTL
    local set_key = prefix .. ':seen:' .. p.set
    local added = redis.call('ZSCORE', set_key, p.fp)
    if added and (p.ttl == 0 or tonumber(added) > now - p.ttl) then
      fresh = false
    elseif add ~= false then
      redis.call('ZADD', set_key, now, p.fp)
      if not added and p.set == 'set' then redis.call('INCR', prefix .. ':seen:count') end
    end
  end
  return fresh
end

-- After a batch of checks: drop expired exact fingerprints, keep Bloom generations alive.
local function seen_maintain(prefix, now, seen)
  if seen.prune then
    for _, pr in ipairs(seen.prune) do
      redis.call('ZREMRANGEBYSCORE', prefix .. ':seen:' .. pr.set, '-inf', now - pr.ttl)
    end
  end
  if seen.mode == 'bloom' and seen.expire_s and seen.expire_s > 0 then
    redis.call('EXPIRE', seen.keys[1], seen.expire_s)
  end
end
