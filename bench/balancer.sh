#!/usr/bin/env bash
# Hot-product reserves through HAProxy (deploy/balancer.sh, deploy/haproxy.cfg): straight to one instance, through
# the balancer to that one instance, and through the balancer to three instances, in one run (wrk, bench/reserve.lua,
# 20,000 shoppers, one hot product), then a rolling restart of the three under load (bench/TimedReserves.java: 2xx,
# 409, 5xx, failures and p99 per 1 s bucket). bench/README.md, "Through the balancer".
# Usage: bench/balancer.sh [seconds] [concurrency...]   (default: 10 s; 32 128 512)
# ROLLING_SECONDS (default 60) and ROLLING_CONCURRENCY (default 128) size the rolling restart. Ports: 16091/16093
# (balancers), 16101-16103 (instances), 16111-16113 (their management interfaces), BENCH_PG_PORT (default 16499).
set -euo pipefail
export BENCH_PG_PORT=${BENCH_PG_PORT:-16499}
source "$(dirname "$0")/lib.sh"
DURATION=${1:-10}
shift || true
if [ $# -gt 0 ]; then CONCURRENCY=("$@"); else CONCURRENCY=(32 128 512); fi
ROLLING_SECONDS=${ROLLING_SECONDS:-60}
ROLLING_CONCURRENCY=${ROLLING_CONCURRENCY:-128}
SHOPPERS=20000
ONE=16091 THREE=16093
ulimit -n "$(ulimit -Hn)"
ensure_tools wrk psql curl haproxy
build

export BALANCER_RUN_DIR="$OUT/balancer" BALANCER_RESERVES_PER_ADDRESS=1000000000 \
  BALANCER_MAX_CONNECTIONS_PER_ADDRESS=100000
stop_everything() {
  "$ROOT/deploy/balancer.sh" stop "$ONE" || true
  "$ROOT/deploy/balancer.sh" stop "$THREE" || true
  stop_all
}
trap stop_everything EXIT INT TERM

start_postgres
declare -A INSTANCE_PID
start_instance() { # n (1-3)
  start_app inventory-service $((16100 + $1)) "balanced-$1" FLASHSALE_HOLD_TTL=1h QUARKUS_MANAGEMENT_PORT=$((16110 + $1))
  INSTANCE_PID[$1]=${PIDS[-1]}
}
for n in 1 2 3; do start_instance "$n"; done
API=http://localhost:16101
bench_shoppers "$SHOPPERS"
seed_history "$SHOPPERS" >/dev/null
create_product HOT 1000000 >"$OUT/products.txt"
"$ROOT/deploy/balancer.sh" start "$ONE" 127.0.0.1:16101@16111
"$ROOT/deploy/balancer.sh" start "$THREE" 127.0.0.1:16101@16111 127.0.0.1:16102@16112 127.0.0.1:16103@16113
until curl -sf "http://localhost:$THREE/api/products" >/dev/null; do sleep 0.2; done
sleep 3 # every instance in the balancer (2 checks a second apart)

# Warm-up, untimed: each instance's hot path compiled.
for port in 16101 16102 16103; do
  BENCH_OUT=$OUT wrk -t2 -c64 -d8s -s "$ROOT/bench/reserve.lua" "http://localhost:$port" >/dev/null 2>&1
done
reset_holds

RESULTS="$OUT/balancer.txt"
row() { printf '%-5s %-22s %9s %9s %9s %8s %s\n' "$@"; }
row conc path "req/s" p50 p99 errors books | tee "$RESULTS"
machine_load | tee -a "$RESULTS"
for c in "${CONCURRENCY[@]}"; do
  for path in "direct to one instance" "balancer, 1 instance" "balancer, 3 instances"; do
    case $path in
      direct*) url=http://localhost:16101 ;;
      *1\ instance) url=http://localhost:$ONE ;;
      *) url=http://localhost:$THREE ;;
    esac
    reset_holds
    out=$(BENCH_OUT=$OUT wrk -t2 -c"$c" -d"${DURATION}s" --timeout 10s --latency -s "$ROOT/bench/reserve.lua" "$url" 2>&1)
    rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errors=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p')
    sockets=$(echo "$out" | sed -n 's/.*Socket errors: \(.*\)/\1/p')
    row "$c" "$path" "$(printf '%.0f' "$rps")" "$p50" "$p99" "${errors:-0}${sockets:+ ($sockets)}" "$(books)" | tee -a "$RESULTS"
  done
done

# A rolling restart of the three under load: SIGTERM, wait for the exit, start again, ready, 3 s, the next.
reset_holds
echo "rolling restart: $ROLLING_CONCURRENCY connections through the balancer for ${ROLLING_SECONDS} s" | tee -a "$RESULTS"
java "$ROOT/bench/TimedReserves.java" "http://localhost:$THREE" "$OUT/tokens.txt" \
  "$(head -1 "$OUT/products.txt")" "$ROLLING_CONCURRENCY" "$ROLLING_SECONDS" >"$OUT/rolling.txt" 2>&1 &
load=$!
started=$SECONDS
sleep 5
for n in 1 2 3; do
  echo "  $((SECONDS - started)) s: SIGTERM instance $n" | tee -a "$RESULTS"
  kill -TERM "${INSTANCE_PID[$n]}"
  while kill -0 "${INSTANCE_PID[$n]}" 2>/dev/null; do sleep 0.1; done
  start_instance "$n"
  until curl -sf "http://localhost:$((16110 + n))/q/health/ready" >/dev/null; do sleep 0.2; done
  echo "  $((SECONDS - started)) s: instance $n ready again" | tee -a "$RESULTS"
  sleep 3
done
wait "$load"
tee -a "$RESULTS" <"$OUT/rolling.txt"
echo "books: $(books)" | tee -a "$RESULTS"
