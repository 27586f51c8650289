#!/usr/bin/env bash
# Builds and runs the whole system on this machine:
#   - a local PostgreSQL (embedded binaries, data in .data/postgres) unless QUARKUS_DATASOURCE_REACTIVE_URL is set,
#   - inventory-service on http://localhost:8080 (API, Swagger UI at /q/swagger-ui), health and metrics on :9000,
#   - expiry-worker on http://localhost:8081 (health and metrics).
# Ctrl-C stops everything. QUARKUS_PROFILE defaults to dev (documented dev secrets, demo catalogue seeded).
# ./run.sh --ha (or FLASHSALE_HA=true): the same shop on the highly available database instead (ha/cluster.sh: etcd,
# two Patroni-run PostgreSQL 15 nodes, HAProxy on 127.0.0.1:${HA_PORT:-5440}; data in ${HA_DATA:-.data/ha}).
set -euo pipefail
cd "$(dirname "$0")"

ha=${FLASHSALE_HA:-false}
for arg in "$@"; do
  case "$arg" in
    --ha) ha=true ;;
    *) echo "usage: $0 [--ha]" >&2; exit 2 ;;
  esac
done

./mvnw -B -q install -DskipTests

mkdir -p .data
rm -f .data/*.log # the waits below must not read an earlier run's logs
pids=()
stop_all() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  wait || true
  [ "$ha" != true ] || ha/cluster.sh stop
}
trap stop_all EXIT INT TERM

# Waits until a line matching $2 appears in log $1, or fails when process $3 has died.
wait_for_log() {
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { echo "failed to start; see $1" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 0.3
  done
}

if [ "$ha" = true ]; then
  ha/cluster.sh start
  export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:${HA_PORT:-5440}/flashsale"
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:${HA_PORT:-5440}/flashsale"
  export QUARKUS_DATASOURCE_USERNAME=postgres
  export QUARKUS_DATASOURCE_PASSWORD=
  echo "HA database: ha/cluster.sh status shows who is primary; see docs/ha-runbook.md for a failover by hand"
elif [ -z "${QUARKUS_DATASOURCE_REACTIVE_URL:-}" ]; then
  port=${FLASHSALE_LOCAL_PG_PORT:-55432}
  export FLASHSALE_LOCAL_PG_PORT=$port
  java -cp "local-postgres/target/local-postgres.jar:local-postgres/target/lib/*" org.flashsale.localpg.LocalPostgresMain >.data/local-postgres.log 2>&1 &
  pids+=($!)
  wait_for_log .data/local-postgres.log "local PostgreSQL ready" "${pids[-1]}"
  echo "local PostgreSQL on port $port (data in .data/postgres)"
  export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$port/flashsale"
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$port/flashsale"
  export QUARKUS_DATASOURCE_USERNAME=postgres
  export QUARKUS_DATASOURCE_PASSWORD=
fi
export QUARKUS_PROFILE=${QUARKUS_PROFILE:-dev}

# inventory-service owns the schema: start it first so its migrations run before the worker reads the tables.
java -jar inventory-service/target/quarkus-app/quarkus-run.jar > >(tee .data/inventory-service.log) 2>&1 &
pids+=($!)
wait_for_log .data/inventory-service.log "Listening on" "${pids[-1]}"
java -jar expiry-worker/target/quarkus-app/quarkus-run.jar > >(tee .data/expiry-worker.log) 2>&1 &
pids+=($!)
wait_for_log .data/expiry-worker.log "Listening on" "${pids[-1]}"

echo
echo "Flash sale is running: http://localhost:8080  (API under /api, Swagger UI at /q/swagger-ui)"
echo "inventory-service health and metrics (management interface): http://localhost:9000/q/health  http://localhost:9000/q/metrics"
echo "expiry-worker health and metrics: http://localhost:8081/q/health  http://localhost:8081/q/metrics"
echo "Press Ctrl-C to stop."
wait -n
