#!/usr/bin/env bash
# The highly available database: 3 etcd members, 2 PostgreSQL 15 nodes each run by its Patroni, one HAProxy.
#   ha/cluster.sh start    start whatever is not running (the whole topology on a fresh HA_DATA) and return once a
#                          primary takes writes through HAProxy, database flashsale exists and a synchronous standby
#                          is attached
#   ha/cluster.sh status   one line per PostgreSQL node: name role pid-of-patroni pid-of-postgres
#   ha/cluster.sh stop     stop everything it started
# Data (and every process' log) under ${HA_DATA:-.data/ha}. Ports, all derived from HA_PORT (default 5440), so two
# clusters can run side by side: HAProxy primary HA_PORT, replica HA_PORT+1; PostgreSQL HA_PORT+10, +11; Patroni's
# REST API HA_PORT+20, +21; etcd clients HA_PORT+30..32, peers HA_PORT+40..42. Configuration: the templates beside
# this script, filled in by ha/render.sh. Patroni and PostgreSQL run as user postgres when started by root (Debian's
# PostgreSQL refuses root).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
HA_PORT=${HA_PORT:-5440}
HA_DATA=${HA_DATA:-.data/ha}
mkdir -p "$HA_DATA"
HA_DATA=$(cd "$HA_DATA" && pwd)
START_TIMEOUT=${HA_START_TIMEOUT:-120}
NODES=(pg1 pg2)
ETCD_MEMBERS=(etcd1 etcd2 etcd3)

pg_port() { echo $((HA_PORT + 10 + $1)); }
rest_port() { echo $((HA_PORT + 20 + $1)); }
etcd_client_port() { echo $((HA_PORT + 30 + $1)); }
etcd_peer_port() { echo $((HA_PORT + 40 + $1)); }

# Runs a command as postgres when we are root, else as ourselves; exec keeps its pid the one we record.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
  else
    exec "$@"
  fi
}

pid_of() { cat "$HA_DATA/run/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# Starts "$@" in the background, in its own session, with its output in $HA_DATA/log/$name.log and its pid recorded.
launch() {
  local name=$1; shift
  setsid "$@" >>"$HA_DATA/log/$name.log" 2>&1 </dev/null &
  echo $! >"$HA_DATA/run/$name.pid"
}

etcd_hosts() {
  local i hosts=()
  for i in 0 1 2; do hosts+=("127.0.0.1:$(etcd_client_port $i)"); done
  local IFS=,; echo "${hosts[*]}"
}

start_etcd() {
  local i initial=()
  for i in 0 1 2; do initial+=("${ETCD_MEMBERS[$i]}=http://127.0.0.1:$(etcd_peer_port $i)"); done
  local IFS=,; local cluster="${initial[*]}"; unset IFS
  for i in 0 1 2; do
    local name=${ETCD_MEMBERS[$i]}
    alive "$name" && continue
    launch "$name" etcd --name "$name" --data-dir "$HA_DATA/$name" \
      --listen-client-urls "http://127.0.0.1:$(etcd_client_port $i)" \
      --advertise-client-urls "http://127.0.0.1:$(etcd_client_port $i)" \
      --listen-peer-urls "http://127.0.0.1:$(etcd_peer_port $i)" \
      --initial-advertise-peer-urls "http://127.0.0.1:$(etcd_peer_port $i)" \
      --initial-cluster "$cluster" --initial-cluster-token "flashsale-$HA_PORT" --initial-cluster-state new \
      --heartbeat-interval 100 --election-timeout 1000
  done
}

write_patroni_config() {
  local i=$1 name=${NODES[$1]} dir=$HA_DATA/${NODES[$1]}
  mkdir -p "$dir"
  "$HERE/render.sh" patroni "$name" 127.0.0.1 127.0.0.1 "$(rest_port "$i")" "$(pg_port "$i")" "$dir" \
    "$(etcd_hosts)" 127.0.0.1/32 "$HA_PORT" >"$dir/patroni.yml"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
  chmod 700 "$dir"
}

start_patroni() {
  local i
  for i in 0 1; do
    local name=${NODES[$i]}
    alive "$name" && continue
    write_patroni_config "$i"
    launch "$name" bash -c "$(declare -f as_postgres); as_postgres patroni '$HA_DATA/$name/patroni.yml'"
  done
}

start_haproxy() {
  alive haproxy && return
  local i servers=()
  for i in 0 1; do servers+=("${NODES[$i]} 127.0.0.1:$(pg_port "$i") check port $(rest_port "$i")"); done
  "$HERE/render.sh" haproxy 127.0.0.1 "$HA_PORT" "$((HA_PORT + 1))" "${servers[@]}" >"$HA_DATA/haproxy.cfg"
  launch haproxy haproxy -db -f "$HA_DATA/haproxy.cfg"
}

# The node's role as Patroni reports it: leader, sync_standby, replica, or down (its Patroni does not answer).
role_of() {
  local json
  json=$(curl -s --max-time 2 "http://127.0.0.1:$(rest_port "$1")/patroni" 2>/dev/null) || { echo down; return; }
  local role sync
  role=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("role",""))' 2>/dev/null) \
    || { echo down; return; }
  case "$role" in
    master|primary) echo leader ;;
    '') echo down ;;
    *) # a replica, or a node on its way to be one (demoted, starting)
      sync=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(rest_port "$1")/sync" || true)
      [ "$sync" = 200 ] && echo sync_standby || echo replica ;;
  esac
}

