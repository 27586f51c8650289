#!/usr/bin/env bash
# The hot statements' plans before and after a change to their SQL (issue 27: each rule an inlinable SQL function).
# One throw-away PostgreSQL, one database, the same rows: the migrations of BEFORE (a git revision) are applied, the
# data seeded and vacuumed, every statement EXPLAINed; then the working tree's repeatable migrations (R__*.sql) are
# applied over it (CREATE OR REPLACE; the versioned ones must be the same) and the same statements, as the working
# tree writes them, EXPLAINed again. No load, no timing: plans and the planner's costs only (autovacuum off, so the
# statistics stay as ANALYZE left them).
#   reserve            sql/reserve.sql (the one-statement fast path), PREPAREd, custom and generic plan
#   ticket, tickets, status, join, books   QueueRepository's and ProductRepository's statements, as above
#   reserve_batch, reserve_checked  every statement inside the PL/pgSQL function (auto_explain, nested), run in a
#                      transaction that is rolled back
# Usage: bench/sql-plans.sh [before-revision]  (default: HEAD). Plans and a summary in bench/out/plans/.
# PG_BIN: the PostgreSQL server binaries (default: the embedded ones the tests unpack under /tmp/embedded-pg).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BEFORE=${1:-HEAD}
OUT="$ROOT/bench/out/plans"
PORT=${PLANS_PG_PORT:-55433}
PG_BIN=${PG_BIN:-$(dirname "$(ls -d /tmp/embedded-pg/*/bin/postgres | head -1)")}
MIG=inventory-service/src/main/resources/db/migration
SRC=inventory-service/src/main/java/org/flashsale/inventory
rm -rf "$OUT"; mkdir -p "$OUT"
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; } # initdb refuses root
[ "$(id -u)" = 0 ] && chown nobody "$OUT"
as_owner "$PG_BIN/initdb" -D "$OUT/data" -U postgres -A trust >/dev/null
as_owner "$PG_BIN/pg_ctl" -D "$OUT/data" -l "$OUT/postgres.log" -w \
  -o "-p $PORT -k $OUT -c listen_addresses='' -c autovacuum=off" start >/dev/null
trap 'as_owner "$PG_BIN/pg_ctl" -D "$OUT/data" -m fast stop >/dev/null' EXIT
q() { psql -X -q -v ON_ERROR_STOP=1 -h "$OUT" -p "$PORT" -U postgres "$@"; }
q -c "CREATE DATABASE flashsale" postgres
db() { q -d flashsale "$@"; }

# A revision's file (BEFORE) or the working tree's (WORK).
file() { if [ "$1" = WORK ]; then cat "$ROOT/$2"; else git -C "$ROOT" show "$1:$2"; fi; }
# Repeatable migrations in Flyway's order: by description.
repeatables() {
  if [ "$1" = WORK ]; then (cd "$ROOT/$MIG" && ls R__*.sql); else git -C "$ROOT" ls-tree --name-only "$1" "$MIG/" | xargs -n1 basename | grep '^R__'; fi \
    | sed 's/^R__//; s/\.sql$//; s/_/ /g' | LC_ALL=C sort | sed 's/ /_/g; s/^/R__/; s/$/.sql/'
}
versioned() { git -C "$ROOT" ls-tree --name-only "$BEFORE" "$MIG/" | xargs -n1 basename | grep '^V' | sort -t_ -k1.2n; }

for v in $(versioned); do
  cmp -s <(file "$BEFORE" "$MIG/$v") "$ROOT/$MIG/$v" || { echo "$v differs between $BEFORE and the working tree" >&2; exit 1; }
  file "$BEFORE" "$MIG/$v" | db >/dev/null 2>&1
done
for r in $(repeatables "$BEFORE"); do file "$BEFORE" "$MIG/$r" | db >/dev/null; done

# The data: a hot product (8 stripes, no limit, on sale) with 2,000 ACTIVE holds; a past sale's 100,000 COMPLETED
# holds; a queued product whose 100,000 entries are drawn: 90,000 WAITING, 2,000 ADMITTED in time, 2,000 ADMITTED
# past their deadline, 3,000 LAPSED, 3,000 RESERVED; a tenth admitted 20 s before, the rest 5 to 10 minutes before
# (no admission near the minute's edge, so the estimate of the last minute's does not drift while the script runs).
db >/dev/null <<'SQL'
SELECT setseed(0.27);
INSERT INTO shoppers (id) SELECT md5('s' || g)::uuid FROM generate_series(1, 100000) g;
INSERT INTO products (id, sku, name, price_cents, total_stock, stripes, queue, sale_starts_at)
VALUES ('00000000-0000-0000-0000-00000000000a', 'HOT', 'hot', 100, 1000000, 8, false, now() - interval '1 hour'),
       ('00000000-0000-0000-0000-00000000000b', 'PAST', 'past', 100, 100000, 1, false, now() - interval '2 days'),
       ('00000000-0000-0000-0000-00000000000c', 'QUEUED', 'queued', 100, 100000, 4, true, now() - interval '10 minutes');
