#!/usr/bin/env bash
# Sets everything up and runs the demo: PostgreSQL+PostGIS+pgRouting and Redis, the Dispatch server,
# and a simulated fleet with an order stream. Runs until Ctrl-C. Safe to run again.
#   DISPATCH_PORT (default 5080), DEMO_COURIERS (default 60), DEMO_ORDERS_PER_MINUTE (default 6)
#   DISPATCH_NODES=N (default 1): N server nodes on the next ports (5081, 5082, …) behind HAProxy on DISPATCH_PORT
set -euo pipefail
cd "$(dirname "$0")"
port="${DISPATCH_PORT:-5080}"
couriers="${DEMO_COURIERS:-60}"
rate="${DEMO_ORDERS_PER_MINUTE:-6}"
url="http://127.0.0.1:$port"
nodes="${DISPATCH_NODES:-1}"
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || { echo "[demo] DISPATCH_NODES must be a whole number from 1, not '$nodes'"; exit 1; }
# One node listens on the demo's port itself; several listen on the ports after it, behind HAProxy (infra/haproxy.sh).
node_ports=("$port")
[ "$nodes" -gt 1 ] && node_ports=($(seq $((port + 1)) $((port + nodes))))

bash infra/start.sh
set -a; source .data/services.env; set +a

# Real streets for routes and ETAs: Monaco's OpenStreetMap network, imported once (infra/import-osm.sh);
# again when an older import lacks the road classes the vehicle profiles need.
monaco_osm="../shared/data/osm/graphhopper-monaco.osm.gz"
source infra/env.sh
if [ "$(PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -qtAc "select count(*) > 0 from information_schema.columns where table_schema = 'roads_monaco' and table_name = 'ways' and column_name = 'highway'")" != "t" ]; then
  if [ -r "$monaco_osm" ]; then
    bash infra/import-osm.sh monaco "$monaco_osm"
  else
    # No extract here: a generated street grid over the demo zone (see appsettings.json) keeps the demo running.
    bash infra/import-osm.sh monaco grid:43.722,7.405,43.752,7.44,150
  fi
fi

# Secrets are made once per machine and kept in the git-ignored .data folder; never committed. A secret added by a later
# version is appended to an existing file (the privacy keys open the stored names, phones and PINs: never lose them).
umask 077
for secret in Auth__SigningKey Auth__LinkSigningKey Payments__CallbackSecret Privacy__KeyEncryptionKey Privacy__PhoneHashKey; do
  if ! grep -q "^$secret=" .data/secrets.env 2>/dev/null; then
    echo "$secret='$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')'" >> .data/secrets.env
  fi
done
umask 022
set -a; source .data/secrets.env; set +a

bash web/build.sh
echo "[demo] building (log: .data/log/build.log)"
if ! dotnet build Dispatch.sln -c Release -nologo > .data/log/build.log 2>&1; then
  grep -E "error" .data/log/build.log | sort -u | head -n 20
  echo "[demo] build failed; see .data/log/build.log"
  exit 1
fi

for p in "$port" "${node_ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "[demo] port $p is already in use (an earlier demo still running?). Stop it, or run with DISPATCH_PORT=6080 ./run.sh"
    exit 1
  fi
done

server_pids=()
sim_pid=""
cleanup() {
  trap - EXIT
  # A second Ctrl-C (or timeout's signal to the whole process group, which reaches this script twice) must not cut the
  # clean-up short and leave the server running.
  trap '' INT TERM
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  [ "$nodes" -gt 1 ] && bash infra/haproxy.sh stop || true
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${server_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "[demo] server stopped. PostgreSQL and Redis keep running; stop them with: bash infra/stop.sh"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One node after the other: the first applies the migrations before the next starts.
for i in "${!node_ports[@]}"; do
  node_url="http://127.0.0.1:${node_ports[$i]}"
  log=".data/log/server.log"; [ "$nodes" -gt 1 ] && log=".data/log/server-$((i + 1)).log"
  echo "[demo] starting server on $node_url (log: $log)"
  ASPNETCORE_ENVIRONMENT=Development dotnet Dispatch.Server/bin/Release/net10.0/Dispatch.Server.dll \
    --urls "$node_url" --contentRoot "$PWD/Dispatch.Server" > "$log" 2>&1 &
  server_pids+=($!)
  for _ in $(seq 1 120); do
    curl -sf "$node_url/healthz" >/dev/null 2>&1 && break
    kill -0 "${server_pids[$i]}" 2>/dev/null || { tail -n 30 "$log"; echo "[demo] server exited; see $log"; exit 1; }
    sleep 0.5
  done
  curl -sf "$node_url/healthz" >/dev/null || { echo "[demo] server did not answer on $node_url within 60 s; see $log"; exit 1; }
done
if [ "$nodes" -gt 1 ]; then
  bash infra/haproxy.sh start "$port" "${node_ports[@]}"
  for _ in $(seq 1 40); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.25; done
  curl -sf "$url/healthz" >/dev/null || { echo "[demo] HAProxy did not answer on $url; see .data/log/haproxy.log"; exit 1; }
fi

# Prometheus scraping the node(s); the demo goes on without it if it cannot start.
prometheus_line="$(bash infra/prometheus.sh "${node_ports[@]}" 2>&1 | tail -n 1)" || prometheus_line="Prometheus not started: $prometheus_line"

# Demo accounts (admin, dispatcher, merchant shop-1, courier demo-0001) through the same code as create-admin; new passwords each run.
accounts="$(ASPNETCORE_ENVIRONMENT=Development dotnet Dispatch.Server/bin/Release/net10.0/Dispatch.Server.dll demo-accounts --contentRoot "$PWD/Dispatch.Server")" \
  || { echo "$accounts"; echo "[demo] could not create the demo accounts"; exit 1; }

cat <<INFO

  Dispatch is running.
    Server            $url/
    Zones             $url/api/zones
    Courier hub       $url/hubs/courier   (SignalR, MessagePack or JSON)
    Tracking hub      $url/hubs/tracking  (customer tracking token)
    Server log        .data/log/server.log$([ "$nodes" -gt 1 ] && printf '\n    Nodes             %s behind HAProxy on %s (logs .data/log/server-N.log)' "${node_ports[*]}" "$url")
    Metrics           ${prometheus_line#\[infra\] }

  Sign in on $url/board/ (dispatcher, admin) or $url/runner/ (courier-1) with:
$(echo "$accounts" | sed 's/^/    /')

  Starting $couriers simulated couriers and $rate orders per minute; a customer tracking link follows.
  Ctrl-C stops the demo.

INFO

# In the background with a wait, so Ctrl-C or a kill of this script stops everything at once.
dotnet Dispatch.Courier/bin/Release/net10.0/Dispatch.Courier.dll simulate \
  --server "$url" --couriers "$couriers" --orders-per-minute "$rate" --payment-secret "$Payments__CallbackSecret" \
  --pins .data/demo-pins.txt &
sim_pid=$!
wait "$sim_pid"
