-- wrk script: POST /api/reservations as many distinct shoppers on the given products.
-- Reads bench/out/tokens.txt (one bearer token per line) and bench/out/products.txt (one product id per line).
local tokens, products = {}, {}
local counter = 0
-- BENCH_IDEMPOTENCY=true: every request carries a fresh Idempotency-Key (the keyed, transactional path).
local keyed = os.getenv("BENCH_IDEMPOTENCY") == "true"
local run

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
