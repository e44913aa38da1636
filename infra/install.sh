#!/usr/bin/env bash
# Installs the Debian packages Dispatch needs, only those that are missing. Idempotent.
set -euo pipefail
source "$(dirname "$0")/env.sh"

packages=(postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting osm2pgrouting osmium-tool redis-server redis-tools curl ca-certificates chromium haproxy)
missing=()
for p in "${packages[@]}" "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  log "packages present: ${packages[*]} $*"
  exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found; install ${missing[*]} by hand (Debian 12 expected)"
log "installing: ${missing[*]}"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian package starts a cluster and a redis-server of its own on the default ports; we use our own on other ports.
log "installed: ${missing[*]}"
