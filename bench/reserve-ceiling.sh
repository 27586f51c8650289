#!/usr/bin/env bash
# Reserve throughput: the database's own ceiling (pgbench running the service's one-reserve statement, sql/reserve.sql,
# prepared, at PGBENCH_CLIENTS, default 1 2 4 8 32: its best is the bar) beside the service over HTTP (wrk) with the
# group commit off and on (two instances of the same build, FLASHSALE_RESERVE_BATCHING=false / true), on one hot
# product (one stock row), on the same hot product striped over STRIPES rows (default 8), on 100 products, and sold
# out, in one run. Every measurement starts from the same state (holds deleted, stock given back, holds and
# stock_stripes vacuumed) and is followed by a check of the books.
# Usage: bench/reserve-ceiling.sh [seconds] [concurrency...]   (default: 20 s; 32 128 512 2000)
# MODES="unbatched batched" (default) picks the service's sides; `keyed` is the batched instance with a fresh
# Idempotency-Key on every request (claimed and answered inside the batch statement since issue 28).
# POOL=n sets the service's reactive pool size (QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE; the service's default is 8).
# CASES="hot striped many soldout" picks the cases. STRIPE_VACUUM=off turns the worker's stock_stripes vacuum off (default 1s). WARMUP=seconds (default 20) of untimed load first, so the JVM's JIT has
# compiled the hot path before anything is measured (pgbench needs no warm-up; a cold JVM would be measured unfairly).
# PG_STATS=true adds, after each service run, what the database did meanwhile: checkpoints, autovacuum/autoanalyze
# of holds, rows read per index and by sequential scans.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-20}
shift || true
if [ $# -gt 0 ]; then CONCURRENCY=("$@"); else CONCURRENCY=(32 128 512 2000); fi
read -r -a PGBENCH_CLIENTS <<<"${PGBENCH_CLIENTS:-1 2 4 8 32}"
# wrk holds one socket per connection, and so does the service: a flash-sale crowd needs more than the default 1,024.
ulimit -n "$(ulimit -Hn)"
# Enough shoppers that holds seldom merge: wrk walks them in order from a random start, pgbench draws at random
# (a merge updates the shopper's hold instead of inserting one, a longer time holding the stock row; the merges
# column counts them).
SHOPPERS=${SHOPPERS:-200000}
STRIPES=${STRIPES:-8}
read -r -a CASES <<<"${CASES:-hot striped many soldout}"

ensure_tools wrk psql pgbench curl
build
start_postgres
start_app inventory-service 18080 inventory FLASHSALE_HOLD_TTL=1h ${POOL:+QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=$POOL} \
  ${MAX_BATCH:+FLASHSALE_RESERVE_MAX_BATCH=$MAX_BATCH}
BATCHED_PID=${PIDS[-1]}
start_app inventory-service 18082 inventory-unbatched FLASHSALE_HOLD_TTL=1h FLASHSALE_RESERVE_BATCHING=false \
  ${POOL:+QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=$POOL}
UNBATCHED_PID=${PIDS[-1]}
# The system's upkeep runs through both halves of every case: the expiry-worker vacuums stock_stripes every
# flashsale.stripe-vacuum.interval (STRIPE_VACUUM=off measures without it). Nothing falls due (hold TTL 1 h).
start_app expiry-worker 18081 worker FLASHSALE_STRIPE_VACUUM_INTERVAL=${STRIPE_VACUUM:-1s}
API=http://localhost:18080

bench_shoppers "$SHOPPERS"

seed_history "$SHOPPERS" >/dev/null
create_product HOT 1000000 >"$OUT/hot.txt"
create_product STRIPED 1000000 "$STRIPES" >"$OUT/striped.txt"
# Sold out: the same striped product after the last unit went. Every reserve is refused (409 OUT_OF_STOCK, counted
# under errors): the fast path finds no stripe, then reserve_checked says why, as the service runs them.
create_product SOLDOUT 0 "$STRIPES" >"$OUT/soldout.txt"
: >"$OUT/many.txt"
for i in $(seq 1 100); do create_product "MANY-$i" 100000 >>"$OUT/many.txt"; done

# pgbench: the very statement, with $n turned into pgbench variables (prepared, like the service's pool).
sed -e '/^[[:space:]]*--/d' -e 's/\$1/:product/g; s/\$2/:shopper/g; s/\$3/1/g; s/\$4/3600000/g; s/\$5/10800000/g' \
  "$ROOT/inventory-service/src/main/resources/sql/reserve.sql" >"$OUT/reserve-body.sql"
pgbench_script() { # products-file -> pgbench script
  local n; n=$(wc -l <"$1")
  {
    echo "\\set s random(1, $SHOPPERS)"
    echo "\\set p random(1, $n)"
    echo "SELECT md5(:s::text)::uuid AS shopper, (SELECT id FROM bench_products WHERE n = :p AND k = '$(basename "$1" .txt)') AS product \\gset"
    tr '\n' ' ' <"$OUT/reserve-body.sql"
    echo ";"
    [ "$(basename "$1")" != soldout.txt ] || echo "SELECT * FROM reserve_checked(:product, :shopper, 1, 3600000, 10800000, 10);"
  }
}
psql_q "CREATE TABLE IF NOT EXISTS bench_products (k text, n int, id uuid)" >/dev/null
for k in hot striped many soldout; do
  i=0
  while read -r id; do i=$((i + 1)); psql_q "INSERT INTO bench_products VALUES ('$k', $i, '$id')" >/dev/null; done <"$OUT/$k.txt"
done

# Warm-up of both instances: untimed requests on the 100 products and on the hot one (so that both the lone and the
# batch statement are compiled), then the holds they made are given back.
for api in "$API" http://localhost:18082; do
  for k in many hot; do
    cp "$OUT/$k.txt" "$OUT/products.txt"
    BENCH_OUT=$OUT wrk -t2 -c128 -d"$(( ${WARMUP:-20} / 2 ))s" -s "$ROOT/bench/reserve.lua" "$api" >/dev/null 2>&1
  done
done
reset_holds

# The group commit's own figures, from the batched instance's Prometheus histograms on its management interface
# (:19080, start_app), differences over one run:
# `batch_sample` before, `batch_report "<before>"` after prints batch size p50/p99 and queue wait p99 (bucket bounds).
batch_sample() {
  curl -sf "http://localhost:19080/q/metrics" | grep -E '^flashsale_reserve_(batch_size|queue_wait_seconds)_bucket|^flashsale_reserve_batch_refused_total' | tr '\n' ' '
}
batch_report() {
  awk -v b="$1" -v a="$2" 'BEGIN {
    n = split(b, x, " "); for (i = 1; i < n; i += 2) before[x[i]] = x[i + 1];
    n = split(a, y, " "); for (i = 1; i < n; i += 2) after[y[i]] = y[i + 1];
    for (k in after) { if (k ~ /refused/) continue; v = after[k] - before[k]; match(k, /le="[^"]*"/); le = substr(k, RSTART + 4, RLENGTH - 5);
      if (k ~ /batch_size/) { size[le] = v } else { wait[le] = v } }
    for (k in after) if (k ~ /refused/) refused = after[k] - before[k];
    printf "batch p50 %s p99 %s, queue wait p99 %s, batches refused %d", q(size, 0.5, ""), q(size, 0.99, ""), q(wait, 0.99, "s"), refused }
  function q(h, p, unit,   les, n, i, j, v, total) { # the smallest bucket bound that holds the p-th of the run
    n = 0; for (le in h) if (le != "+Inf") { v = le + 0; for (i = n; i > 0 && les[i] + 0 > v; i--) les[i + 1] = les[i];
      les[i + 1] = le; n++ }
    total = h["+Inf"]; if (total == 0) return "-";
    for (i = 1; i <= n; i++) if (h[les[i]] >= p * total) return "<=" (unit == "s" ? les[i] * 1000 "ms" : les[i] + 0);
    return ">" les[n] }'
}

