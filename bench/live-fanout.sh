#!/usr/bin/env bash
# Live fan-out: many /ws/stock watchers on one inventory-service instance under a set reserve load, on one hot
# product and on 8 products at once; delivery latency from the change (database time) to the watcher, values seen
# per (watcher, product) per second against the ideal 10, the service's RSS, and the CPU of the service, of the
# watchers' client and of the load generator per delivered message (all on this machine's cores).
# Usage: bench/live-fanout.sh [seconds] [watchers...]   (default: 30 s; 10000 50000)
# RATE=n reserves a second (default 1200; 0: as fast as CONNECTIONS wrk connections go), CONNECTIONS=n (default 128),
# CASES="hot eight" (default both), WARMUP=s of reserves after each service start and again with the watchers connected (default 30),
# PER_CLIENT=n watchers per client process (default: the open-files limit less 1,000, at most 25,000),
# BENCH_APP_PORT / BENCH_PG_PORT / BENCH_FLOOR_PORT move the service, PostgreSQL and the floor (two runs side by side),
# LOOPS=n event loops of the service and of the floor (default: Quarkus's own, 2 per core), INFLIGHT=n upgrades under
# way at once (default: every watcher at once, a connect storm), WARM_STORMS=n storms after the first, cold one (default
# 2; the last is the figure read against the goal), FLOOR=false skips the floor (bench/fanout-floor.sh,
# run after the service with the same counts, cases, seconds and loops, then both side by side as ratios).
# ALONE=s seconds of reserves with no watcher, per count, for the service's CPU per reserve (default 10),
# HISTO=true also prints, per watcher count, the classes whose live objects grew most per connected watcher (two
# `jcmd GC.class_histogram`, idle and with every watcher connected, each after a full collection).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-30}
shift || true
if [ $# -gt 0 ]; then WATCHERS=("$@"); else WATCHERS=(10000 50000); fi
RATE=${RATE:-1200}
WARMUP=${WARMUP:-30}
APP_PORT=${BENCH_APP_PORT:-18080} # the worker on the next port, the management interfaces 1000 above
LOOPS=${LOOPS:-$(( 2 * $(nproc) ))}
export INFLIGHT=${INFLIGHT:-$(printf '%s\n' "${WATCHERS[@]}" | sort -n | tail -1)}
CONNECTIONS=${CONNECTIONS:-128}
read -r -a CASES <<<"${CASES:-hot eight}"
# Every watcher is a socket in the service and one in the client: both need far more than the default 1,024 files.
ulimit -n "$(ulimit -Hn)"
FILES=$(ulimit -n)
# One client process per PER_CLIENT watchers, each from source addresses of its own (127.0.0.2, 127.0.0.3, …, and
# within a process one per 2,000 watchers: bench/LiveFanout.java): one (source address, service address) pair has
# only the ephemeral port range's ~28,000 ports, and binding to a crowded address gets slower.
PER_CLIENT=${PER_CLIENT:-$(( FILES - 1000 < 25000 ? FILES - 1000 : 25000 ))}

ensure_tools wrk psql curl
build
: >"$OUT/fanout-summary.txt"
start_postgres
echo "open files per process: $FILES (hard limit $(ulimit -Hn)); ephemeral ports: $(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range);" \
  "somaxconn $(cat /proc/sys/net/core/somaxconn); watchers per client process: $PER_CLIENT"

# The service under test, fresh for each watcher count (so that idle → connected → under load is that count's own):
# holds live 1 h (nothing expires during a run); the accept backlog as deep as the kernel allows; the watcher cap
# (flashsale.live.max-watchers, where the build has one) above the count, so every watcher is admitted, and the cap on
# connections (quarkus.http.limits.max-connections) above that.
start_inventory() { # watchers
  start_app inventory-service "$APP_PORT" inventory FLASHSALE_HOLD_TTL=1h QUARKUS_HTTP_ACCEPT_BACKLOG=65535 \
    QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE="$LOOPS" \
    FLASHSALE_LIVE_MAX_WATCHERS=$(( $1 + 1000 )) QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS=$(( $1 + 3000 ))
  INVENTORY_PID=${PIDS[-1]}
}
start_inventory 0
start_app expiry-worker "$((APP_PORT + 1))" worker
API=http://localhost:$APP_PORT

# Enough shoppers that no shopper reserves one product twice in a run; a shop with a past (lib.sh, seed_history).
SHOPPERS=${SHOPPERS:-200000}
bench_shoppers "$SHOPPERS"
seed_history "$SHOPPERS" >/dev/null
create_product FAN-HOT 1000000 >"$OUT/hot.txt"
: >"$OUT/eight.txt"
for i in $(seq 1 8); do create_product "FAN-$i" 1000000 >>"$OUT/eight.txt"; done
cat "$OUT/hot.txt" "$OUT/eight.txt" >"$OUT/fanout-products.txt"
CLASSPATH_JARS="$ROOT/inventory-service/target/quarkus-app/lib/main/*"

rss() { echo $(( $(ps -o rss= -p "$INVENTORY_PID") / 1024 )); }
live_heap() { # KiB of the service's heap in use after a full collection (what its live objects hold)
  jcmd "$INVENTORY_PID" GC.run >/dev/null
  jcmd "$INVENTORY_PID" GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -1
}
histogram() { # the service's live objects per class after a full collection: "bytes class" lines
  jcmd "$INVENTORY_PID" GC.class_histogram | awk '$1 ~ /^[0-9]+:$/ {print $3, $4}'
}
histogram_growth() { # idle-histogram connected-histogram watchers: the 15 classes that grew most, in bytes per watcher
  awk -v n="$3" 'NR == FNR {idle[$2] = $1; next} {grown = ($1 - idle[$2]) / n; if (grown > 0) printf "%9.1f  %s\n", grown, $2}' \
    "$1" "$2" | sort -rn | head -15
}
children_ticks() { awk '{print $16 + $17}' "/proc/$$/stat"; } # of this script's ended children (wrk)
HZ=$(getconf CLK_TCK)

row() { printf '%-6s %8s %8s %6s %6s %6s %7s %7s %9s %9s %s\n' "$@"; }
RESULTS="$OUT/live-fanout.txt"
{
  echo "live fan-out: ${DURATION} s per case, reserve load RATE=${RATE}/s (0: unpaced) over $CONNECTIONS connections," \
    "coalesce ${FLASHSALE_LIVE_COALESCE:-100ms}, $LOOPS event loops, $INFLIGHT upgrades at once;" \
    "client, load generator, service, worker and PostgreSQL on this machine"
  machine_load
  row case watchers held "res/s" p50 p99 max values frames entries/s "RSS MiB idle>conn>load"
} | tee "$RESULTS"

window=0
for watchers in "${WATCHERS[@]}"; do
  [ $(( watchers + 1000 )) -le "$FILES" ] \
    || echo "note: $watchers watchers need more open files than the service may have ($FILES): expect refusals" | tee -a "$RESULTS"
  kill "$INVENTORY_PID"; wait "$INVENTORY_PID" 2>/dev/null || true
  start_inventory "$watchers"
  # Warm-up: untimed reserves on every product, so that the JIT has compiled the reserve path; then given back.
  cat "$OUT/fanout-products.txt" >"$OUT/products.txt"
  BENCH_OUT=$OUT BENCH_RATE=$RATE wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$ROOT/bench/reserve.lua" "$API" >/dev/null 2>&1
  reset_holds
  FAN=$OUT/fanout/w$watchers # this count's raw output: client logs and reports, wrk's output, RSS samples
  rm -rf "$FAN" && mkdir -p "$FAN"
  # The reserves alone, as the windows below make them (same rate and connections) but with no watcher: the service's
  # CPU per reserve, so that a window's CPU per frame can also be read without the reserves beside the fan-out.
  alone_ticks=$(ticks "$INVENTORY_PID") alone_jit=$(jit_seconds "$INVENTORY_PID")
  BENCH_OUT=$OUT BENCH_RATE=$RATE wrk -t1 -c"$CONNECTIONS" -d"${ALONE:-10}s" -s "$ROOT/bench/reserve.lua" "$API" \
    >"$FAN/wrk.alone" 2>&1
  alone_ticks=$(( $(ticks "$INVENTORY_PID") - alone_ticks ))
  alone_jit=$(jit_since "$INVENTORY_PID" "$alone_jit")
  alone_reserves=$(awk '/requests in/ {print $1}' "$FAN/wrk.alone")
  us_per_reserve=$(cpu_per "$alone_ticks" "$alone_reserves" 1e6 %.0f)
  echo "  $watchers: $alone_reserves reserves alone in ${ALONE:-10} s, no watcher: $us_per_reserve us of service CPU each" \
    "(the JIT compiled for $alone_jit s of it: after a short WARMUP this over-counts, and the figures without the" \
    "reserves below under-count)" \
    | tee -a "$RESULTS"
  reset_holds
  idle=$(rss) idle_heap=$(live_heap)
  [ "${HISTO:-false}" != true ] || histogram >"$OUT/histogram.idle"

  # The connect storms: the first on a service that has never upgraded a connection (its upgrade path not yet
  # compiled), then WARM_STORMS times everyone leaves and comes back at once (the last: the figure read against the goal).
  echo "" >"$FAN/control"
  start_watchers ws://127.0.0.1:$APP_PORT/ws/stock "$watchers" "$OUT/fanout-products.txt"
  cold=$(connect_seconds)
  grep -h -E '^(connected|first failure)' "$FAN"/client-*.log | sed "s/^/  $watchers, first storm (cold): /" | tee -a "$RESULTS"
  sleep 2
  connected=$(rss) # RSS per watcher from here: the warm storms add the garbage of more upgrades
  heap_per_watcher=$(( ($(live_heap) - idle_heap) * 1024 / $(connected_watchers) ))
  if [ "${HISTO:-false}" = true ]; then
    histogram >"$FAN/histogram.connected"
    echo "  $watchers: live bytes per watcher by class (the 15 that grew most):" | tee -a "$RESULTS"
    histogram_growth "$OUT/histogram.idle" "$FAN/histogram.connected" "$(connected_watchers)" | sed 's/^/    /' \
      | tee -a "$RESULTS"
  fi
  warm_storms "$INVENTORY_PID" "connect-$watchers" "$watchers"
  held=$(connected_watchers)
  echo "  $watchers: service RSS $idle MiB idle, $connected MiB with $held watchers (after the warm storms $(rss) MiB); live heap per watcher $heap_per_watcher bytes; open files $(ls "/proc/$INVENTORY_PID/fd" | wc -l)" \
    | tee -a "$RESULTS"

  # Untimed load with the watchers connected, so that the client's and the service's fan-out code is compiled too
  # (a JIT still compiling takes a core of its own: bench/README.md).
  BENCH_OUT=$OUT BENCH_RATE=$RATE wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$ROOT/bench/reserve.lua" \
    "$API" >/dev/null 2>&1

  for case in "${CASES[@]}"; do
    window=$((window + 1))
    cp "$OUT/$case.txt" "$OUT/products.txt"
    reset_holds
    peak=$connected
    (while sleep 1; do rss; done) >"$FAN/rss.$window" &
    sampler=$!
    before=$(cpu_sample "$INVENTORY_PID") client_before=$(ticks "${clients[@]}")
    wrk_before=$(children_ticks) sys_before=$(kernel_ticks "$INVENTORY_PID") jit_before=$(jit_seconds "$INVENTORY_PID")
    profile_start "$INVENTORY_PID" "fanout-$window"
    echo "start $window" >"$FAN/control"
    BENCH_OUT=$OUT BENCH_RATE=$RATE wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$ROOT/bench/reserve.lua" \
      "$API" >"$FAN/wrk.$window" 2>&1
    wrk_after=$(children_ticks)
    echo "stop $window" >"$FAN/control"
    after=$(cpu_sample "$INVENTORY_PID") client_after=$(ticks "${clients[@]}") sys_after=$(kernel_ticks "$INVENTORY_PID")
    jit=$(jit_since "$INVENTORY_PID" "$jit_before")
    kill "$sampler"; wait "$sampler" 2>/dev/null || true
    peak=$(sort -n "$FAN/rss.$window" | tail -1)
    for k in "${!clients[@]}"; do
      until [ -f "$FAN/client-$k.report.$window" ]; do sleep 0.2; done
    done
    merge_reports "$window" >"$FAN/merged.$window"
    get() { awk -v k="$1" '$1 == k {print $2}' "$FAN/merged.$window"; }
    seconds=$(get seconds) frames=$(get frames) entries=$(get entries)
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' "$FAN/wrk.$window")
    reserves=$(awk '/requests in/ {print $1}' "$FAN/wrk.$window") # made in the window: wrk's count
    # The service's CPU per frame without the reserves beside the fan-out, at what one cost alone.
    fanout_us=$(awk -v b="$before" -v a="$after" -v hz="$HZ" -v upr="$us_per_reserve" -v n="$reserves" -v f="$frames" \
      'BEGIN {split(b, x, " "); split(a, y, " "); printf "%.1f", (1e6 * (y[1] - x[1]) / hz - upr * n) / (f > 0 ? f : 1)}')
    errors=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\)/\1/p' "$FAN/wrk.$window")
    # Values seen per (watcher, product) per second, over the products of the case (the ideal: 10, one a tick).
    values=$(awk -v w="$(get watchers)" -v s="$seconds" 'NR == FNR {want[$1] = 1; next}
      $1 == "product" && ($2 in want) {v = $3 / w / s; sum += v; n++; if (min == "" || v < min) min = v}
      END {if (n == 1) printf "%.1f", sum; else printf "%.1f(min %.1f)", sum / n, min}' \
      "$OUT/$case.txt" "$FAN/merged.$window")
    row "$case" "$watchers" "$(get watchers)" "$(printf '%.0f' "$rps")" "$(get p50)" "$(get p99)" "$(get max)" "$values" \
      "$(awk -v f="$frames" -v w="$(get watchers)" -v s="$seconds" 'BEGIN {printf "%.1f", f / w / s}')" \
      "$(awk -v e="$entries" -v s="$seconds" 'BEGIN {printf "%.0f", e / s}')" "$idle>$connected>$peak" | tee -a "$RESULTS"
    awk -v hz="$HZ" -v s="$seconds" -v f="$frames" -v e="$entries" -v b="$before" -v a="$after" \
      -v cb="$client_before" -v ca="$client_after" -v wb="$wrk_before" -v wa="$wrk_after" -v sys=$((sys_after - sys_before)) -v n="$reserves" -v procs="${#clients[@]}" -v upr="$us_per_reserve" -v fan="$fanout_us" 'BEGIN {
      split(b, x, " "); split(a, y, " "); total = y[5] - x[5];
      app = (y[1] - x[1]) / hz; client = (ca - cb) / hz; gen = (wa - wb) / hz; pg = (y[2] - x[2]) / hz;
      printf "    cpu, cores busy over the window: service %.2f, watchers client %.2f (%d processes), wrk %.2f, postgres %.2f;", app / s, client / s, procs, gen / s, pg / s;
      printf " machine busy %d%%, steal %d%%\n", 100 * (y[3] - x[3]) / total, 100 * (y[4] - x[4]) / total;
      printf "    cpu per delivered message: service %.1f us/frame (%.1f in the kernel; %s without the reserves beside it, at %d us each as measured alone), %.1f us/stock entry (%.0f us/reserve incl. its fan-out); client %.1f us/frame\n",
        1e6 * app / (f > 0 ? f : 1), 1e6 * sys / hz / (f > 0 ? f : 1), fan, upr,
        1e6 * app / (e > 0 ? e : 1), 1e6 * app / (n > 0 ? n : 1), 1e6 * client / (f > 0 ? f : 1) }' \
      | tee -a "$RESULTS"
    echo "    the service's JIT compiled for $jit s of the window (a JIT still compiling takes CPU from everything else)" \
      | tee -a "$RESULTS"
    profile_stop "$INVENTORY_PID" "fanout-$window" "$FAN/profile.$window" | tee -a "$RESULTS"
    awk -v hz="$HZ" -v s="$seconds" -v f="$frames" -v b="$before" -v a="$after" -v fan="$fanout_us" \
      -v v="${values%%(*}" -v p99="$(get p99)" -v c="$storm/$cold" -v kb="$(( (connected - idle) * 1024 / (held > 0 ? held : 1) ))" \
      -v lead="$case $watchers" 'BEGIN { split(b, x, " "); split(a, y, " ");
      printf "%s service %.1f %s %s %s %s %s\n", lead, 1e6 * (y[1] - x[1]) / hz / (f > 0 ? f : 1), v, p99, c, kb,
        fan }' \
      >>"$OUT/fanout-summary.txt"
    echo "    $(get frames) frames, $(get entries) stock entries, $(get purchases) purchases in ${seconds} s;" \
      "repeated values $(get repeated), older than seen $(get older), resync snapshots $(get snapshots);" \
      "closed by server $(get closed), failed to connect $(get failed); reserve errors ${errors:-0}; books $(books)" \
      | tee -a "$RESULTS"
  done
  echo quit >"$FAN/control"
  for pid in "${clients[@]}"; do wait "$pid" 2>/dev/null || true; done
