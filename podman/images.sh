#!/usr/bin/env bash
# Prepares podman on a machine without an image registry: the podman settings this kind of machine needs, and the
# base images made from Debian packages (built once, then reused while podman's image store keeps them):
#   localhost/flashsale/jre:17         Debian bookworm with openjdk-17-jre-headless, ca-certificates and curl
#   localhost/flashsale/postgres:15    Debian bookworm's PostgreSQL with an entrypoint honouring POSTGRES_DB/_USER/_PASSWORD
#   localhost/flashsale/haproxy:2.6    Debian bookworm's HAProxy (the compose file's balancer)
#   localhost/flashsale/patroni:15     Debian bookworm's Patroni with PostgreSQL 15 (docker-compose.ha.yml's nodes)
#   localhost/flashsale/etcd:3.4       Debian bookworm's etcd server and etcdctl (docker-compose.ha.yml's DCS)
# Needs root, podman, podman-compose and mmdebstrap (installed here if missing). Afterwards:
#   export CONTAINERS_CONF=${FLASHSALE_PODMAN_DIR:-~/.cache/flashsale-images}/containers.conf
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${FLASHSALE_PODMAN_DIR:-$HOME/.cache/flashsale-images}"
mkdir -p "$dir"

if ! command -v podman >/dev/null || ! command -v podman-compose >/dev/null || ! command -v mmdebstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman podman-compose mmdebstrap runc >/dev/null
fi

# crun refuses hybrid cgroups, and podman's default rlimits are above this machine's hard limits. runc is refused an
# nproc above 32768 even where `ulimit -Hu` is higher (podman's conmon runs with 32768), hence the cap.
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
[ "$nofile" = unlimited ] && nofile=1048576
cat > "$dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$dir/containers.conf"

# Builds image $1 from Debian packages $2 with podman import's changes $3..., unless it exists.
debian_image() {
  local image="$1" packages="$2"
  shift 2
  podman image exists "$image" && return
  local tar="$dir/rootfs.tar"
  mmdebstrap --quiet --variant=apt --include="$packages" \
    --customize-hook='chroot "$1" apt-get clean' --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
    bookworm "$tar"
  local changes=()
  for change in "$@"; do changes+=(--change "$change"); done
  podman import --quiet "${changes[@]}" "$tar" "$image" >/dev/null
  rm -f "$tar"
}

debian_image localhost/flashsale/jre:17 openjdk-17-jre-headless,ca-certificates,curl
debian_image localhost/flashsale/haproxy:2.6 haproxy
debian_image localhost/flashsale/debian-postgresql:15 postgresql-15,postgresql-client-15 \
  "ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
debian_image localhost/flashsale/patroni:15 patroni,python3-etcd,postgresql-15,postgresql-client-15,curl \
  "ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
debian_image localhost/flashsale/etcd:3.4 etcd-server,etcd-client
if ! podman image exists localhost/flashsale/postgres:15; then
  podman build --quiet -t localhost/flashsale/postgres:15 "$here/postgres" >/dev/null
fi
