#!/usr/bin/env bash
# What docker-compose.ha.yml's containers run, with this folder mounted at /etc/flashsale/ha (the same templates as
# ha/cluster.sh, filled in by ha/render.sh with the containers' names on the compose network):
#   container.sh patroni NAME      a PostgreSQL node: its patroni.yml rendered into /var/lib/postgresql/node (its
#                                  volume), then Patroni as user postgres (Debian's PostgreSQL refuses root)
#   container.sh haproxy           HAProxy's primary (5432) and replica (5433) frontends over pg1 and pg2
#   container.sh create-database   waits for a primary through HAProxy and creates database flashsale if missing
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
NODES=(pg1 pg2)
NODE_DIR=/var/lib/postgresql/node

case "${1:-}" in
  patroni)
    name=$2
    mkdir -p "$NODE_DIR"
    # Trusted: the compose network's own subnet (samenet), which only the project's containers and the published
    # 127.0.0.1 port reach.
    "$HERE/render.sh" patroni "$name" "$name" 0.0.0.0 8008 5432 "$NODE_DIR" etcd1:2379,etcd2:2379,etcd3:2379 \
      samenet 5432 >"$NODE_DIR/patroni.yml"
    chown -R postgres:postgres "$NODE_DIR"
    chmod 700 "$NODE_DIR"
    exec setpriv --reuid=postgres --regid=postgres --init-groups patroni "$NODE_DIR/patroni.yml"
    ;;
  haproxy)
    servers=()
    for node in "${NODES[@]}"; do
      # Found by name at run time (a node that restarts may come back on another address).
      servers+=("$node $node:5432 check port 8008 resolvers compose init-addr none resolve-prefer ipv4")
    done
    "$HERE/render.sh" haproxy 0.0.0.0 5432 5433 "${servers[@]}" >/tmp/haproxy.cfg
    exec haproxy -W -db -f /tmp/haproxy.cfg -f "$HERE/compose-resolvers.cfg"
    ;;
  create-database)
    until psql -X -q -A -t -h haproxy -p 5432 -U postgres -d postgres \
        -c "SELECT 1 FROM pg_database WHERE datname = 'flashsale'" 2>/dev/null | grep -q 1 \
        || psql -X -q -h haproxy -p 5432 -U postgres -d postgres -c "CREATE DATABASE flashsale" >/dev/null 2>&1; do
      sleep 1
    done
    echo "database flashsale is there"
    ;;
  *) echo "usage: $0 patroni NAME | haproxy | create-database" >&2; exit 2 ;;
esac
