#!/usr/bin/env bash
# Where a reserve's CPU goes in the service: one instance (group commit on; BATCHING=false for off) under wrk on one
# hot product, recorded by JFR (settings=profile) after a warm-up, then the CPU samples summed by layer of the
# request path (bench/jfr-layers.py: HTTP and Netty, JSON, validation, security, the REST layer, Mutiny, the PG client,
# metrics, our code, ...) and the hottest frames, beside the run's CPU per reserve (app and PostgreSQL).
# Usage: bench/profile-reserve.sh [seconds] [connections]   (default 20 s, 128; WARMUP=seconds, default 20)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-20}
CONNECTIONS=${2:-128}
ulimit -n "$(ulimit -Hn)"

ensure_tools wrk psql curl
build
start_postgres
start_app inventory-service 18080 inventory FLASHSALE_HOLD_TTL=1h FLASHSALE_RESERVE_BATCHING="${BATCHING:-true}"
APP_PID=${PIDS[-1]}
start_app expiry-worker 18081 worker
API=http://localhost:18080
bench_shoppers 200000
seed_history 200000 >/dev/null
create_product HOT 1000000 >"$OUT/products.txt"

BENCH_OUT=$OUT wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-20}s" -s "$ROOT/bench/reserve.lua" "$API" >/dev/null 2>&1
reset_holds
rm -f "$OUT/reserve.jfr"
jcmd "$APP_PID" JFR.start name=reserve settings=profile filename="$OUT/reserve.jfr" >/dev/null
before=$(cpu_sample "$APP_PID")
out=$(BENCH_OUT=$OUT wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$ROOT/bench/reserve.lua" "$API" 2>&1)
after=$(cpu_sample "$APP_PID")
jcmd "$APP_PID" JFR.stop name=reserve >/dev/null
requests=$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
echo "batching ${BATCHING:-true}, $CONNECTIONS connections, ${DURATION} s: $(echo "$out" | sed -n 's/^Requests\/sec: *//p') req/s," \
  "p99 $(echo "$out" | awk '/ 99%/ {print $2}'), errors $(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: //p' | grep . || echo 0)," \
  "books $(books)"
echo "$(cpu_report "$before" "$after" "$requests")"
jfr print --stack-depth 200 --events jdk.ExecutionSample "$OUT/reserve.jfr" | python3 "$ROOT/bench/jfr-layers.py"
echo "recording: $OUT/reserve.jfr"