INSERT INTO stock_stripes (product_id, stripe, available_stock)
SELECT '00000000-0000-0000-0000-00000000000a'::uuid, g, 124750 FROM generate_series(0, 7) g
UNION ALL SELECT '00000000-0000-0000-0000-00000000000b'::uuid, 0, 0
UNION ALL SELECT '00000000-0000-0000-0000-00000000000c'::uuid, g, 23000 FROM generate_series(0, 3) g;
INSERT INTO holds (product_id, shopper_id, quantity, price_cents, amount_cents, status, expires_at, latest_expires_at,
                   ended_at, stripe)
SELECT '00000000-0000-0000-0000-00000000000b', md5('s' || g)::uuid, 1, 100, 100, 'COMPLETED', now() - interval '1 day',
       now() - interval '1 day', now() - interval '1 day', 0 FROM generate_series(1, 100000) g;
INSERT INTO holds (product_id, shopper_id, quantity, price_cents, amount_cents, expires_at, latest_expires_at, stripe)
SELECT '00000000-0000-0000-0000-00000000000a', md5('s' || g)::uuid, 1, 100, 100, now() + interval '5 minutes',
       now() + interval '15 minutes', g % 8 FROM generate_series(1, 2000) g;
INSERT INTO holds (product_id, shopper_id, quantity, price_cents, amount_cents, expires_at, latest_expires_at, stripe)
SELECT '00000000-0000-0000-0000-00000000000c', md5('s' || g)::uuid, 1, 100, 100, now() + interval '5 minutes',
       now() + interval '15 minutes', g % 4 FROM generate_series(7001, 10000) g;
INSERT INTO product_queues (product_id, drawn_at, draw_seed, draw_cutoff, draw_entrants, placed, draw_keys)
VALUES ('00000000-0000-0000-0000-00000000000c', now() - interval '10 minutes', md5('seed'), now() - interval '10 minutes',
        100000, 100000, decode(repeat('00', 32 * 100000), 'hex'));
INSERT INTO queue_entries (product_id, shopper_id, joined_at, position, state, admitted_at, admission_expires_at, ended_at)
SELECT '00000000-0000-0000-0000-00000000000c', md5('s' || g)::uuid, now() - interval '1 hour', g,
       CASE WHEN g <= 2000 THEN 'ADMITTED' WHEN g <= 4000 THEN 'ADMITTED' WHEN g <= 7000 THEN 'LAPSED'
            WHEN g <= 10000 THEN 'RESERVED' ELSE 'WAITING' END,
       CASE WHEN g <= 10000 AND g % 10 = 0 THEN now() - interval '20 seconds'
            WHEN g <= 10000 THEN now() - (300 + g % 300) * interval '1 second' END,
       CASE WHEN g <= 2000 THEN now() + interval '1 minute' WHEN g <= 10000 THEN now() - interval '1 second' END,
       CASE WHEN g > 4000 AND g <= 10000 THEN now() END
FROM generate_series(1, 100000) g;
VACUUM ANALYZE;
SQL

# A class's file in a revision, whichever package holds it (issue 27 moved the repositories to their features).
java_file() {
  if [ "$1" = WORK ]; then (cd "$ROOT" && find "$SRC" -name "$2"); else git -C "$ROOT" ls-tree -r --name-only "$1" "$SRC/" | grep "/$2\$"; fi
}
# A Java text block: the lines between `NAME = """` and `""";`.
block() { file "$1" "$(java_file "$1" "$2")" | awk -v name="$3" '$0 ~ name " = \"\"\"" {on=1; next} on && /^ *""";/ {exit} on {print}'; }

