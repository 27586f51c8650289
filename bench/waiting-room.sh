#!/usr/bin/env bash
# Waiting room: SHOPPERS shoppers (default 20,000) join one queued product of UNITS units (default 2,000,
# maxPerShopper 1) before its sale; they poll GET …/queue/me; the sale opens; admitted shoppers reserve, and pay,
# cancel or let the hold expire (a short hold TTL), or never reserve (the admission lapses), so units come back and
# admit the next in line, until the product sells out and the queue closes. The crowd is one client process on this
# machine (bench/WaitingRoom.java, Vert.x); the figures of the sale come from the database afterwards.
# Usage: bench/waiting-room.sh [shoppers] [units]
# HOLD_TTL (5s), ADMISSION_TTL (PT15S), POLL_MS (2000) and MAX_POLL_MS (30000): a waiting shopper polls again after
# half its estimated wait within these bounds (POLL_MS while it has no estimate), INFLIGHT (256 connections),
# PRESALE (15: seconds of polling before the sale opens), MIX="ignore pay cancel" fractions of admitted shoppers
# (default "0.05 0.70 0.15"; the rest let their hold expire), THINK_MS (1000: pay/cancel 0.5–1.5 × this after the
# reserve), KEEPER_INTERVAL (the worker's flashsale.queue.keeper-interval, default 250ms).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SHOPPERS=${1:-20000}
UNITS=${2:-2000}
HOLD_TTL=${HOLD_TTL:-5s}
ADMISSION_TTL=${ADMISSION_TTL:-PT15S}
read -r IGNORE PAY CANCEL <<<"${MIX:-0.05 0.70 0.15}"
ulimit -n "$(ulimit -Hn)"

ensure_tools psql curl
build
start_postgres
start_app inventory-service 18080 inventory FLASHSALE_HOLD_TTL="$HOLD_TTL"
start_app expiry-worker 18081 worker FLASHSALE_QUEUE_KEEPER_INTERVAL="${KEEPER_INTERVAL:-250ms}"
API=http://localhost:18080
WORKER=http://localhost:18081

bench_shoppers "$SHOPPERS"
seed_history "$SHOPPERS" >/dev/null

# The queued product: its sale an hour away (the client opens it with PATCH saleStartsAt = 2 s ahead), joining open now.
PRODUCT=$(curl -sf -XPOST "$API/api/admin/products" -H "Authorization: Bearer $FLASHSALE_ADMIN_KEY" \
  -H 'Content-Type: application/json' \
  -d "{\"sku\":\"DROP\",\"name\":\"Bench drop\",\"priceCents\":100,\"totalStock\":$UNITS,\"maxPerShopper\":1,
       \"queue\":true,\"admissionTtl\":\"$ADMISSION_TTL\",
       \"saleStartsAt\":\"$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)\"}" | json_field id)
admitted_metric() { curl -sf "$WORKER/q/metrics" | awk '/^flashsale_queue_admitted_total/ {printf "%d", $2}'; }

RESULTS="$OUT/waiting-room.txt"
{
  echo "waiting room: $SHOPPERS shoppers, $UNITS units (maxPerShopper 1, quantity 1), hold TTL $HOLD_TTL," \
    "admission TTL $ADMISSION_TTL, keeper ${KEEPER_INTERVAL:-250ms}, polls every ${POLL_MS:-2000}–${MAX_POLL_MS:-30000} ms over" \
    "${INFLIGHT:-256} connections, mix ignore/pay/cancel/expire $IGNORE/$PAY/$CANCEL/rest;" \
    "client, service, worker and PostgreSQL on this machine"
  machine_load
} | tee "$RESULTS"

# ANALYZE_AFTER_JOIN=true: ANALYZE queue_entries once everyone joined (before the sale), so that the keeper's draw is
# planned with statistics that know the 20,000 entries (see bench/README.md, "Waiting room": without them it did not
# finish).
if [ "${ANALYZE_AFTER_JOIN:-false}" = true ]; then
  ( until grep -q '^joined:' "$RESULTS"; do sleep 0.5; done
    psql_q "ANALYZE queue_entries" >/dev/null && echo "(ANALYZE queue_entries after the joins)" >>"$RESULTS" ) &
fi
java -Xms256m -Xmx1g -XX:+UseSerialGC -Dinflight="${INFLIGHT:-256}" -DpollMillis="${POLL_MS:-2000}" -DmaxPollMillis="${MAX_POLL_MS:-30000}" \
  -DpresaleSeconds="${PRESALE:-15}" -DthinkMillis="${THINK_MS:-1000}" -Dignore="$IGNORE" -Dpay="$PAY" \
  -Dcancel="$CANCEL" -cp "$ROOT/inventory-service/target/quarkus-app/lib/main/*" "$ROOT/bench/WaitingRoom.java" \
  "$API" "$PRODUCT" "$OUT/tokens.txt" "$FLASHSALE_ADMIN_KEY" 2>&1 | tee -a "$RESULTS"
machine_load | tee -a "$RESULTS"