# What the database did during one service run (PG_STATS=true): `pg_sample` before, `pg_report "<before>"` after
# prints the checkpoints that started, autovacuum/autoanalyze runs on holds, and rows read per index and by
# sequential scans of holds — what tells one plan or table state from another.
checkpoints() { # started so far (PostgreSQL 17 moved them to pg_stat_checkpointer)
  if [ "$(psql_q "SHOW server_version_num")" -ge 170000 ]; then
    psql_q "SELECT num_timed + num_requested FROM pg_stat_checkpointer"
  else
    psql_q "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter"
  fi
}
pg_sample() {
  psql_q "SELECT pg_stat_reset()" >/dev/null
  checkpoints
}
pg_report() {
  sleep 1 # backends report their counters when idle, at most once a second
  psql_q "SELECT 'checkpoints ' || $(checkpoints) - $1
            || ', holds: autovacuum ' || autovacuum_count || ' autoanalyze ' || autoanalyze_count
            || ', seq scans ' || seq_scan || ' (' || seq_tup_read || ' rows)'
            || (SELECT string_agg(', ' || indexrelname || ' ' || idx_scan || ' (' || idx_tup_read || ' rows)', ''
                                  ORDER BY indexrelname)
                FROM pg_stat_user_indexes i WHERE i.relname IN ('holds', 'stock_stripes') AND idx_scan > 0)
            || (SELECT ', idempotency_records: seq scans ' || seq_scan || ' (' || seq_tup_read || ' rows), index scans '
                       || coalesce(idx_scan, 0)
                FROM pg_stat_user_tables WHERE relname = 'idempotency_records')
          FROM pg_stat_user_tables WHERE relname = 'holds'"
}

