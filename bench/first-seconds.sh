#!/usr/bin/env bash
# The hot row's first seconds (issue 33): is the service as fast in the first seconds after the holds were reset as
# later on? One fresh database, one batched inventory-service, one hot product (one stock row). Per scenario: a reset
# (reset_holds: the ACTIVE holds deleted, their units given back, holds and stock_stripes vacuumed and analyzed), then
# RUNS consecutive runs of wrk at CONNECTIONS on the hot row, with no reset between them (the first is the drop's
# first seconds, the later ones its steady state). Per run: reserves/s, p99, PostgreSQL's and the service's CPU per
# reserve (cpu_sample), and how PostgreSQL read holds meanwhile: sequential scans (rows read) and scans per index of
# holds (entries read), from pg_stat_user_tables / pg_stat_user_indexes. Then "first / steady": the first run's rate
# over the mean of the later ones.
# Scenarios (SCENARIOS, in this order by default):
#   empty-noworker    holds has no past: after the reset PostgreSQL knows it is empty; no expiry-worker
#   empty-worker      the same with an expiry-worker running (expiring, auditing, vacuuming stock_stripes)
#   history-noworker  a shop's past first (seed_history: one COMPLETED hold per shopper); no expiry-worker
#   history-worker    the same with an expiry-worker
# The history is seeded before the first history-* scenario, so the empty-* ones must come first.
# Usage: bench/first-seconds.sh [seconds per run] [runs]   (default 12 s, 3 runs; CONNECTIONS=128, WARMUP=60 s: on a busy
# 2-core machine 20 s left the JVM compiling into the first scenario, doubling its CPU per reserve,
# SHOPPERS=300000: so that consecutive runs mostly create holds rather than merge into them).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-12}
RUNS=${2:-3}
CONNECTIONS=${CONNECTIONS:-128}
SHOPPERS=${SHOPPERS:-300000}
read -r -a SCENARIOS <<<"${SCENARIOS:-empty-noworker empty-worker history-noworker history-worker}"
ulimit -n "$(ulimit -Hn)"

ensure_tools wrk psql curl
build
start_postgres
start_app inventory-service 18080 inventory FLASHSALE_HOLD_TTL=1h
APP_PID=${PIDS[-1]}
API=http://localhost:18080
bench_shoppers "$SHOPPERS"
create_product HOT 1000000 >"$OUT/products.txt"

WORKER_PID=
worker() { # on|off: the expiry-worker as the system runs it (stripe vacuum every 1 s)
  if [ "$1" = on ] && [ -z "$WORKER_PID" ]; then
    start_app expiry-worker 18081 worker FLASHSALE_STRIPE_VACUUM_INTERVAL=1s
    WORKER_PID=${PIDS[-1]}
  elif [ "$1" = off ] && [ -n "$WORKER_PID" ]; then
    kill "$WORKER_PID"
    while kill -0 "$WORKER_PID" 2>/dev/null; do sleep 0.2; done
    WORKER_PID=
  fi
}

# How PostgreSQL read holds: cumulative counters, differences over a run.
holds_reads() {
  psql_q "SELECT 'seq ' || seq_scan || ' ' || seq_tup_read
            || (SELECT string_agg(' ' || indexrelname || ' ' || idx_scan || ' ' || idx_tup_read, '' ORDER BY indexrelname)
                FROM pg_stat_user_indexes WHERE relname = 'holds')
          FROM pg_stat_user_tables WHERE relname = 'holds'" | tr -d '\n'
}
reads_report() { # "<before>" "<after>": scans (rows or entries read) of holds that grew over the run
  awk -v b="$1" -v a="$2" 'BEGIN { n = split(b, x, " "); split(a, y, " "); out = "";
    for (i = 1; i <= n; i += 3) { s = y[i + 1] - x[i + 1]; r = y[i + 2] - x[i + 2];
      if (s > 0) out = out sprintf("%s%s %d (%d read)", out == "" ? "" : ", ", x[i] == "seq" ? "seq scans" : x[i], s, r) }
    print (out == "" ? "none" : out) }'
}

# Warm-up: the JVM compiles the reserve path (batch statement included); its holds are given back by the first reset.
BENCH_OUT=$OUT wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-60}s" -s "$ROOT/bench/reserve.lua" "$API" >/dev/null 2>&1

RESULTS="$OUT/first-seconds.txt"
echo "hot row, $CONNECTIONS connections, $RUNS runs of ${DURATION} s after each reset; shoppers $SHOPPERS;" \
  "PostgreSQL $(psql_q 'SHOW server_version') (jit available: $(psql_q 'SELECT pg_jit_available()'))" | tee "$RESULTS"
machine_load | tee -a "$RESULTS"
history=false
for scenario in "${SCENARIOS[@]}"; do
  case $scenario in
    empty-*) [ "$history" = false ] || { echo "$scenario: the history is already seeded; put empty-* first" >&2; exit 1; } ;;
    history-*) [ "$history" = true ] || { seed_history "$SHOPPERS" >/dev/null; history=true; } ;;
    *) echo "unknown scenario $scenario" >&2; exit 1 ;;
  esac
  case $scenario in
    *-noworker) worker off ;;
    *) if [ -z "$WORKER_PID" ]; then # a worker just started competes for the cores: let it settle, untimed
         worker on
         BENCH_OUT=$OUT wrk -t2 -c"$CONNECTIONS" -d"$(( ${WARMUP:-60} / 6 ))s" -s "$ROOT/bench/reserve.lua" "$API" >/dev/null 2>&1
       fi ;;
  esac
  reset_holds
  echo "$scenario: holds after the reset: $(psql_q "SELECT relpages || ' pages, ' || reltuples || ' rows (planner)' FROM pg_class WHERE relname = 'holds'")" | tee -a "$RESULTS"
  rates=()
  for run in $(seq 1 "$RUNS"); do
    reads=$(holds_reads)
    before=$(cpu_sample "$APP_PID")
    out=$(BENCH_OUT=$OUT wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$ROOT/bench/reserve.lua" "$API" 2>&1)
    after=$(cpu_sample "$APP_PID")
    rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p')
    requests=$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
    errors=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\)/\1/p')
    sleep 1 # backends report their counters when idle, at most once a second
    rates+=("$rps")
    printf '  run %d: %6.0f reserves/s, p99 %s, errors %s; %s\n      holds read: %s\n' "$run" "$rps" \
      "$(echo "$out" | awk '/ 99%/ {print $2}')" "${errors:-0}" "$(cpu_report "$before" "$after" "$requests")" \
      "$(reads_report "$reads" "$(holds_reads)")" | tee -a "$RESULTS"
  done
  echo "  $scenario: first / steady (mean of runs 2..$RUNS) = $(printf '%s\n' "${rates[@]}" | awk 'NR == 1 {f = $1; next} {s += $1; n++} END {printf "%.2f", n ? f / (s / n) : 0}');" \
    "books $(books)" | tee -a "$RESULTS"
done
machine_load | tee -a "$RESULTS"
