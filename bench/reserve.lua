-- wrk script: POST /api/reservations as many distinct shoppers on the given products.
-- Reads bench/out/tokens.txt (one bearer token per line) and bench/out/products.txt (one product id per line).
local tokens, products = {}, {}
local counter = 0
-- BENCH_IDEMPOTENCY=true: every request carries a fresh Idempotency-Key (the keyed, transactional path).
local keyed = os.getenv("BENCH_IDEMPOTENCY") == "true"
local run
-- BENCH_RATE=n: at most n requests a second from each wrk thread (bench/live-fanout.sh runs one), so a run measures
-- the service at a set load rather than at its limit. Each request waits for its slot; a missed slot is not made up.
local rate = tonumber(os.getenv("BENCH_RATE") or "0")

local function lines(path, into)
  for line in io.lines(path) do
    if #line > 0 then into[#into + 1] = line end
  end
end

function init(args)
  local out = os.getenv("BENCH_OUT")
  lines(out .. "/tokens.txt", tokens)
  lines(out .. "/products.txt", products)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
  counter = math.random(#tokens)
  run = os.time() .. "-" .. math.random(1000000000) -- per thread, so two threads never send one key
end

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local product = products[math.random(#products)]
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  if keyed then headers["Idempotency-Key"] = "bench-" .. run .. "-" .. counter end
  return wrk.format("POST", "/api/reservations", headers,
    '{"productId":"' .. product .. '","quantity":1}')
end

if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_usec; } bench_timeval;
    int gettimeofday(bench_timeval *tv, void *tz);
  ]]
  local clock = ffi.new("bench_timeval")
  local interval, slot = 1000 / rate, 0
  local function now()
    ffi.C.gettimeofday(clock, nil)
    return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_usec) / 1000
  end

  function delay()
    local t = now()
    slot = math.max(slot, t)
    local wait = slot - t
    slot = slot + interval
    return math.floor(wait)
  end
end
