#!/usr/bin/env bash
# Runs every test: the Java suites (each starts its own PostgreSQL), the SPA's unit tests, the browser tests in
# Debian's Chromium, and the HAProxy / Patroni / etcd tests on Debian's packages (installed here if missing; it needs
# root or sudo), and the container images built and run with podman (ComposeWithPodmanTest installs it through
# podman/images.sh if missing, as root). Needs a JDK and Node.js with npm.
set -euo pipefail
cd "$(dirname "$0")"
# Debian packages the system tests run for real: the browser, the balancer, and the HA database's parts.
packages=(chromium haproxy patroni etcd-server etcd-client postgresql-15)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
./mvnw -B verify "$@"