RESULTS="$OUT/reserve-ceiling.txt"
merges() { psql_q "SELECT coalesce(sum(quantity) - count(*), 0) FROM holds WHERE status = 'ACTIVE'"; } # every request asks for 1 unit
row() { printf '%-8s %-5s %-10s %10s %9s %9s %9s %8s %7s %s\n' "$@"; }
row case conc who "req/s" p50 p99 max errors merges books >"$RESULTS"
echo "service pool size: ${POOL:-8 (default)}; prepared statements cached: ${QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS:-true};" \
  "max batch: ${MAX_BATCH:-64 (default)}; striped case: $STRIPES stripes; stripe vacuum: ${STRIPE_VACUUM:-1s}" | tee -a "$RESULTS"
machine_load | tee -a "$RESULTS"
for k in "${CASES[@]}"; do
  pgbench_script "$OUT/$k.txt" >"$OUT/$k.pgbench"
  best_tps=0 best_c=0
  for c in "${PGBENCH_CLIENTS[@]}"; do
    reset_holds
    before=$(cpu_sample)
    out=$(pgbench -n -M prepared -h localhost -p "$PG_PORT" -U postgres -c "$c" -j "$(( c < 2 ? 1 : 2 ))" -T "$DURATION" \
      -f "$OUT/$k.pgbench" flashsale 2>&1)
    tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
    lat=$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
    failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
    cpu=$(cpu_report "$before" "$(cpu_sample)" "$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')")
    row "$k" "$c" pgbench "$(printf '%.0f' "$tps")" "avg ${lat}ms" - - "${failed:-0}" "$(merges)" "$(books)" | tee -a "$RESULTS"
    echo "    pgbench $cpu" | tee -a "$RESULTS"
    if awk -v a="$tps" -v b="$best_tps" 'BEGIN {exit !(a > b)}'; then best_tps=$tps best_c=$c; fi
  done
  echo "$k: pgbench's best: $(printf '%.0f' "$best_tps") tx/s at $best_c clients" | tee -a "$RESULTS"
  for c in "${CONCURRENCY[@]}"; do
    for mode in ${MODES:-unbatched batched}; do
      if [ "$mode" = unbatched ]; then api=http://localhost:18082 pid=$UNBATCHED_PID; else api=$API pid=$BATCHED_PID; fi
      keyed=false; [ "$mode" = keyed ] && keyed=true
      reset_holds
      cp "$OUT/$k.txt" "$OUT/products.txt"
      batches=$(batch_sample)
      [ "${PG_STATS:-false}" = false ] || pg_before=$(pg_sample)
      before=$(cpu_sample "$pid")
      out=$(BENCH_OUT=$OUT BENCH_IDEMPOTENCY=$keyed wrk -t2 -c"$c" -d"${DURATION}s" --timeout 10s --latency -s "$ROOT/bench/reserve.lua" "$api" 2>&1)
      rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p')
      p50=$(echo "$out" | awk '/ 50%/ {print $2}')
      p99=$(echo "$out" | awk '/ 99%/ {print $2}')
      max=$(echo "$out" | awk '/Latency/ {print $4; exit}')
      errors=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\)/\1/p')
      socket=$(echo "$out" | sed -n 's/.*Socket errors: \(.*\)/\1/p')
      cpu=$(cpu_report "$before" "$(cpu_sample "$pid")" "$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')")
      row "$k" "$c" "$mode" "$(printf '%.0f' "$rps")" "$p50" "$p99" "$max" "${errors:-0}" "$(merges)" "$(books)" | tee -a "$RESULTS"
      echo "    $cpu (app: the service)${socket:+; socket errors: $socket}" | tee -a "$RESULTS"
      [ "$mode" = unbatched ] && unbatched_rps=$rps
      [ "$mode" = unbatched ] || echo "    $(batch_report "$batches" "$(batch_sample)")" | tee -a "$RESULTS"
      [ "${PG_STATS:-false}" = false ] || echo "    $(pg_report "$pg_before")" | tee -a "$RESULTS"
    done
    [ "${MODES:-unbatched batched}" = "unbatched batched" ] || continue
    echo "$k c=$c: batched/best pgbench = $(awk -v a="$rps" -v b="$best_tps" 'BEGIN {printf "%.2f", a / b}')," \
      "unbatched/best pgbench = $(awk -v a="$unbatched_rps" -v b="$best_tps" 'BEGIN {printf "%.2f", a / b}')," \
      "batched/unbatched = $(awk -v a="$rps" -v b="$unbatched_rps" 'BEGIN {printf "%.2f", a / b}')" | tee -a "$RESULTS"
  done
done
machine_load | tee -a "$RESULTS"
