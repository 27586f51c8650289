#!/usr/bin/env bash
# The one place the ha/ templates are filled in, for ha/cluster.sh (processes on 127.0.0.1) and for
# docker-compose.ha.yml (containers found by name on the compose network). Prints the configuration:
#   ha/render.sh patroni NAME HOST LISTEN_HOST REST_PORT PG_PORT NODE_DIR ETCD_HOSTS CLIENTS HA_PORT
#       HOST is the address the others reach the node at, LISTEN_HOST the one it binds to, CLIENTS the pg_hba address
#       trusted for connections and replication, HA_PORT names the cluster (its etcd namespace).
#   ha/render.sh haproxy LISTEN_HOST HA_PORT REPLICA_PORT SERVER...
#       each SERVER is what follows `server` on a line, e.g. "pg1 127.0.0.1:5450 check port 5460"; every node is
#       a server of both frontends (Patroni's /primary and /replica checks pick).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

case "${1:-}" in
  patroni)
    [ $# -eq 10 ] || { echo "usage: $0 patroni NAME HOST LISTEN_HOST REST_PORT PG_PORT NODE_DIR ETCD_HOSTS CLIENTS HA_PORT" >&2; exit 2; }
    sed -e "s|@HA_PORT@|${10}|g" -e "s|@NAME@|$2|g" -e "s|@HOST@|$3|g" -e "s|@LISTEN_HOST@|$4|g" \
      -e "s|@REST_PORT@|$5|g" -e "s|@PG_PORT@|$6|g" -e "s|@NODE_DIR@|$7|g" -e "s|@ETCD_HOSTS@|$8|g" \
      -e "s|@CLIENTS@|$9|g" "$HERE/patroni.yml.in"
    ;;
  haproxy)
    [ $# -ge 5 ] || { echo "usage: $0 haproxy LISTEN_HOST HA_PORT REPLICA_PORT SERVER..." >&2; exit 2; }
    listen=$2 primary_port=$3 replica_port=$4
    shift 4
    servers=""
    for server in "$@"; do servers+="    server $server"$'\n'; done
    awk -v host="$listen" -v ha="$primary_port" -v rep="$replica_port" -v s="$servers" '
      { gsub(/@LISTEN_HOST@/, host); gsub(/@HA_PORT@/, ha); gsub(/@REPLICA_PORT@/, rep) }
      /^@PRIMARY_SERVERS@$/ || /^@REPLICA_SERVERS@$/ { printf "%s", s; next }
      { print }' "$HERE/haproxy.cfg.in"
    ;;
  *) echo "usage: $0 patroni … | haproxy …" >&2; exit 2 ;;
esac