P="'$PRODUCT'"
E="queue_entries e WHERE e.product_id = $P"
ms() { echo "round(1000 * extract(epoch FROM $1))"; } # an interval in milliseconds
pct() { echo "$(ms "percentile_cont($1) WITHIN GROUP (ORDER BY $2)")"; }
{
  echo "== the sale, from the database (its clock; sale start = products.sale_starts_at)"
  psql_q "SELECT 'draw: ' || pq.draw_entrants || ' entrants placed ' || $(ms 'pq.drawn_at - p.sale_starts_at') || ' ms after the sale started;'
            || ' queue closed (sold out) after ' || round(extract(epoch FROM pq.closed_at - p.sale_starts_at), 2) || ' s;'
            || ' last unit paid after ' || round(extract(epoch FROM (SELECT max(ended_at) FROM holds
                                                                      WHERE product_id = $P AND status = 'COMPLETED')
                                                  - p.sale_starts_at), 2) || ' s'
     FROM product_queues pq JOIN products p ON p.id = pq.product_id WHERE p.id = $P"
  psql_q "WITH admitted AS (SELECT e.admitted_at FROM $E AND e.admitted_at IS NOT NULL),
          figures AS (SELECT count(*) AS n, count(DISTINCT admitted_at) AS runs, min(admitted_at) AS first,
                             max(admitted_at) AS last,
                             (SELECT count(*) FROM admitted WHERE admitted_at = (SELECT min(admitted_at) FROM admitted)) AS at_first,
                             (SELECT sale_starts_at FROM products WHERE id = $P) AS sale
                      FROM admitted)
     SELECT 'admissions: ' || n || ' in ' || runs || ' keeper runs, ' || at_first || ' in the first; over the sale '
            || round(n / nullif(extract(epoch FROM last - sale), 0), 1) || '/s; after the first run '
            || round((n - at_first) / nullif(extract(epoch FROM last - first), 0), 1) || '/s'
     FROM figures"
  psql_q "SELECT 'gap between keeper runs that admitted someone: min ' || $(ms 'min(gap)') || ' ms, p50 '
            || $(pct 0.5 gap) || ' ms (the keeper runs at least this often; a run that admits nobody leaves no trace)'
     FROM (SELECT t - lag(t) OVER (ORDER BY t) AS gap
           FROM (SELECT DISTINCT admitted_at AS t FROM $E AND e.admitted_at IS NOT NULL) r) g"
  psql_q "SELECT 'entries by state: ' || string_agg(state || ' ' || n, ', ' ORDER BY state)
     FROM (SELECT state, count(*) n FROM $E GROUP BY state) s"
  psql_q "SELECT 'holds by status: ' || string_agg(status || ' ' || n, ', ' ORDER BY status)
     FROM (SELECT status, count(*) n FROM holds WHERE product_id = $P GROUP BY status) s"
  echo "== a returned unit (hold cancelled or expired: its ended_at) to the next admission (the first admitted_at at or"
  echo "   after it) and to the next hold (the first created_at at or after it: the admitted shopper's poll and reserve)"
  psql_q "WITH returned AS (
       SELECT h.status, h.ended_at,
              (SELECT min(e.admitted_at) FROM $E AND e.admitted_at >= h.ended_at) - h.ended_at AS to_admission,
              (SELECT min(n.created_at) FROM holds n WHERE n.product_id = $P AND n.created_at >= h.ended_at)
                - h.ended_at AS to_hold
       FROM holds h WHERE h.product_id = $P AND h.status IN ('CANCELLED', 'EXPIRED'))
     SELECT coalesce(status, 'all') || ': ' || count(*) || ' returned, ' || count(to_admission) || ' followed by an admission;'
            || ' to admission p50 ' || $(pct 0.5 to_admission) || ' ms, p99 ' || $(pct 0.99 to_admission) || ' ms, max '
            || $(ms 'max(to_admission)') || ' ms; to the next hold p50 ' || $(pct 0.5 to_hold) || ' ms, p99 '
            || $(pct 0.99 to_hold) || ' ms'
     FROM returned GROUP BY ROLLUP (status) ORDER BY status NULLS LAST"
  psql_q "SELECT 'expiry lag (ended_at - expires_at) of expired holds: p50 ' || $(pct 0.5 'ended_at - expires_at')
            || ' ms, p99 ' || $(pct 0.99 'ended_at - expires_at') || ' ms'
     FROM holds WHERE product_id = $P AND status = 'EXPIRED'"
  echo "== checks (expect: permutation 1..$SHOPPERS; 0 out of order; 0 shoppers with two holds; admitted = metric; books 0 bad)"
  psql_q "SELECT 'positions: ' || count(*) || ' entries, ' || count(position) || ' placed, ' || count(DISTINCT position)
            || ' distinct, min ' || min(position) || ', max ' || max(position)
            || CASE WHEN count(DISTINCT position) = count(*) AND min(position) = 1 AND max(position) = count(*)
                    THEN ' (a permutation)' ELSE ' (NOT a permutation)' END FROM $E"
  psql_q "SELECT 'admission order: ' || count(*) FILTER (WHERE admitted_at < previous)
            || ' admitted before someone placed ahead of them; highest admitted position '
            || (SELECT max(position) FROM $E AND e.admitted_at IS NOT NULL) || ' < lowest never admitted '
            || coalesce((SELECT min(position)::text FROM $E AND e.admitted_at IS NULL), 'none')
     FROM (SELECT admitted_at, lag(admitted_at) OVER (ORDER BY position) AS previous
           FROM $E AND e.admitted_at IS NOT NULL) a"
  psql_q "SELECT 'exactly once: ' || count(*) FILTER (WHERE e.admitted_at IS NOT NULL) || ' entries admitted, keeper counted '
            || '$(admitted_metric) admissions; '
            || (SELECT count(*) FROM (SELECT shopper_id FROM holds WHERE product_id = $P GROUP BY 1 HAVING count(*) > 1) t)
            || ' shoppers with two holds; ' || (SELECT count(*) FROM holds WHERE product_id = $P) || ' holds, '
            || count(*) FILTER (WHERE e.state = 'RESERVED') || ' admissions used' FROM $E"
  echo "books: $(books)"
} | tee -a "$RESULTS"
