#!/usr/bin/env bash
# Live fan-out: many /ws/stock watchers on one inventory-service instance under reserve load; delivery latency from
# the change (database time) to the watcher, and the server's memory.
# Usage: bench/live-fanout.sh [watchers] [seconds] [wrk-connections]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
WATCHERS=${1:-10000}
DURATION=${2:-30}
CONNECTIONS=${3:-4}

ensure_tools wrk psql curl
build
start_postgres
start_app inventory-service 18080 inventory
INVENTORY_PID=${PIDS[-1]}
start_app expiry-worker 18081 worker
API=http://localhost:18080

# Eight products on sale; the load goes to one of them, as in a drop (the hot product changes up to 10 times a
# second after coalescing; the other seven stay still).
for i in $(seq 2 8); do
  create_product "FAN-$i" 1000 >/dev/null
done
create_product "FAN-HOT" 1000000 >"$OUT/products.txt"
create_shoppers 1000 >"$OUT/tokens.txt"

rss() { echo "$(( $(ps -o rss= -p "$INVENTORY_PID") / 1024 )) MiB"; }
echo "== inventory-service RSS before watchers: $(rss)"
machine_load
# The watchers run on Vert.x (from inventory-service's own dependencies).
(cd "$ROOT/inventory-service" && ../mvnw -B -q dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$OUT/vertx.classpath" >/dev/null)
rm -f "$OUT/live-fanout.txt"
java -Xmx1g -cp "$(cat "$OUT/vertx.classpath")" "$ROOT/bench/LiveFanout.java" ws://localhost:18080/ws/stock "$WATCHERS" "$((DURATION + 5))" \
  >"$OUT/live-fanout.txt" 2>&1 &
FANOUT=$!
until grep -q READY "$OUT/live-fanout.txt" 2>/dev/null; do
  kill -0 $FANOUT 2>/dev/null || { cat "$OUT/live-fanout.txt"; exit 1; }
  sleep 0.5
done
grep connected "$OUT/live-fanout.txt"
echo "== inventory-service RSS with watchers connected: $(rss)"
echo "== reserve load on the hot product: wrk -c$CONNECTIONS -d${DURATION}s while $WATCHERS watchers listen (coalesce 100 ms)"
BENCH_OUT=$OUT wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d"${DURATION}s" -s "$ROOT/bench/reserve.lua" "$API" \
  | grep -E 'Requests/sec|Latency|requests in'
echo "== inventory-service RSS under load: $(rss)"
wait $FANOUT || true
grep -v -E 'READY|connected' "$OUT/live-fanout.txt"
machine_load
