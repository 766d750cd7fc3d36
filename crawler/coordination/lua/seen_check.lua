-- newscrawl seen-filter only (seen.lua is prepended): check-and-add without queueing.
-- Called as EVALSHA seen_check 0 <prefix> <now_ms> <{"seen", "entries", "add"}>; returns a
-- JSON list of booleans, true where the entry was new. With "add": false nothing is marked.

local prefix = ARGV[1]
local now = tonumber(ARGV[2])
if now == 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local ops = cjson.decode(ARGV[3])
local fresh = {}
for i, p in ipairs(ops.entries) do
  fresh[i] = seen_check_and_add(prefix, now, ops.seen, p, ops.add)
end
seen_maintain(prefix, now, ops.seen)
return cjson.encode(fresh)
