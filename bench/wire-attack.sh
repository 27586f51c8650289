#!/usr/bin/env bash
# One host against the HTTP wire (issue 26, points 4 and 5): idle half-headers, then an abandoned pipeline, against the
# packaged inventory-service with its default limits. Usage: bench/wire-attack.sh (BENCH_BUILD=false reuses the build;
# ADDRESSES, PER_ADDRESS, HOLD_SECONDS as in wire-attack.py). Figures: bench/README.md, *The HTTP wire under attack*.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build
start_postgres
unset FLASHSALE_HTTP_MAX_CONNECTIONS_PER_ADDRESS # the shipped cap per address, not lib.sh's none
start_app inventory-service "${WIRE_PORT:-18093}" inventory
before=$(wc -l <"$OUT/inventory.log")
python3 "$ROOT/bench/wire-attack.py" "${WIRE_PORT:-18093}" "${PIDS[-1]}"
echo "WARN/ERROR lines the service logged during the attacks: $(tail -n +$((before + 1)) "$OUT/inventory.log" | grep -c -E ' (WARN|ERROR) ' || true)"
machine_load
