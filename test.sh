#!/usr/bin/env bash
# Runs every test: the Java suites (each starts its own PostgreSQL), the SPA's unit tests, and the browser tests in
# Debian's Chromium (installed here if missing; it needs root or sudo), and the container images built and run with
# podman (ComposeWithPodmanTest installs it through podman/images.sh if missing, as root). Needs a JDK and Node.js
# with npm.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
./mvnw -B verify "$@"
