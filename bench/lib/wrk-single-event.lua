-- wrk script: POST /v1/events/<routing key>, one JSON event per request, of the shape and size
-- LoadMain's payloads have ({"matchId":"bench-<16 hex digits>","map":...,"pad":"xxx..."}), each
-- with a match id of its own. Used by bench/run-all.sh for the single-event HTTP row: wrk, in C,
-- needs a fraction of the CPU per request of LoadMain's java.net.http client, which on shared cores
-- takes the CPU that gamewire and the broker would use (bench/README.md).
-- environment: GW_API_KEY (halo-demo-key), GW_ROUTING_KEY (halo.prod.stats.match_end), GW_SIZE (256)
local key = os.getenv("GW_API_KEY") or "halo-demo-key"
local routing = os.getenv("GW_ROUTING_KEY") or "halo.prod.stats.match_end"
local size = tonumber(os.getenv("GW_SIZE") or "256")
local head = '{"matchId":"bench-'
local middle = '","map":"Blood Gulch","durationSeconds":600,"pad":"'
local tail = '"}'
local fill = size - (#head + 16 + #middle + #tail)
if fill < 0 then
  error("GW_SIZE " .. size .. " is under the payload's minimum of " .. (size - fill) .. " bytes")
end
local pad = middle .. string.rep("x", fill) .. tail
local path = "/v1/events/" .. routing
local headers = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("index", threads)
end

function init(args)
  -- ids from a random start, a range of 2^32 per thread, so that threads and runs against one
  -- database do not share rows
  math.randomseed(os.time())
  counter = math.random(0, 2 ^ 15) * 2 ^ 36 + (index or 0) * 2 ^ 32
end

function request()
  counter = counter + 1
  return wrk.format("POST", path, headers, head .. string.format("%016x", counter) .. pad)
end
