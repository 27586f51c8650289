#!/usr/bin/env bash
# Expiry lag under reserve load: how long after its expires_at each hold is expired and its stock restored.
# Usage: bench/expiry-lag.sh [seconds-of-load] [wrk-connections]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-60}
CONNECTIONS=${2:-16}
TTL_SECONDS=5

ensure_tools wrk psql curl
build
start_postgres
start_app inventory-service 18080 inventory FLASHSALE_HOLD_TTL=${TTL_SECONDS}s
start_app expiry-worker 18081 worker
API=http://localhost:18080

# 8 products with ample stock; 2,000 shoppers (each shopper/product pair is one hold, merged while active).
: >"$OUT/products.txt"
for i in $(seq 1 8); do
  create_product "LAG-$i" 1000000 >>"$OUT/products.txt"
done
create_shoppers 2000 >"$OUT/tokens.txt"

echo "== reserve load: wrk -c$CONNECTIONS -d${DURATION}s, hold TTL ${TTL_SECONDS}s, worker poll 1s"
machine_load
BENCH_OUT=$OUT wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d"${DURATION}s" -s "$ROOT/bench/reserve.lua" "$API" | tee "$OUT/expiry-lag-wrk.txt"
sleep $((TTL_SECONDS + 3))

echo "== lag after expires_at (database clock: ended_at - expires_at), every hold expired in the run"
psql_q "SELECT 'holds expired: ' || count(*) ||
               ', p50 ' || round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY ended_at - expires_at))) ||
               ' ms, p99 ' || round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY ended_at - expires_at))) ||
               ' ms, max ' || round(1000 * extract(epoch FROM max(ended_at - expires_at))) || ' ms'
        FROM holds WHERE status = 'EXPIRED'" | tee "$OUT/expiry-lag.txt"
echo "== the same from the third second of expiries on (the first wave meets a cold worker: JIT, first statements)"
psql_q "SELECT 'holds expired: ' || count(*) ||
               ', p50 ' || round(1000 * extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY ended_at - expires_at))) ||
               ' ms, p99 ' || round(1000 * extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY ended_at - expires_at))) ||
               ' ms, max ' || round(1000 * extract(epoch FROM max(ended_at - expires_at))) || ' ms'
        FROM holds WHERE status = 'EXPIRED'
          AND ended_at >= (SELECT min(ended_at) FROM holds WHERE status = 'EXPIRED') + interval '2 seconds'" \
  | tee -a "$OUT/expiry-lag.txt"
echo "== expire batch duration (commit comes after ended_at): worker metrics"
curl -s localhost:18081/q/metrics | grep -E '^flashsale_expiry_(batch_duration_seconds_(count|sum|max)|holds_expired_total|units_restored_total)' \
  | tee -a "$OUT/expiry-lag.txt"
echo "== books: products whose total != available + active + completed (expect none)"
books | tee -a "$OUT/expiry-lag.txt"
machine_load
