# Shared by the bench scripts: start the packaged apps and a local PostgreSQL, stop them all on exit.
# Source it from a script that has `set -euo pipefail`.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/out}
PG_PORT=${BENCH_PG_PORT:-55499}
mkdir -p "$OUT"
PIDS=()

stop_all() {
  [ ${#PIDS[@]} -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop_all EXIT INT TERM

ensure_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
  done
}

build() { # BENCH_BUILD=false reuses the last build (repeated runs of one version)
  [ "${BENCH_BUILD:-true}" = false ] || (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
}

wait_for_log() { # log pattern pid
  local deadline=$((SECONDS + 120))
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { echo "process died; see $1" >&2; tail -20 "$1" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "timed out; see $1" >&2; exit 1; }
    sleep 0.2
  done
}

start_postgres() {
  rm -rf "$OUT/postgres" "$OUT/postgres.log"
  # Durable (fsync, synchronous_commit on) unless BENCH_DURABLE=false: a flash sale's commits must survive a crash.
  FLASHSALE_LOCAL_PG_PORT=$PG_PORT FLASHSALE_LOCAL_PG_DIR="$OUT/postgres" FLASHSALE_LOCAL_PG_DURABLE=${BENCH_DURABLE:-true} \
    FLASHSALE_LOCAL_PG_MAX_CONNECTIONS=${BENCH_PG_MAX_CONNECTIONS:-300} \
    java -cp "$ROOT/local-postgres/target/local-postgres.jar:$ROOT/local-postgres/target/lib/*" \
    org.flashsale.localpg.LocalPostgresMain >"$OUT/postgres.log" 2>&1 &
  PIDS+=($!)
  wait_for_log "$OUT/postgres.log" "local PostgreSQL ready" "${PIDS[-1]}"
  export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$PG_PORT/flashsale"
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$PG_PORT/flashsale"
  export QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=
  export FLASHSALE_TOKEN_SECRET=bench-token-secret-0123456789abcdefghij FLASHSALE_ADMIN_KEY=bench-admin-key-0123
  # The benchmarks play thousands of shoppers from one address; they measure the service, not its rate limits nor its
  # cap on connections per address (bench/wire-attack.sh measures those with the defaults).
  export FLASHSALE_RATE_LIMIT_ENABLED=false FLASHSALE_HTTP_MAX_CONNECTIONS_PER_ADDRESS=0
}

psql_q() {
  psql -X -q -t -A -h localhost -p "$PG_PORT" -U postgres flashsale -c "$1"
}

start_app() { # module port name [extra env...]; inventory-service's management interface (metrics) on port + 1000
  local module=$1 port=$2 name=$3
  shift 3
  rm -f "$OUT/$name.log" # so that the wait below cannot read an earlier run's log
  # BENCH_JAVA_OPTS, e.g. a JFR recording: -XX:StartFlightRecording=filename=bench/out/app.jfr,settings=profile
  # shellcheck disable=SC2086
  env QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$((port + 1000))" "$@" java ${BENCH_JAVA_OPTS:-} -jar "$ROOT/$module/target/quarkus-app/quarkus-run.jar" \
    >"$OUT/$name.log" 2>&1 &
  PIDS+=($!)
  wait_for_log "$OUT/$name.log" "Listening on" "${PIDS[-1]}"
}

machine_load() {
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average: $(cut -d' ' -f1-3 /proc/loadavg);" \
    "PostgreSQL fsync=$(psql_q 'SHOW fsync') synchronous_commit=$(psql_q 'SHOW synchronous_commit')"
}

json_field() { # field: reads one JSON object on stdin, prints the string field and a newline
  sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/"
  echo
}

create_product() { # sku total-stock [stripes] -> prints the product id
  curl -sf -XPOST "$API/api/admin/products" -H "Authorization: Bearer $FLASHSALE_ADMIN_KEY" \
    -H 'Content-Type: application/json' \
    -d "{\"sku\":\"$1\",\"name\":\"Bench $1\",\"priceCents\":100,\"totalStock\":$2,\"stripes\":${3:-1}}" | json_field id
}

# The invariant, for every product: "<n> bad, <n> negative" (the stock_books view of the migrations).
books() {
  psql_q "SELECT count(*) FILTER (WHERE total_stock <> available_stock + active + completed) || ' bad, '
                 || (SELECT count(*) FROM stock_stripes WHERE available_stock < 0) || ' negative' FROM stock_books"
}

# Shoppers whose ids pgbench can compute (md5 of 1..N, as uuid), and their tokens for wrk: `bench_shoppers N` writes
# one bearer token per line to $OUT/tokens.txt, signed as the service signs them (shopperId.issuedAt.HMAC-SHA256)
# rather than N API calls, then checks that the service at $API accepts them.
bench_shoppers() {
  psql_q "INSERT INTO shoppers (id) SELECT md5(i::text)::uuid FROM generate_series(1, $1) i" >/dev/null
  python3 - "$1" "$FLASHSALE_TOKEN_SECRET" >"$OUT/tokens.txt" <<'PY'
import base64, hashlib, hmac, sys, time, uuid
count, secret = int(sys.argv[1]), sys.argv[2].encode()
for i in range(1, count + 1):
    payload = f"{uuid.UUID(hashlib.md5(str(i).encode()).hexdigest())}.{int(time.time())}"
    signature = hmac.new(secret, payload.encode(), hashlib.sha256).digest()
    print(payload + "." + base64.urlsafe_b64encode(signature).decode().rstrip("="))
PY
  curl -sf "$API/api/reservations" -H "Authorization: Bearer $(head -1 "$OUT/tokens.txt")" >/dev/null \
    || { echo "bench tokens are not accepted by the service" >&2; exit 1; }
}

# A shop's past: one purchase per shopper (COMPLETED holds of an earlier drop, product PAST, sold out), as any shop
# that has run a sale has. Without a past, reset_holds would leave holds empty and vacuumed, which PostgreSQL then
# knows to be empty: a prepared statement's cached generic plan, made in the run's first milliseconds, is then a
# sequential scan that reads the whole growing table on every execution until autovacuum's next ANALYZE — a state
# no running shop is in, and one that slowed pgbench and the service alike (bench/README.md, session 6).
seed_history() { # shoppers -> the PAST product's id
  local id; id=$(create_product PAST "$1")
  psql_q "INSERT INTO holds (product_id, shopper_id, quantity, price_cents, amount_cents, status, expires_at,
                             latest_expires_at, ended_at, stripe)
          SELECT '$id', id, 1, 100, 100, 'COMPLETED', now(), now(), now(), 0 FROM shoppers ORDER BY id LIMIT $1" >/dev/null
  psql_q "UPDATE stock_stripes SET available_stock = 0 WHERE product_id = '$id'" >/dev/null
  echo "$id"
}

# Deletes every ACTIVE hold (what a run made), gives its units back to its stripe and vacuums both tables: every
# measurement starts from the same table state (the past, seed_history, stays).
reset_holds() {
  psql_q "WITH h AS (DELETE FROM holds WHERE status = 'ACTIVE' RETURNING product_id, stripe, quantity),
               s AS (SELECT product_id, stripe, sum(quantity) q FROM h GROUP BY 1, 2)
          UPDATE stock_stripes t SET available_stock = available_stock + s.q
          FROM s WHERE t.product_id = s.product_id AND t.stripe = s.stripe" >/dev/null
  psql_q "VACUUM ANALYZE holds" >/dev/null
  psql_q "VACUUM ANALYZE stock_stripes" >/dev/null
}

create_shoppers() { # count -> prints one bearer token per line
  for _ in $(seq 1 "$1"); do
    curl -sf -XPOST "$API/api/shoppers" | json_field token
  done
}

# Where the CPU goes: `cpu_sample [pid]` prints clock ticks used so far by the process (utime + stime; 0 without a
# pid), by PostgreSQL (every live server process plus what the postmaster has reaped from ended backends), and the
# machine's busy, stolen (taken by the hypervisor for other guests) and total ticks.
cpu_sample() {
  local app=0 postmaster pg=0 pid
  [ -z "${1:-}" ] || app=$(awk '{print $14 + $15}' "/proc/$1/stat")
  postmaster=$(head -1 "$OUT/postgres/postmaster.pid")
  pg=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat")
  for pid in $(pgrep -P "$postmaster"); do
    pg=$((pg + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  awk -v app="$app" -v pg="$pg" '/^cpu / {print app, pg, $2 + $3 + $4 + $7 + $8, $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat
}

# `cpu_report "<sample before>" "<sample after>" <operations>`: milliseconds of CPU per operation for the process
# and for PostgreSQL, and how busy the machine was meanwhile (steal is CPU time the hypervisor gave to other guests:
# a high figure means the run was measured on a noisy neighbour's leftovers).
cpu_report() {
  awk -v ops="$3" -v hz="$(getconf CLK_TCK)" -v b="$1" -v a="$2" 'BEGIN {
    split(b, x, " "); split(a, y, " ");
    ms = 1000 / hz / (ops > 0 ? ops : 1); total = y[5] - x[5];
    if (y[1] > 0) printf "cpu/op: app %.2f ms, ", (y[1] - x[1]) * ms; else printf "cpu/op: ";
    printf "postgres %.2f ms; machine busy %d%%, steal %d%%",
      (y[2] - x[2]) * ms, 100 * (y[3] - x[3]) / total, 100 * (y[4] - x[4]) / total }'
}

# Watchers of a /ws/stock-like stream (bench/LiveFanout.java): one client process per PER_CLIENT of them, each from its
# own source address (127.0.0.2, 127.0.0.3, …; the process adds one per 2,000 watchers, raising the second number),
# controlled through $FAN/control; returns once every one is READY.
# Sets clients (their pids). Needs FAN, PER_CLIENT and CLASSPATH_JARS (the Vert.x jars).
# Each call's client processes connect from addresses of their own (127.0.<call>.2, 127.0.<call>.3, …): a storm right
# after another must not wait for ports the earlier one's connections hold in TIME_WAIT.
STORMS=0
start_watchers() { # url watchers products-file
  clients=()
  STORMS=$((STORMS + 1))
  local left=$2 k=0 share inflight
  # 200 upgrades under way at once over all client processes (INFLIGHT=n).
  inflight=$(( ${INFLIGHT:-200} / (($2 + PER_CLIENT - 1) / PER_CLIENT) ))
  while [ "$left" -gt 0 ]; do
    share=$(( left < PER_CLIENT ? left : PER_CLIENT ))
    java -Xms256m -Xmx768m -XX:+UseSerialGC -Dinflight="$inflight" -cp "$CLASSPATH_JARS" "$ROOT/bench/LiveFanout.java" \
      "$1" "$share" "127.0.$STORMS.$((k + 2))" "$3" "$FAN/control" "$FAN/client-$k.report" >"$FAN/client-$k.log" 2>&1 &
    clients+=($!)
    PIDS+=($!)
    left=$((left - share)) k=$((k + 1))
  done
  watchers_ready 1
}

watchers_ready() { # n: waits until every client process has printed its n-th READY
  local k ready
  for k in "${!clients[@]}"; do
    until ready=$(grep -c READY "$FAN/client-$k.log" 2>/dev/null); [ "${ready:-0}" -ge "$1" ]; do
      kill -0 "${clients[$k]}" 2>/dev/null || { cat "$FAN/client-$k.log"; exit 1; }
      sleep 0.5
    done
  done
}

# Every watcher of the running clients leaves, then all come back at once from new source addresses (LiveFanout's
# "storm" command): a connect storm by clients whose code is compiled.
storm_again() {
  STORMS=$((STORMS + 1))
  echo "storm $STORMS" >"$FAN/control"
  watchers_ready $(( $(grep -c READY "$FAN/client-0.log") + 1 ))
  echo "" >"$FAN/control"
}

last_storm() { # each client process's "connected N of M watchers in S s" line of the last storm
  local k
  for k in "${!clients[@]}"; do grep '^connected' "$FAN/client-$k.log" | tail -1; done
}

connected_watchers() { # watchers connected in the last storm, over all client processes
  last_storm | awk '{n += $2} END {print n}'
}

connect_seconds() { # how long the slowest client process took until all its watchers had their snapshot (last storm)
  last_storm | sed -E 's/.* in ([0-9.]+) s.*/\1/' | sort -n | tail -1
}

# The warm connect storms, after a first (cold) one: WARM_STORMS times (default 2) every watcher leaves and all come
# back at once. One warm storm is not warm for the server: 10,000 upgrades are about when the JIT compiles the
# upgrade path, so the first of them still pays for its compiling. Prints, per storm, its seconds, the server's CPU
# per upgrade (and the client's), the seconds its JIT compiled meanwhile and how busy the machine was (to RESULTS as
# well); PROFILE covers the last, the figure read against the goal, and sets storm (its seconds).
warm_storms() { # server-pid profile-name watchers
  local k n=$(( ${WARM_STORMS:-2} > 0 ? ${WARM_STORMS:-2} : 1 )) server client jit machine storm_ms
  for k in $(seq 1 "$n"); do
    [ "$k" -lt "$n" ] || profile_start "$1" "$2"
    server=$(ticks "$1") client=$(ticks "${clients[@]}") jit=$(jit_seconds "$1") machine=$(machine_ticks)
    storm_again
    server=$(( $(ticks "$1") - server )) client=$(( $(ticks "${clients[@]}") - client ))
    jit=$(jit_since "$1" "$jit")
    machine=$(echo "$machine $(machine_ticks)" | awk '{printf "%d", 100 * ($3 - $1) / ($4 - $2)}')
    [ "$k" -lt "$n" ] || PROFILE_LINES=12 profile_stop "$1" "$2" "$FAN/profile.connect" | tee -a "$RESULTS"
    storm=$(connect_seconds)
    storm_ms=$(per_upgrade "$server")
    echo "  $3, warm storm $k of $n: $(connected_watchers) connected in $storm s; ms of CPU per upgrade: server" \
      "$storm_ms, client $(per_upgrade "$client"); the server's JIT compiled for $jit s of it; machine busy $machine%" \
      | tee -a "$RESULTS"
  done
}

per_upgrade() { # clock-ticks: milliseconds of CPU per watcher connected in the last storm
  cpu_per "$1" "$(connected_watchers)" 1e3 %.2f
}

cpu_per() { # clock-ticks operations scale format: CPU per operation (scale 1e3: in ms, 1e6: in µs)
  awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$2" -v scale="$3" -v format="$4" \
    'BEGIN {printf format, scale * t / hz / (n > 0 ? n : 1)}'
}

machine_ticks() { # "busy total" clock ticks of the whole machine so far
  awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat
}

# Merges the client processes' reports of window N into one line of figures (see bench/README.md, "Live fan-out").
merge_reports() { # N -> "key value" lines
  cat "$FAN"/client-*.report."$1" | awk '
    $1 == "latency" { lat[$2 + 0] += $3; n += $3; next }
    $1 == "values" { values[$2] += $3; next }
    { sum[$1] += $2 }
    $1 == "seconds" { if ($2 > seconds) seconds = $2 }
    END {
      for (k in sum) if (k != "seconds") print k, sum[k];
      print "seconds", seconds;
      for (p in values) print "product", p, values[p];
      split("0.5 0.99 1", ps, " "); split("p50 p99 max", names, " ");
      for (i = 1; i <= 3; i++) { want = ps[i] * n; seen = 0;
        for (ms = 0; ms <= 60000; ms++) { seen += lat[ms]; if (n > 0 && seen >= want) break }
        print names[i], (n > 0 ? ms : "-") }
    }'
}


ticks() { # clock ticks (utime + stime) used so far by the given processes
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$total"
}

jit_seconds() { # seconds the JVM's JIT compilers have spent compiling so far
  jstat -compiler "$1" | awk 'NR == 2 {print $4}'
}

jit_since() { # pid seconds-before: seconds the JVM's JIT compilers have spent compiling since jit_seconds said that
  awk -v a="$(jit_seconds "$1")" -v b="$2" 'BEGIN {printf "%.1f", a - b}'
}

kernel_ticks() { # clock ticks in the kernel (stime: the sockets' writes and reads, epoll) used so far by the process
  awk '{print $15}' "/proc/$1/stat"
}

# PROFILE=true: a JFR recording (settings=profile) of the process over a measuring window, summed by layer
# (bench/jfr-layers.py) into the given file; PROFILE=perf: `perf record` of every thread of the process, the kernel's
# and the GC's included, its JIT-compiled frames named by the JVM's perf map, summed by shared object and symbol.
# `profile_start pid name`, then `profile_stop pid name file`.
profile_start() {
  case "${PROFILE:-false}" in
    true) jcmd "$1" JFR.start name="$2" settings=profile filename="$OUT/$2.jfr" >/dev/null ;;
    perf) perf record -q -F 999 -g -p "$1" -o "$OUT/$2.perf" >/dev/null 2>&1 &
      PERF_PID=$! ;;
  esac
}
profile_stop() {
  case "${PROFILE:-false}" in
    true) jcmd "$1" JFR.stop name="$2" >/dev/null
      jfr print --stack-depth 200 --events jdk.ExecutionSample "$OUT/$2.jfr" | python3 "$ROOT/bench/jfr-layers.py" >"$3" ;;
    perf) kill -INT "$PERF_PID"; wait "$PERF_PID" 2>/dev/null || true
      jcmd "$1" Compiler.perfmap >/dev/null
      perf report -i "$OUT/$2.perf" --no-children --sort dso,sym --percent-limit 0.7 --stdio 2>/dev/null \
        | grep -v -E '^#|^$' | grep -E '^ +[0-9.]+%' >"$3" ;;
    *) return 0 ;;
  esac
  sed 's/^/    /' "$3" | head -"${PROFILE_LINES:-30}"
}