done
machine_load | tee -a "$RESULTS"

[ "${FLOOR:-true}" = true ] || exit 0
# The floor in the same run: the service stopped, the same client against a bare Vert.x fan-out, then side by side.
kill "$INVENTORY_PID" 2>/dev/null; wait "$INVENTORY_PID" 2>/dev/null || true
BENCH_BUILD=false LOOPS=$LOOPS CASES="${CASES[*]}" SUMMARY="$OUT/fanout-summary.txt" \
  "$ROOT/bench/fanout-floor.sh" "$DURATION" "${WATCHERS[@]}"
{
  echo
  echo "against the floor, same run ($LOOPS event loops each; goals: CPU/frame <= 1.25x, values >= 0.9x, p99 <= 1.25x," \
    "10,000 connected <= 5 s, <= 15 KB RSS per watcher)"
  echo "(CPU ratio: the service's CPU per frame over the floor's, then without the reserves beside the fan-out, at the"
  echo " service's CPU per reserve measured alone; v: values a second, service over floor)"
  printf '%-6s %8s %14s %14s %12s %18s %28s %10s\n' case watchers "us/frame s/f" "values s/f" "p99 s/f" "CPU ratio" \
    "connect s warm/cold (floor)" "KB/watcher"
  awk '$3 == "service" { k = $1 " " $2; cpu[k] = $4; val[k] = $5; p99[k] = $6; con[k] = $7; kb[k] = $8; fan[k] = $9
         order[++n] = k }
       $3 == "floor" { k = $1 " " $2; fcpu[k] = $4; fval[k] = $5; fp99[k] = $6; fcon[k] = $7 }
       END { for (i = 1; i <= n; i++) { k = order[i]; split(k, w, " ");
         printf "%-6s %8s %14s %14s %12s %18s %28s %10s\n", w[1], w[2], cpu[k] " / " fcpu[k], val[k] " / " fval[k],
           p99[k] " / " fp99[k], (fcpu[k] > 0 ? sprintf("%.2f (%.2f)", cpu[k] / fcpu[k], fan[k] / fcpu[k]) : "-") " " \
           (fval[k] > 0 ? sprintf("v%.2f", val[k] / fval[k]) : "") , con[k] " (" fcon[k] ")", kb[k] } }' \
    "$OUT/fanout-summary.txt"
} | tee -a "$RESULTS"
