#!/usr/bin/env bash
# The group commit's statement alone: pgbench calls reserve_batch (db/migration/R__reserve_batch.sql) with BATCH
# requests of one unit each (default 32, distinct shoppers from a random start) on one hot product, from one client,
# without and with an Idempotency-Key per request, so what the keys cost PostgreSQL shows without the service, wrk or
# the other clients' lock waits in between. Each run starts from the same state:
#   history  a shop's past (SHOPPERS COMPLETED holds and as many key records an hour old, analyzed); the run's ACTIVE
#            holds and new records deleted, both tables vacuumed (not analyzed)
#   emptied  (after history: it deletes the past) holds and the records deleted, then VACUUM ANALYZE: PostgreSQL
#            knows both to be empty, the state in which a plan cached in the first milliseconds could scan them (README
#            "Planner statistics of holds")
# Rounds alternate unkeyed and keyed runs; the figure is pgbench's average latency per batch.
# Usage: bench/batch-sql.sh [seconds] [rounds]   (default 10 s, 2 rounds; STATES="history emptied", BATCH=32,
# SHOPPERS=200000, SYNC=off measures without the commit's WAL flush: synchronous_commit off for pgbench's session)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-10}
ROUNDS=${2:-2}
BATCH=${BATCH:-32}
SHOPPERS=${SHOPPERS:-200000}
read -r -a STATES <<<"${STATES:-history emptied}"
APP_PORT=${BENCH_APP_PORT:-18080}
API=http://localhost:$APP_PORT
ensure_tools psql pgbench curl
build
start_postgres
start_app inventory-service "$APP_PORT" inventory # it migrates the schema; the admin API creates the product
hot=$(create_product BATCH-HOT 1000000)
past=$(create_product BATCH-PAST "$SHOPPERS")
kill "${PIDS[-1]}" && wait "${PIDS[-1]}" 2>/dev/null || true
unset 'PIDS[-1]'

# Shoppers pgbench can name (md5 of 1..SHOPPERS as uuid), each with a purchase (of the sold-out BATCH-PAST) and a key
# record from the past.
psql_q "INSERT INTO shoppers (id) SELECT md5(i::text)::uuid FROM generate_series(1, $SHOPPERS) i" >/dev/null
psql_q "INSERT INTO holds (product_id, shopper_id, quantity, price_cents, amount_cents, status, created_at, expires_at,
                           latest_expires_at, ended_at, stripe)
        SELECT '$past', md5(i::text)::uuid, 1, 100, 100, 'COMPLETED', now() - interval '1 day', now() - interval '1 day',
               now() - interval '1 day', now() - interval '1 day', 0 FROM generate_series(1, $SHOPPERS) i" >/dev/null
psql_q "UPDATE stock_stripes SET available_stock = 0 WHERE product_id = '$past'" >/dev/null
psql_q "INSERT INTO idempotency_records (shopper_id, idempotency_key, request_hash, response_status, response_body,
                                         created_at)
        SELECT md5(i::text)::uuid, 'past-' || i, md5(i::text) || md5(i::text), 201,
               hold_answer(gen_random_uuid(), '$past', 1, 'ACTIVE', 100, 100, now(), now(), now(), null),
               now() - interval '1 hour' FROM generate_series(1, $SHOPPERS) i" >/dev/null
psql_q "VACUUM ANALYZE holds, idempotency_records" >/dev/null

script() { # keyed|unkeyed -> a pgbench script
  local keys=NULL hashes=NULL
  if [ "$1" = keyed ]; then
    keys="(SELECT array_agg(gen_random_uuid()::text) FROM generate_series(1, $BATCH))"
    hashes="(SELECT array_agg(md5(g::text) || md5(g::text)) FROM generate_series(1, $BATCH) g)"
  fi
  cat <<SQL
\set base random(1, $((SHOPPERS - BATCH)))
SELECT count(*) FROM reserve_batch('$hot',
  (SELECT array_agg(md5((:base + g)::text)::uuid) FROM generate_series(0, $((BATCH - 1))) g),
  array_fill(1, ARRAY[$BATCH]), $keys, $hashes, 3600000, 7200000);
SQL
}
script unkeyed >"$OUT/batch-unkeyed.pgbench"
script keyed >"$OUT/batch-keyed.pgbench"

reset() { # state
  if [ "$1" = emptied ]; then
    psql_q "DELETE FROM holds" >/dev/null
    psql_q "UPDATE stock_stripes SET available_stock = $SHOPPERS WHERE product_id = '$past'" >/dev/null
    psql_q "DELETE FROM idempotency_records" >/dev/null
    psql_q "VACUUM ANALYZE holds, idempotency_records" >/dev/null
  else
    psql_q "DELETE FROM holds WHERE status = 'ACTIVE'" >/dev/null
    psql_q "DELETE FROM idempotency_records WHERE created_at > now() - interval '30 minutes'" >/dev/null
    psql_q "VACUUM holds, idempotency_records" >/dev/null
  fi
  psql_q "UPDATE stock_stripes SET available_stock = 1000000 WHERE product_id = '$hot'" >/dev/null
  psql_q "CHECKPOINT" >/dev/null
}

RESULTS="$OUT/batch-sql.txt"
{
  echo "reserve_batch of $BATCH requests in pgbench, one client, ${DURATION} s per run, synchronous_commit ${SYNC:-on}"
  machine_load
  printf '%-8s %-6s %-8s %14s %12s\n' state round mode "ms per batch" "µs per req"
} | tee "$RESULTS"
for state in "${STATES[@]}"; do
  for round in $(seq 1 "$ROUNDS"); do
    for mode in unkeyed keyed; do
      reset "$state"
      latency=$(PGOPTIONS="-c synchronous_commit=${SYNC:-on}" pgbench -n -M prepared -h localhost -p "$PG_PORT" \
        -U postgres -c 1 -T "$DURATION" -f "$OUT/batch-$mode.pgbench" flashsale 2>&1 \
        | sed -n 's/latency average = \([0-9.]*\) ms/\1/p')
      printf '%-8s %-6s %-8s %14s %12s\n' "$state" "$round" "$mode" "$latency" \
        "$(awk -v l="$latency" -v b="$BATCH" 'BEGIN {printf "%.1f", 1000 * l / b}')" | tee -a "$RESULTS"
    done
  done
done
echo "books: $(books)" | tee -a "$RESULTS"
