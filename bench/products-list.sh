#!/usr/bin/env bash
# Catalogue read throughput: `GET /api/products` (the 8 demo products with their stock, the product_stock view) over
# HTTP with wrk, after an untimed warm-up so the JIT has compiled the path. Usage:
#   bench/products-list.sh [seconds] [connections]
# WARMUP=seconds (default 15). BENCH_BUILD=false measures the jars already in */target (an A/B of two versions).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-20}
CONNECTIONS=${2:-32}

ensure_tools wrk psql curl
build
start_postgres
# The demo catalogue, seeded at start into the fresh database (the prod profile has no demo reset).
start_app inventory-service 18080 inventory FLASHSALE_SEED_DEMO_DATA=true
SERVICE_PID=${PIDS[-1]}
API=http://localhost:18080

echo "products: $(curl -sf "$API/api/products" | grep -o '"sku"' | wc -l), $(curl -sf "$API/api/products" | wc -c) bytes per response"
psql_q "VACUUM ANALYZE" >/dev/null

wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-15}s" "$API/api/products" >/dev/null 2>&1
machine_load
before=$(cpu_sample "$SERVICE_PID")
out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$API/api/products" 2>&1)
echo "$out" >"$OUT/products-list-wrk.txt"
rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p')
p50=$(echo "$out" | awk '/ 50%/ {print $2}')
p99=$(echo "$out" | awk '/ 99%/ {print $2}')
max=$(echo "$out" | awk '/Latency/ {print $4; exit}')
errors=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\)/\1/p')
cpu=$(cpu_report "$before" "$(cpu_sample "$SERVICE_PID")" "$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')")
echo "GET /api/products, wrk -c$CONNECTIONS -d${DURATION}s: $rps req/s, p50 $p50, p99 $p99, max $max, errors ${errors:-0}" \
  | tee "$OUT/products-list.txt"
echo "$cpu (app: the service)" | tee -a "$OUT/products-list.txt"
machine_load
