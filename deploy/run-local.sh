#!/usr/bin/env bash
# Runs N inventory-service instances behind HAProxy on this machine (README, Deploy: several instances behind
# HAProxy), with one expiry-worker and a local PostgreSQL (unless QUARKUS_DATASOURCE_REACTIVE_URL is set):
#   - the shop through the balancer on http://localhost:${BALANCER_PORT:-8080},
#   - instance i (1..INSTANCES, default 3) on :$((FIRST_PORT + i - 1)) (default 8181…), its management interface
#     (health for the balancer, metrics) on :$((FIRST_MANAGEMENT_PORT + i - 1)) (default 9101…),
#   - expiry-worker on :${WORKER_PORT:-8081}.
# A rolling restart by hand: kill -TERM one instance's pid (printed below, and in .data/instance-<i>.pid), wait for it
# to exit, then "deploy/run-local.sh start-instance <i>" in another terminal. Ctrl-C stops everything.
# SKIP_BUILD=1 skips the Maven build. QUARKUS_PROFILE defaults to dev.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${1:-} == start-instance ]]; then
  # The ports and the database settings of the run that started the others.
  set -a; source .data/run-local.env; set +a
fi
instances=${INSTANCES:-3}
balancer_port=${BALANCER_PORT:-8080}
first_port=${FIRST_PORT:-8181}
first_management_port=${FIRST_MANAGEMENT_PORT:-9101}
worker_port=${WORKER_PORT:-8081}
export QUARKUS_PROFILE=${QUARKUS_PROFILE:-dev}
# The instances trust X-Forwarded-For from the balancer only, and leave the per-address connection cap to it (they
# see every client through the balancer's one address).
export QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED=true
export QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=127.0.0.1
export FLASHSALE_HTTP_MAX_CONNECTIONS_PER_ADDRESS=0

# Waits until a line matching $2 appears in log $1, or fails when process $3 has died.
wait_for_log() {
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { echo "failed to start; see $1" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 0.3
  done
}

# Starts instance $1 in the background (its log in .data/instance-$1.log) and waits until it listens.
start_instance() {
  local i=$1
  rm -f ".data/instance-$i.log"
  QUARKUS_HTTP_PORT=$((first_port + i - 1)) QUARKUS_MANAGEMENT_PORT=$((first_management_port + i - 1)) \
    java -jar inventory-service/target/quarkus-app/quarkus-run.jar >".data/instance-$i.log" 2>&1 &
  echo $! >".data/instance-$i.pid"
  wait_for_log ".data/instance-$i.log" "Listening on" "$!"
  echo "instance $i: http://localhost:$((first_port + i - 1)), health http://localhost:$((first_management_port + i - 1))/q/health (pid $(cat ".data/instance-$i.pid"))"
}

if [[ ${1:-} == start-instance ]]; then
  start_instance "$2"
  wait
  exit
fi

[[ ${SKIP_BUILD:-} == 1 ]] || ./mvnw -B -q package -DskipTests -pl local-postgres,inventory-service,expiry-worker -am
mkdir -p .data
pids=()
stop_all() {
  trap - EXIT INT TERM
  deploy/balancer.sh stop "$balancer_port" || true
  local i
  for i in $(seq "$instances"); do
    [[ -s .data/instance-$i.pid ]] && kill "$(cat ".data/instance-$i.pid")" 2>/dev/null || true
  done
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  wait || true
}
trap stop_all EXIT INT TERM

if [ -z "${QUARKUS_DATASOURCE_REACTIVE_URL:-}" ]; then
  port=${FLASHSALE_LOCAL_PG_PORT:-55432}
  export FLASHSALE_LOCAL_PG_PORT=$port
  rm -f .data/local-postgres.log
  java -cp "local-postgres/target/local-postgres.jar:local-postgres/target/lib/*" org.flashsale.localpg.LocalPostgresMain >.data/local-postgres.log 2>&1 &
  pids+=($!)
  wait_for_log .data/local-postgres.log "local PostgreSQL ready" "${pids[-1]}"
  export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$port/flashsale"
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$port/flashsale"
  export QUARKUS_DATASOURCE_USERNAME=postgres
  export QUARKUS_DATASOURCE_PASSWORD=
fi
{
  env | grep -E '^(QUARKUS_DATASOURCE_|QUARKUS_PROFILE=)' | sed "s/=\(.*\)/='\1'/"
  echo "FIRST_PORT=$first_port FIRST_MANAGEMENT_PORT=$first_management_port"
} >.data/run-local.env

backends=()
for i in $(seq "$instances"); do
  start_instance "$i" # the first migrates the schema before the others start
  backends+=("127.0.0.1:$((first_port + i - 1))@$((first_management_port + i - 1))")
done
rm -f .data/expiry-worker.log
QUARKUS_HTTP_PORT=$worker_port java -jar expiry-worker/target/quarkus-app/quarkus-run.jar >.data/expiry-worker.log 2>&1 &
pids+=($!)
wait_for_log .data/expiry-worker.log "Listening on" "${pids[-1]}"
deploy/balancer.sh start "$balancer_port" "${backends[@]}"

echo
echo "Flash sale through HAProxy: http://localhost:$balancer_port  ($instances instances; logs in .data/)"
echo "Press Ctrl-C to stop."
wait
