#!/usr/bin/env bash
# Start-up time and memory (RSS) of both apps, and how long one expiry-worker takes to drain 100,000 overdue holds
# (a backlog after downtime). Usage: bench/apps.sh [due-holds]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DUE=${1:-100000}

ensure_tools psql
build
start_postgres

started_in() { sed -n 's/.*started in \([0-9.]*\)s.*/\1/p' "$OUT/$1.log" | head -1; }
rss_mib() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }

start_app inventory-service 18080 inventory
INVENTORY=${PIDS[-1]}
sleep 2
echo "inventory-service: started in $(started_in inventory) s (Quarkus' own figure, JVM), RSS $(rss_mib "$INVENTORY") MiB after start"

# The backlog: 100 products, DUE holds already past their expiry, their units taken from stock as reserve does.
psql_q "WITH p AS (INSERT INTO products (sku, name, price_cents, total_stock)
                  SELECT 'DRAIN-' || i, 'Drain ' || i, 100, 1000000 FROM generate_series(1, 100) i RETURNING id)
        INSERT INTO stock_stripes (product_id, stripe, available_stock) SELECT id, 0, 1000000 FROM p" >/dev/null
psql_q "INSERT INTO shoppers (id) SELECT md5('drain' || i)::uuid FROM generate_series(1, $DUE / 100) i" >/dev/null
psql_q "WITH h AS (
          INSERT INTO holds (product_id, shopper_id, quantity, price_cents, amount_cents, expires_at, latest_expires_at)
          SELECT p.id, md5('drain' || s)::uuid, 1 + (s % 3), 100, 100 * (1 + (s % 3)), now() - interval '1 minute',
                 now() - interval '1 minute'
          FROM (SELECT id FROM products WHERE sku LIKE 'DRAIN-%') p, generate_series(1, $DUE / 100) s
          RETURNING product_id, quantity)
        UPDATE stock_stripes s SET available_stock = available_stock - t.q
        FROM (SELECT product_id, sum(quantity) q FROM h GROUP BY 1) t WHERE s.product_id = t.product_id" >/dev/null
psql_q "VACUUM ANALYZE holds" >/dev/null
echo "backlog: $(psql_q "SELECT count(*) FROM holds WHERE status = 'ACTIVE' AND expires_at <= now()") overdue holds"

begin=$(date +%s.%N)
start_app expiry-worker 18081 worker
WORKER=${PIDS[-1]}
echo "expiry-worker: started in $(started_in worker) s, RSS $(rss_mib "$WORKER") MiB after start"
until [ "$(psql_q "SELECT count(*) FROM holds WHERE status = 'ACTIVE'")" = 0 ]; do sleep 0.1; done
end=$(date +%s.%N)
echo "drained $DUE overdue holds in $(awk -v a="$begin" -v b="$end" 'BEGIN {printf "%.1f", b - a}') s from launching the worker (batch 500); worker RSS $(rss_mib "$WORKER") MiB"
echo "books: $(psql_q "SELECT count(*) FILTER (WHERE total_stock <> available_stock) FROM stock_books") products not back to full stock (expect 0)"
machine_load
