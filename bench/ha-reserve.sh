#!/usr/bin/env bash
# The price of synchronous replication: reserve throughput on one hot product through HAProxy onto the Patroni pair
# (ha/cluster.sh: synchronous_mode, the standby must have each commit's WAL before it is answered), beside the same
# build on a single local PostgreSQL (durable: fsync, synchronous_commit on), in one run, at each concurrency.
# Each side starts from the same state (its own fresh database, the same shoppers and past, one hot product) and is
# warmed up first; each measurement is followed by a check of the books and its holds are given back.
# Usage: bench/ha-reserve.sh [seconds] [concurrency...]   (default: 15 s; 32 128). HA_PORT (default 15700) places
# the cluster's ports; its data goes to bench/out/ha.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-15}
shift || true
if [ $# -gt 0 ]; then CONCURRENCY=("$@"); else CONCURRENCY=(32 128); fi
SHOPPERS=${SHOPPERS:-100000}
WARMUP=${WARMUP:-10}
export HA_PORT=${HA_PORT:-15700} HA_DATA=$OUT/ha
ulimit -n "$(ulimit -Hn)"

ensure_tools wrk psql curl
build
stop_cluster() { "$ROOT/ha/cluster.sh" stop >/dev/null 2>&1 || true; }
trap 'stop_all; stop_cluster' EXIT INT TERM

start_postgres
LOCAL_PORT=$PG_PORT
rm -rf "$HA_DATA"
"$ROOT/ha/cluster.sh" start >"$OUT/ha-start.log"

# side name app-port database-port: one inventory-service on that database, with the shoppers, past and hot product.
prepare_side() {
  local name=$1 port=$2
  PG_PORT=$3
  start_app inventory-service "$port" "ha-bench-$name" FLASHSALE_HOLD_TTL=1h \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$3/flashsale" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$3/flashsale"
  API=http://localhost:$port
  bench_shoppers "$SHOPPERS"
  seed_history "$SHOPPERS" >/dev/null
  create_product HOT 1000000 >"$OUT/ha-bench-$name-hot.txt"
  cp "$OUT/ha-bench-$name-hot.txt" "$OUT/products.txt"
  BENCH_OUT=$OUT wrk -t2 -c128 -d"${WARMUP}s" -s "$ROOT/bench/reserve.lua" "$API" >/dev/null 2>&1
  reset_holds
}

prepare_side local 18180 "$LOCAL_PORT"
prepare_side ha 18280 "$HA_PORT"

RESULTS=$OUT/ha-reserve.txt
printf '%-6s %-5s %-28s %8s %9s %9s %7s %s\n' case conc database "req/s" p50 p99 errors books | tee "$RESULTS"
for c in "${CONCURRENCY[@]}"; do
  for side in local ha; do
    if [ "$side" = local ]; then PG_PORT=$LOCAL_PORT; API=http://localhost:18180; db="single local PostgreSQL"
    else PG_PORT=$HA_PORT; API=http://localhost:18280; db="sync pair through HAProxy"; fi
    cp "$OUT/ha-bench-$side-hot.txt" "$OUT/products.txt"
    out=$(BENCH_OUT=$OUT wrk -t2 -c"$c" -d"${DURATION}s" --timeout 10s --latency -s "$ROOT/bench/reserve.lua" "$API" 2>&1)
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    printf '%-6s %-5s %-28s %8.0f %9s %9s %7s %s\n' hot "$c" "$db" "$rps" "$p50" "$p99" "${errors:-0}" "$(books)" \
      | tee -a "$RESULTS"
    reset_holds
  done
done
PG_PORT=$HA_PORT
echo "HA: $("$ROOT/ha/cluster.sh" status | tr '\n' ';') synchronous_standby_names=$(psql_q 'SHOW synchronous_standby_names')"
PG_PORT=$LOCAL_PORT
machine_load
