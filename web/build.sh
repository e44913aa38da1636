#!/usr/bin/env bash
# Fetches the browser libraries of the live pages from npm (pinned by package-lock.json) and copies the files the
# pages load into Dispatch.Server/wwwroot/lib, so nothing comes from a CDN at run time. Idempotent: npm runs only
# when the lock file changed, and files are copied only when they differ.
set -euo pipefail
web="$(cd "$(dirname "$0")" && pwd)"
lib="$web/../Dispatch.Server/wwwroot/lib"

if ! command -v npm >/dev/null; then
  # A fresh Debian 12 has no Node.js; Debian's own packages are enough to fetch and copy the libraries.
  echo "[web] npm not found; installing Debian's nodejs and npm"
  bash "$web/../infra/install.sh" nodejs npm
fi

stamp="$web/node_modules/.dispatch-lock.sha256"
want="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[web] npm ci (web/package-lock.json)"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

mkdir -p "$lib/images"
copy() { cmp -s "$1" "$2" || cp "$1" "$2"; }
copy "$web/node_modules/@microsoft/signalr/dist/browser/signalr.min.js" "$lib/signalr.min.js"
copy "$web/node_modules/leaflet/dist/leaflet.js" "$lib/leaflet.js"
copy "$web/node_modules/leaflet/dist/leaflet.css" "$lib/leaflet.css"
copy "$web/node_modules/chart.js/dist/chart.umd.min.js" "$lib/chart.umd.min.js"
copy "$web/node_modules/qrcode-generator/dist/qrcode.mjs" "$lib/qrcode.mjs"
for image in "$web"/node_modules/leaflet/dist/images/*.png; do copy "$image" "$lib/images/$(basename "$image")"; done
