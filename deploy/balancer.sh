#!/usr/bin/env bash
# HAProxy with deploy/haproxy.cfg on 127.0.0.1:PORT in front of inventory-service instances.
#
#   deploy/balancer.sh start PORT BACKEND...   BACKEND is host:port (the instance's HTTP port), optionally
#                                              host:port@managementPort: where its /q/health/ready is (default 9000)
#   deploy/balancer.sh stop PORT
#
# start returns once the balancer accepts connections (it does not wait for an instance to be ready); stop returns
# once it is gone. The per-address limits and the rest come from BALANCER_* variables (deploy/haproxy.cfg's header,
# README). Its pid file and server list are in $BALANCER_RUN_DIR (default: $TMPDIR/flashsale-balancer).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
run_dir=${BALANCER_RUN_DIR:-${TMPDIR:-/tmp}/flashsale-balancer}

usage() {
    echo "usage: $0 start PORT BACKEND... | stop PORT   (BACKEND: host:port[@managementPort])" >&2
    exit 2
}

valid_port() {
    [[ $1 =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 65535 ))
}

accepts() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    local port=$1; shift
    valid_port "$port" && (( $# > 0 )) || usage
    command -v haproxy >/dev/null || { echo "haproxy is not installed (apt-get install haproxy)" >&2; exit 1; }
    mkdir -p "$run_dir"
    local pidfile="$run_dir/$port.pid" servers="$run_dir/$port.servers.cfg"
    if [[ -s $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "a balancer already runs on port $port (pid $(cat "$pidfile"))" >&2
        exit 1
    fi
    {
        echo "backend instances"
        local i=0 backend address check
        for backend in "$@"; do
            i=$((i + 1))
            address=${backend%@*}
            check=""
            if [[ $backend == *@* ]]; then
                valid_port "${backend##*@}" || usage
                check=" port ${backend##*@}"
            fi
            [[ $address =~ ^[^:[:space:]]+:[0-9]+$ ]] && valid_port "${address##*:}" || usage
            echo "    server instance$i $address$check"
        done
    } >"$servers"
    BALANCER_BIND="127.0.0.1:$port" haproxy -q -D -p "$pidfile" -f "$here/haproxy.cfg" -f "$servers"
    for _ in $(seq 100); do
        accepts "$port" && return 0
        sleep 0.1
    done
    echo "the balancer did not accept connections on port $port within 10 s" >&2
    stop "$port"
    exit 1
}

stop() {
    local port=$1
    valid_port "$port" || usage
    local pidfile="$run_dir/$port.pid"
    [[ -s $pidfile ]] || return 0
    local pid
    pid=$(cat "$pidfile")
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$pidfile" "$run_dir/$port.servers.cfg"
}

case ${1:-} in
    start) shift; (( $# >= 2 )) || usage; start "$@" ;;
    stop) (( $# == 2 )) || usage; stop "$2" ;;
    *) usage ;;
esac
