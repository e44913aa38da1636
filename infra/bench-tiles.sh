#!/usr/bin/env bash
# Street tile benchmark (issue 22): every vector tile over a zone's box at zooms 14..18 through the server's StreetTiles,
# cold (cut by PostGIS with ST_AsMVT), from Redis (a fresh node) and from memory; ms per tile. Read-only on the database,
# which must hold the zone's network (infra/import-osm.sh); its own Redis prefix, deleted at the end. No HTTP.
#   bash infra/bench-tiles.sh [--zone monaco] [--min-zoom 14] [--max-zoom 18]
# Uses ConnectionStrings__Postgres / ConnectionStrings__Redis when set; otherwise this checkout's .data/services.env.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ConnectionStrings__Postgres:-}" ] || [ -z "${ConnectionStrings__Redis:-}" ]; then
  set -a; source .data/services.env; set +a
fi
export ConnectionStrings__Postgres ConnectionStrings__Redis
source infra/env.sh
mkdir -p "$LOG_DIR"
echo "[bench-tiles] building Release"
dotnet build Dispatch.Bench -c Release -nologo > "$LOG_DIR/bench-tiles-build.log" 2>&1 || die "build failed; see $LOG_DIR/bench-tiles-build.log"
dotnet run --project Dispatch.Bench -c Release --no-build -- tiles "$@"
