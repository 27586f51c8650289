#!/usr/bin/env bash
# Reserve throughput: the database's own ceiling (pgbench running the service's reserve statement, sql/reserve.sql,
# prepared) beside the service over HTTP (wrk), on one hot product (one stock row), on the same hot product striped
# over STRIPES rows (default 8), and on 100 products, at the same concurrency, in one run, with a correctness check
# after each case. Usage: bench/reserve-ceiling.sh [seconds] [concurrency...]
# POOL=n sets the service's reactive pool size (QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE; the service's default is 8).
# CASES="hot striped many soldout" picks the cases. STRIPE_VACUUM=off turns the worker's stock_stripes vacuum off (default 1s). WARMUP=seconds (default 20) of untimed load first, so the JVM's JIT has
# compiled the hot path before anything is measured (pgbench needs no warm-up; a cold JVM would be measured unfairly).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-20}
shift || true
if [ $# -gt 0 ]; then CONCURRENCY=("$@"); else CONCURRENCY=(32 128); fi
# Enough shoppers that holds seldom merge: wrk walks them in order from a random start, pgbench draws at random
# (a merge updates the shopper's hold instead of inserting one, a longer time holding the stock row; the merges
# column counts them).
SHOPPERS=${SHOPPERS:-200000}
STRIPES=${STRIPES:-8}
read -r -a CASES <<<"${CASES:-hot striped many soldout}"

ensure_tools wrk psql pgbench curl
build
# pgbench opens one backend per client; leave room for the service's pool and psql beside the largest run.
max_concurrency=$(printf '%s\n' "${CONCURRENCY[@]}" | sort -n | tail -1)
BENCH_PG_MAX_CONNECTIONS=$((max_concurrency > 250 ? max_concurrency + 50 : 300)) start_postgres
start_app inventory-service 18080 inventory FLASHSALE_HOLD_TTL=1h ${POOL:+QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=$POOL}
SERVICE_PID=${PIDS[-1]}
# The system's upkeep runs through both halves of every case: the expiry-worker vacuums stock_stripes every
# flashsale.stripe-vacuum.interval (STRIPE_VACUUM=off measures without it). Nothing falls due (hold TTL 1 h).
start_app expiry-worker 18081 worker FLASHSALE_STRIPE_VACUUM_INTERVAL=${STRIPE_VACUUM:-1s}
API=http://localhost:18080

# Shoppers whose ids pgbench can compute (md5 of 1..N, as uuid), and their tokens for wrk; made by the service.
psql_q "INSERT INTO shoppers (id) SELECT md5(i::text)::uuid FROM generate_series(1, $SHOPPERS) i" >/dev/null
# Their tokens, signed as the service signs them (shopperId.issuedAt.HMAC-SHA256), rather than 200,000 API calls.
python3 - "$SHOPPERS" "$FLASHSALE_TOKEN_SECRET" >"$OUT/tokens.txt" <<'PY'
import base64, hashlib, hmac, sys, time, uuid
count, secret = int(sys.argv[1]), sys.argv[2].encode()
for i in range(1, count + 1):
    payload = f"{uuid.UUID(hashlib.md5(str(i).encode()).hexdigest())}.{int(time.time())}"
    signature = hmac.new(secret, payload.encode(), hashlib.sha256).digest()
    print(payload + "." + base64.urlsafe_b64encode(signature).decode().rstrip("="))
PY
curl -sf "$API/api/reservations" -H "Authorization: Bearer $(head -1 "$OUT/tokens.txt")" >/dev/null \
  || { echo "bench tokens are not accepted by the service" >&2; exit 1; }

create_product HOT 1000000 >"$OUT/hot.txt"
create_product STRIPED 1000000 "$STRIPES" >"$OUT/striped.txt"
# Sold out: the same striped product after the last unit went. Every reserve is refused (409 OUT_OF_STOCK, counted
# under errors): the fast path finds no stripe, then reserve_checked says why, as the service runs them.
create_product SOLDOUT 0 "$STRIPES" >"$OUT/soldout.txt"
: >"$OUT/many.txt"
for i in $(seq 1 100); do create_product "MANY-$i" 100000 >>"$OUT/many.txt"; done

# pgbench: the very statement, with $n turned into pgbench variables (prepared, like the service's pool).
sed -e '/^[[:space:]]*--/d' -e 's/\$1/:product/g; s/\$2/:shopper/g; s/\$3/1/g; s/\$4/3600000/g' \
  "$ROOT/inventory-service/src/main/resources/sql/reserve.sql" >"$OUT/reserve-body.sql"
pgbench_script() { # products-file -> pgbench script
  local n; n=$(wc -l <"$1")
  {
    echo "\\set s random(1, $SHOPPERS)"
    echo "\\set p random(1, $n)"
    echo "SELECT md5(:s::text)::uuid AS shopper, (SELECT id FROM bench_products WHERE n = :p AND k = '$(basename "$1" .txt)') AS product \\gset"
    tr '\n' ' ' <"$OUT/reserve-body.sql"
    echo ";"
    [ "$(basename "$1")" != soldout.txt ] || echo "SELECT * FROM reserve_checked(:product, :shopper, 1, 3600000);"
  }
}
psql_q "CREATE TABLE IF NOT EXISTS bench_products (k text, n int, id uuid)" >/dev/null
for k in hot striped many soldout; do
  i=0
  while read -r id; do i=$((i + 1)); psql_q "INSERT INTO bench_products VALUES ('$k', $i, '$id')" >/dev/null; done <"$OUT/$k.txt"
done

# Warm-up: untimed requests across the 100 products, then the holds they made are given back.
cp "$OUT/many.txt" "$OUT/products.txt"
BENCH_OUT=$OUT wrk -t2 -c32 -d"${WARMUP:-20}s" -s "$ROOT/bench/reserve.lua" "$API" >/dev/null 2>&1
reset_holds

RESULTS="$OUT/reserve-ceiling.txt"
merges() { psql_q "SELECT coalesce(sum(quantity) - count(*), 0) FROM holds"; } # every request asks for 1 unit
printf '%-8s %-5s %-9s %10s %9s %9s %9s %8s %7s %s\n' case conc who "req/s" p50 p99 max errors merges books >"$RESULTS"
echo "service pool size: ${POOL:-8 (default)}; prepared statements cached: ${QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS:-true};" \
  "striped case: $STRIPES stripes; stripe vacuum: ${STRIPE_VACUUM:-1s}" | tee -a "$RESULTS"
machine_load | tee -a "$RESULTS"
for k in "${CASES[@]}"; do
  pgbench_script "$OUT/$k.txt" >"$OUT/$k.pgbench"
  best_tps=0 best_c=0 served=()
  for c in "${CONCURRENCY[@]}"; do
    reset_holds
    before=$(cpu_sample)
    out=$(pgbench -n -M prepared -h localhost -p "$PG_PORT" -U postgres -c "$c" -j 2 -T "$DURATION" -r \
      -f "$OUT/$k.pgbench" flashsale 2>&1)
    tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
    lat=$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
    failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
    cpu=$(cpu_report "$before" "$(cpu_sample)" "$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')")
    printf '%-8s %-5s %-9s %10.0f %9s %9s %9s %8s %7s %s\n' "$k" "$c" pgbench "$tps" "avg ${lat}ms" - - "${failed:-0}" \
      "$(merges)" "$(books)" | tee -a "$RESULTS"
    echo "    pgbench $cpu" | tee -a "$RESULTS"
    reset_holds
    cp "$OUT/$k.txt" "$OUT/products.txt"
    before=$(cpu_sample "$SERVICE_PID")
    out=$(BENCH_OUT=$OUT wrk -t2 -c"$c" -d"${DURATION}s" --latency -s "$ROOT/bench/reserve.lua" "$API" 2>&1)
    rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p')
    p50=$(echo "$out" | awk '/ 50%/ {print $2}')
    p99=$(echo "$out" | awk '/ 99%/ {print $2}')
    max=$(echo "$out" | awk '/Latency/ {print $4; exit}')
    errors=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\)/\1/p')
    cpu=$(cpu_report "$before" "$(cpu_sample "$SERVICE_PID")" "$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')")
    printf '%-8s %-5s %-9s %10.0f %9s %9s %9s %8s %7s %s\n' "$k" "$c" http "$rps" "$p50" "$p99" "$max" "${errors:-0}" \
      "$(merges)" "$(books)" | tee -a "$RESULTS"
    echo "    http    $cpu (app: the service)" | tee -a "$RESULTS"
    echo "$k c=$c: service/ceiling = $(awk -v a="$rps" -v b="$tps" 'BEGIN {printf "%.2f", a / b}')" | tee -a "$RESULTS"
    if awk -v a="$tps" -v b="$best_tps" 'BEGIN {exit !(a > b)}'; then best_tps=$tps best_c=$c; fi
    served+=("$c:$rps")
  done
  # The database's best at any measured concurrency: what the service's small pool could get at most.
  for s in "${served[@]}"; do
    echo "$k c=${s%%:*}: service/best ceiling (pgbench c=$best_c, $(printf '%.0f' "$best_tps") tx/s) =" \
      "$(awk -v a="${s#*:}" -v b="$best_tps" 'BEGIN {printf "%.2f", a / b}')" | tee -a "$RESULTS"
  done
done
machine_load | tee -a "$RESULTS"
