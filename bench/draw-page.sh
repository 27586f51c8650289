#!/usr/bin/env bash
# The published draw's page against a product read: `GET /api/products/{id}/queue/draw?limit=1000` of a draw of
# 20,000 entrants and `GET /api/products/{id}` of the same product, each over HTTP with wrk after an untimed warm-up.
# Usage:
#   bench/draw-page.sh [seconds] [connections] [entrants]
# WARMUP=seconds (default 10). BENCH_BUILD=false measures the jars already in */target (an A/B of two versions: build
# the other version, run again, compare).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-20}
CONNECTIONS=${2:-32}
ENTRANTS=${3:-20000}

ensure_tools wrk psql curl
build
start_postgres
start_app inventory-service 18080 inventory
SERVICE_PID=${PIDS[-1]}
API=http://localhost:18080

sale=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
product=$(curl -sf -XPOST "$API/api/admin/products" -H "Authorization: Bearer $FLASHSALE_ADMIN_KEY" \
  -H 'Content-Type: application/json' \
  -d "{\"sku\":\"DRAW-$RANDOM\",\"name\":\"Bench draw\",\"priceCents\":100,\"totalStock\":100,\"queue\":true,\"saleStartsAt\":\"$sale\"}" \
  | json_field id)
# The entrants join before the sale (as the API's join would, in one statement), then the sale starts and the
# keeper (keep_queues, as the expiry-worker runs it) draws.
psql_q "WITH s AS (INSERT INTO shoppers (id) SELECT gen_random_uuid() FROM generate_series(1, $ENTRANTS) RETURNING id)
        INSERT INTO queue_entries (product_id, shopper_id, joined_at) SELECT '$product', id, now() - interval '1 minute' FROM s" >/dev/null
psql_q "UPDATE products SET sale_starts_at = now() WHERE id = '$product'" >/dev/null
psql_q "SELECT count(*) FROM keep_queues(1.0, 100)" >/dev/null
psql_q "VACUUM ANALYZE" >/dev/null
DRAW="$API/api/products/$product/queue/draw?limit=1000"
echo "draw of $(curl -sf "$DRAW" | grep -o '"drawEntrants":[0-9]*' | cut -d: -f2) entrants;" \
  "a page of 1,000: $(curl -sf "$DRAW" | wc -c) bytes; headers: $(curl -sf -D - -o /dev/null "$DRAW" | grep -i -E '^(etag|cache-control)' | tr -d '\r' | tr '\n' ' ')"

measure() { # slug name url
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-10}s" "$3" >/dev/null 2>&1
  local before out rps p50 p99 errors cpu
  before=$(cpu_sample "$SERVICE_PID")
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$3" 2>&1)
  echo "$out" >"$OUT/draw-page-$1-wrk.txt"
  rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p')
  p50=$(echo "$out" | awk '/ 50%/ {print $2}')
  p99=$(echo "$out" | awk '/ 99%/ {print $2}')
  errors=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\)/\1/p')
  cpu=$(cpu_report "$before" "$(cpu_sample "$SERVICE_PID")" "$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')")
  echo "$2, wrk -c$CONNECTIONS -d${DURATION}s: $rps req/s, p50 $p50, p99 $p99, errors ${errors:-0}; $cpu" \
    | tee -a "$OUT/draw-page.txt"
}

rm -f "$OUT/draw-page.txt"
machine_load
measure product "GET /api/products/{id}" "$API/api/products/$product"
measure draw "GET …/queue/draw?limit=1000" "$DRAW"
machine_load
