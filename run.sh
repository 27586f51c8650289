#!/usr/bin/env bash
# Builds and runs the whole system on this machine:
#   - a local PostgreSQL (embedded binaries, data in .data/postgres) unless QUARKUS_DATASOURCE_REACTIVE_URL is set,
#   - inventory-service on http://localhost:8080 (API, Swagger UI at /q/swagger-ui), health and metrics on :9000,
#   - expiry-worker on http://localhost:8081 (health and metrics).
# Ctrl-C stops everything. QUARKUS_PROFILE defaults to dev (documented dev secrets, demo catalogue seeded).
set -euo pipefail
cd "$(dirname "$0")"

./mvnw -B -q install -DskipTests

mkdir -p .data
rm -f .data/*.log # the waits below must not read an earlier run's logs
pids=()
stop_all() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  wait || true
}
trap stop_all EXIT INT TERM

# Waits until a line matching $2 appears in log $1, or fails when process $3 has died.
wait_for_log() {
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { echo "failed to start; see $1" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 0.3
  done
}

if [ -z "${QUARKUS_DATASOURCE_REACTIVE_URL:-}" ]; then
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
