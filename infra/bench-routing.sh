#!/usr/bin/env bash
# Routing benchmark on a real road network (default: Monaco from ../shared/data/osm, imported into a scratch database):
# a 20×20 travel-time matrix from the in-memory graph ÷ whole-graph pgr_dijkstraCost, and routes per second on accept
# next to bare whole-graph pgr_dijkstra, both in the same invocation. Not a test: it prints numbers and ratios.
# The headline is the cold matrix (no cached trees) beside the warm one; then the same on a generated street grid of
# over 100,000 edges (zone benchgrid in the same scratch database), where pgRouting's fixed overhead no longer hides its work.
#   bash infra/bench-routing.sh [vehicle]     vehicle: walking | bicycle | eBike | scooter (default) | car
#   BENCH_GRID=minLat,minLon,maxLat,maxLon,spacing   the generated grid (default 43.7,7.3,43.8035,7.44,50: 231 × 226
#                                                    crossings 50 m apart, 103,955 edges, every pair within the graph's
#                                                    2-hour search bound); BENCH_GRID= (empty) for Monaco only
# Runs infra/start.sh: with DISPATCH_DATA_DIR / DISPATCH_PG_PORT / DISPATCH_REDIS_PORT it starts (or finds) those services.
set -euo pipefail
cd "$(dirname "$0")/.."
vehicle="${1:-scooter}"
extract="${BENCH_EXTRACT:-../shared/data/osm/graphhopper-monaco.osm.gz}"
db="dispatch_bench_routing"
grid="${BENCH_GRID-43.7,7.3,43.8035,7.44,50}"

bash infra/start.sh >/dev/null
source infra/env.sh
set -a; source "$DATA_DIR/services.env"; set +a
[ -r "$extract" ] || die "no extract at $extract; set BENCH_EXTRACT to an OSM extract (or import one: infra/import-osm.sh)"

export PGPASSWORD="$PG_PASSWORD"
if [ "$(psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qtAc "select 1 from pg_database where datname = '$db'")" != "1" ]; then
  psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "create database $db template template1"
fi
DISPATCH_PG_DB="$db" bash infra/import-osm.sh monaco "$extract"
[ -z "$grid" ] || DISPATCH_PG_DB="$db" bash infra/import-osm.sh benchgrid "grid:$grid"

echo "[bench-routing] building Release"
dotnet build Dispatch.Bench -c Release -nologo > "$LOG_DIR/bench-routing-build.log" 2>&1 \
  || die "build failed; see $LOG_DIR/bench-routing-build.log"
for zone in monaco ${grid:+benchgrid}; do
  ConnectionStrings__Postgres="${ConnectionStrings__Postgres/Database=dispatch;/Database=$db;}" \
    dotnet run --project Dispatch.Bench -c Release --no-build -- routing "$zone" "$vehicle"
done
