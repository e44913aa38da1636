#!/usr/bin/env bash
# Report query benchmark (issue 22): a simulated year of daily statistics roll-ups for several zones in a scratch database
# (created beside the configured one, migrated, dropped at the end), then the report query over the whole year and every
# zone as GET /api/reports runs it, with its JSON; ms per report. No HTTP.
#   bash infra/bench-reports.sh [--zones 20] [--days 366] [--runs 20]
# Uses ConnectionStrings__Postgres when set; otherwise this checkout's .data/services.env.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  set -a; source .data/services.env; set +a
fi
export ConnectionStrings__Postgres
source infra/env.sh
mkdir -p "$LOG_DIR"
echo "[bench-reports] building Release"
dotnet build Dispatch.Bench -c Release -nologo > "$LOG_DIR/bench-reports-build.log" 2>&1 || die "build failed; see $LOG_DIR/bench-reports-build.log"
dotnet run --project Dispatch.Bench -c Release --no-build -- reports "$@"
