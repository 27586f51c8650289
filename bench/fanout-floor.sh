#!/usr/bin/env bash
# The floor of live fan-out on this machine: bench/FanoutFloor.java, a bare Vert.x WebSocket server (no Quarkus, no
# database, no reserves) writing one /ws/stock-shaped batch frame per 100 ms tick to every watcher, measured with the
# same client as bench/live-fanout.sh. Its CPU per frame is what a frame costs here (Netty and the kernel's loopback
# TCP, the receiver's share included), the figure live-fanout.sh's are read beside, as the reserve benches beside pgbench.
# Usage: bench/fanout-floor.sh [seconds] [watchers...]   (default: 30 s; 10000 18000)
# CASES="hot eight" (1 or 8 products per frame), LOOPS=n server event loops (default 4: Quarkus's on 2 cores),
# INFLIGHT=n upgrades under way at once (default 200), WARM_STORMS=n storms after the cold one (default 2); SUMMARY=file: one line per row for bench/live-fanout.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${1:-30}
shift || true
if [ $# -gt 0 ]; then WATCHERS=("$@"); else WATCHERS=(10000 18000); fi
read -r -a CASES <<<"${CASES:-hot eight}"
ulimit -n "$(ulimit -Hn)"
FILES=$(ulimit -n)
PER_CLIENT=${PER_CLIENT:-$(( FILES - 1000 < 25000 ? FILES - 1000 : 25000 ))}
build
CLASSPATH_JARS="$ROOT/inventory-service/target/quarkus-app/lib/main/*"
HZ=$(getconf CLK_TCK)
PORT=${BENCH_FLOOR_PORT:-18090}
cat /proc/sys/kernel/random/uuid >"$OUT/floor-hot.txt"
for i in $(seq 1 8); do cat /proc/sys/kernel/random/uuid; done >"$OUT/floor-eight.txt"

row() { printf '%-6s %8s %8s %6s %6s %6s %7s %7s %11s %11s %s\n' "$@"; }
RESULTS="$OUT/fanout-floor.txt"
{
  echo "fan-out floor: ${DURATION} s per case, a frame every 100 ms, ${LOOPS:-4} server event loops; client and server on this machine"
  echo "machine: $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  row case watchers held p50 p99 max values frames "server us/f" "client us/f" "cores busy: server, client"
} | tee "$RESULTS"
window=0
for watchers in "${WATCHERS[@]}"; do
  for case in "${CASES[@]}"; do
    window=$((window + 1))
    FAN=$OUT/floor/w$watchers-$case
    rm -rf "$FAN" && mkdir -p "$FAN"
    echo "" >"$FAN/control"
    java -Xmx1g -cp "$CLASSPATH_JARS" "$ROOT/bench/FanoutFloor.java" "$PORT" "$OUT/floor-$case.txt" "${LOOPS:-4}" \
      >"$FAN/server.log" 2>&1 &
    server=$!
    PIDS+=($server)
    wait_for_log "$FAN/server.log" READY "$server"
    # The connect storms, as bench/live-fanout.sh's: cold, then WARM_STORMS times everyone leaves and comes back at once.
    start_watchers "ws://127.0.0.1:$PORT/ws/stock" "$watchers" "$OUT/floor-$case.txt"
    cold=$(connect_seconds)
    echo "  $watchers, first storm (cold): connected in $cold s" | tee -a "$RESULTS"
    warm_storms "$server" "floor-connect-$watchers-$case" "$watchers"
    sleep "${WARMUP:-10}" # the JIT compiles both sides' frame paths
    server_before=$(ticks "$server") client_before=$(ticks "${clients[@]}") sys_before=$(kernel_ticks "$server")
    profile_start "$server" "floor-$window"
    echo "start $window" >"$FAN/control"
    sleep "$DURATION"
    echo "stop $window" >"$FAN/control"
    server_after=$(ticks "$server") client_after=$(ticks "${clients[@]}") sys_after=$(kernel_ticks "$server")
    for k in "${!clients[@]}"; do
      until [ -f "$FAN/client-$k.report.$window" ]; do sleep 0.2; done
    done
    merge_reports "$window" >"$FAN/merged.$window"
    get() { awk -v k="$1" '$1 == k {print $2}' "$FAN/merged.$window"; }
    seconds=$(get seconds) frames=$(get frames)
    values=$(awk -v w="$(get watchers)" -v s="$seconds" '$1 == "product" {v = $3 / w / s; sum += v; n++}
      END {printf "%.1f", n ? sum / n : 0}' "$FAN/merged.$window")
    row "$case" "$watchers" "$(get watchers)" "$(get p50)" "$(get p99)" "$(get max)" "$values" \
      "$(awk -v f="$frames" -v w="$(get watchers)" -v s="$seconds" 'BEGIN {printf "%.1f", f / w / s}')" \
      "$(awk -v t=$((server_after - server_before)) -v hz="$HZ" -v f="$frames" 'BEGIN {printf "%.1f", 1e6 * t / hz / f}')" \
      "$(awk -v t=$((client_after - client_before)) -v hz="$HZ" -v f="$frames" 'BEGIN {printf "%.1f", 1e6 * t / hz / f}')" \
      "$(awk -v a=$((server_after - server_before)) -v b=$((client_after - client_before)) -v hz="$HZ" -v s="$seconds" \
        'BEGIN {printf "%.2f, %.2f", a / hz / s, b / hz / s}')" | tee -a "$RESULTS"
    awk -v t=$((sys_after - sys_before)) -v hz="$HZ" -v f="$frames" \
      'BEGIN {printf "    of the server'"'"'s CPU per frame, in the kernel: %.1f us\n", 1e6 * t / hz / f}' | tee -a "$RESULTS"
    profile_stop "$server" "floor-$window" "$FAN/profile" | tee -a "$RESULTS"
    if [ -n "${SUMMARY:-}" ]; then
      echo "$case $watchers floor $(awk -v t=$((server_after - server_before)) -v hz="$HZ" -v f="$frames" \
        'BEGIN {printf "%.1f", 1e6 * t / hz / f}') $values $(get p99) $storm/$cold" >>"$SUMMARY"
    fi
    echo quit >"$FAN/control"
    for pid in "${clients[@]}"; do wait "$pid" 2>/dev/null || true; done
    kill "$server"; wait "$server" 2>/dev/null || true
  done
done
