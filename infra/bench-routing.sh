#!/usr/bin/env bash
# Routing benchmark on a real road network (default: Monaco from ../shared/data/osm, imported into a scratch database):
# a 20×20 travel-time matrix from the in-memory graph ÷ whole-graph pgr_dijkstraCost, and routes per second on accept
# next to bare whole-graph pgr_dijkstra, both in the same invocation. Not a test: it prints numbers and ratios.
#   bash infra/bench-routing.sh [vehicle]     vehicle: walking | bicycle | eBike | scooter (default) | car
set -euo pipefail
cd "$(dirname "$0")/.."
vehicle="${1:-scooter}"
extract="${BENCH_EXTRACT:-../shared/data/osm/graphhopper-monaco.osm.gz}"
db="dispatch_bench_routing"

bash infra/start.sh >/dev/null
source infra/env.sh
set -a; source .data/services.env; set +a
[ -r "$extract" ] || die "no extract at $extract; set BENCH_EXTRACT to an OSM extract (or import one: infra/import-osm.sh)"

export PGPASSWORD="$PG_PASSWORD"
if [ "$(psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qtAc "select 1 from pg_database where datname = '$db'")" != "1" ]; then
  psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "create database $db template template1"
fi
DISPATCH_PG_DB="$db" bash infra/import-osm.sh monaco "$extract"

echo "[bench-routing] building Release"
dotnet build Dispatch.Server -c Release -nologo > .data/log/bench-routing-build.log 2>&1 \
  || die "build failed; see .data/log/bench-routing-build.log"
ConnectionStrings__Postgres="${ConnectionStrings__Postgres/Database=dispatch;/Database=$db;}" \
  dotnet run --project Dispatch.Server -c Release --no-build -- bench-routing monaco "$vehicle"