postgres_pid() {
  local pid
  pid=$(head -1 "$HA_DATA/${NODES[$1]}/data/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; else echo -; fi
}

status() {
  local i
  for i in 0 1; do
    local name=${NODES[$i]} patroni_pid
    patroni_pid=$(pid_of "$name")
    alive "$name" || patroni_pid=-
    echo "$name $(role_of "$i") ${patroni_pid:--} $(postgres_pid "$i")"
  done
}

psql_primary() {
  psql -X -q -A -t -h 127.0.0.1 -p "$HA_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"
}

wait_until_ready() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until psql_primary -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'flashsale'" 2>/dev/null | grep -q 1 \
      || psql_primary -d postgres -c "CREATE DATABASE flashsale" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "no primary took writes through 127.0.0.1:$HA_PORT in ${START_TIMEOUT}s; logs in $HA_DATA/log" >&2; exit 1; }
    sleep 0.5
  done
  # A write that commits: with a synchronous standby attached, only once the standby has it.
  until psql_primary -d flashsale -c "CREATE TEMP TABLE ha_probe AS SELECT 1 AS x" >/dev/null 2>&1 \
      && [[ "$(status)" == *" sync_standby "* ]]; do
    ((SECONDS < deadline)) || { echo "no synchronous standby in ${START_TIMEOUT}s; logs in $HA_DATA/log" >&2; status >&2; exit 1; }
    sleep 0.5
  done
}

start() {
  mkdir -p "$HA_DATA/run" "$HA_DATA/log"
  # Patroni runs as postgres: every folder above HA_DATA must let it through (not a checkout under /root, 0700).
  if [ "$(id -u)" -eq 0 ] && ! setpriv --reuid=postgres --regid=postgres --init-groups test -x "$HA_DATA"; then
    echo "user postgres cannot enter $HA_DATA: choose an HA_DATA whose parent folders it may enter" >&2
    exit 1
  fi
  start_etcd
  start_patroni
  start_haproxy
  wait_until_ready
  echo "HA cluster up: primary on 127.0.0.1:$HA_PORT, replica on 127.0.0.1:$((HA_PORT + 1)) (data and logs in $HA_DATA)"
  status
}

# Stops one recorded process (its whole session: Patroni's postgres with it) and waits for it to end.
stop_one() {
  local name=$1 pid
  pid=$(pid_of "$name")
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$HA_DATA/run/$name.pid"
}

stop_postgres() {
  local pid
  pid=$(postgres_pid "$1")
  [ "$pid" = - ] && return 0
  kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  mkdir -p "$HA_DATA/run"
  stop_one haproxy
  stop_one pg1 & stop_one pg2 & wait
  # A postmaster whose Patroni was killed (or never stopped it) outlives it: stop it too.
  stop_postgres 0; stop_postgres 1
  for name in "${ETCD_MEMBERS[@]}"; do stop_one "$name"; done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status   (HA_PORT=${HA_PORT}, HA_DATA=${HA_DATA})" >&2; exit 2 ;;
esac