explain_all() { # revision-or-WORK label
  local rev=$1 label=$2 hot=00000000-0000-0000-0000-00000000000a queued=00000000-0000-0000-0000-00000000000c
  local waiting; waiting=$(db -tAc "SELECT md5('s' || 50000)::uuid")
  local new; new=$(db -tAc "SELECT md5('s' || 99999)::uuid")
  {
    echo "PREPARE reserve(uuid, uuid, integer, bigint, bigint) AS"; file "$rev" inventory-service/src/main/resources/sql/reserve.sql; echo ";"
    echo "PREPARE ticket(uuid, uuid) AS"; block "$rev" QueueRepository.java TICKET; echo ";"
    echo "PREPARE tickets(uuid, uuid[]) AS"; block "$rev" QueueRepository.java TICKETS; echo ";"
    echo "PREPARE status(uuid) AS"; block "$rev" QueueRepository.java STATUS; echo ";"
    echo "PREPARE queue_join(uuid, uuid) AS"; block "$rev" QueueRepository.java JOIN; echo ";"
    echo "PREPARE books AS"; block "$rev" ProductRepository.java BOOKS; echo ";"
    echo "SELECT array_agg(md5('s' || g)::uuid)::text AS shoppers FROM generate_series(49901, 50000) g \\gset"
    for mode in custom generic; do
      echo "SET plan_cache_mode = force_${mode}_plan;"
      echo "\\echo '## reserve $mode'";   echo "EXPLAIN EXECUTE reserve('$hot', '$new', 1, 600000, 900000);"
      echo "\\echo '## ticket $mode'";    echo "EXPLAIN EXECUTE ticket('$queued', '$waiting');"
      echo "\\echo '## tickets $mode'";   echo "EXPLAIN EXECUTE tickets('$queued', :'shoppers');"
      echo "\\echo '## status $mode'";    echo "EXPLAIN EXECUTE status('$queued');"
      echo "\\echo '## join $mode'";      echo "EXPLAIN EXECUTE queue_join('$queued', '$new');"
      echo "\\echo '## books $mode'";     echo "EXPLAIN EXECUTE books;"
    done
    echo "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on;"
    echo "SET auto_explain.log_level = notice; SET client_min_messages = notice;"
    echo "\\echo '## reserve_batch'"
    # Since issue 28 the batch takes the requests' Idempotency-Keys and hashes ($4, $5: none here); a revision before
    # it has the five-argument form.
    echo "SELECT (SELECT max(pronargs) FROM pg_proc WHERE proname = 'reserve_batch') = 7 AS keyed_batch \\gset"
    echo "\\if :keyed_batch"
    echo "BEGIN; SELECT count(*) FROM reserve_batch('$hot', ARRAY(SELECT md5('s' || g)::uuid FROM generate_series(1990, 2005) g), array_fill(1, ARRAY[16]), NULL, NULL, 600000, 900000); ROLLBACK;"
    echo "\\else"
    echo "BEGIN; SELECT count(*) FROM reserve_batch('$hot', ARRAY(SELECT md5('s' || g)::uuid FROM generate_series(1990, 2005) g), array_fill(1, ARRAY[16]), 600000, 900000); ROLLBACK;"
    echo "\\endif"
    echo "\\echo '## reserve_checked'"
    echo "BEGIN; SELECT count(*) FROM reserve_checked('$queued', md5('s' || 1)::uuid, 1, 600000, 900000, 10); ROLLBACK;"
  } >"$OUT/$label.sql"
  db -f "$OUT/$label.sql" >"$OUT/$label.txt" 2>&1 || { tail -5 "$OUT/$label.txt" >&2; exit 1; }
}

explain_all "$BEFORE" before
for r in $(repeatables WORK); do db -f "$ROOT/$MIG/$r" >/dev/null; done
explain_all WORK after

# Plans without the statement texts auto_explain prints (they name the functions) and without timings.
plans() { awk '/Query Text:/ {skip = 1} /cost=/ {skip = 0} /NOTICE:  duration/ {print "-- nested statement"; next} !skip' "$1"; }
plans "$OUT/before.txt" >"$OUT/before.plans"; plans "$OUT/after.txt" >"$OUT/after.plans"
# Each plan's top cost; then node by node (the same nodes in the same order when the shapes match).
tops() { awk '/^## / {name = $2 ($3 ? "-" $3 : "")} /cost=/ && name && !seen[name]++ {match($0, /cost=[0-9.]+\.\.[0-9.]+/); print name, substr($0, RSTART + 5, RLENGTH - 5)}' "$1"; }
costs() { grep -o 'cost=[0-9.]*\.\.[0-9.]*' "$1" | sed 's/.*\.\.//'; }
{
  printf '%-24s %-20s %s\n' statement "before (cost)" "after (cost)"
  join <(tops "$OUT/before.plans") <(tops "$OUT/after.plans") | awk '{printf "%-24s %-20s %s\n", $1, $2, $3}'
  echo "plan nodes: $(costs "$OUT/before.plans" | wc -l) before, $(costs "$OUT/after.plans" | wc -l) after;" \
    "dearer after: $(paste <(costs "$OUT/before.plans") <(costs "$OUT/after.plans") | awk '$2 > $1' | wc -l)," \
    "cheaper after: $(paste <(costs "$OUT/before.plans") <(costs "$OUT/after.plans") | awk '$2 < $1' | wc -l)"
  echo "plan lines that differ, costs aside (full diff: diff bench/out/plans/before.plans bench/out/plans/after.plans):"
  { diff <(sed 's/ *(cost=[^)]*)//' "$OUT/before.plans") <(sed 's/ *(cost=[^)]*)//' "$OUT/after.plans") || true; } \
    | grep '^[<>]' | grep -v 'QUERY PLAN\|^[<>] -*$' || echo "  none"
  echo "rule functions left in the after plans (expect none):"
  grep -Eo '(sale_is_on|sale_has_started|sale_has_ended|hold_expires_at|hold_latest_expires_at|admission_in_time|admission_open|admission_lapsed|queue_entry_state|admitted_last_minute)' \
    "$OUT/after.plans" | sort | uniq -c || echo "  none"
} | tee "$OUT/summary.txt"
