#!/usr/bin/env bash
# Batch tick benchmark: full DispatchCoordinator.DispatchBatchAsync rounds (waiting orders, candidates from Redis, costs,
# the assignment, offers written and pushed) with N waiting orders and M online couriers over Monaco, on a scratch
# database and Redis prefix (both removed at the end), next to two floors measured in the same invocation: the round's
# Core work alone (CandidateRanker.Rank + BatchMatcher.MatchRanked) and one pipelined GEOSEARCH per order + one MGET. Not a test: it prints numbers.
#   bash infra/bench-batch.sh [orders] [couriers] [rounds]      defaults 1000 5000 100 (p99 of 100 rounds is the 99th, not the slowest)
# Uses the services named by ConnectionStrings__Postgres / ConnectionStrings__Redis when both are set; otherwise starts
# this checkout's own (infra/start.sh) and reads .data/services.env.
set -euo pipefail
cd "$(dirname "$0")/.."
orders="${1:-1000}"
couriers="${2:-5000}"
rounds="${3:-100}"

if [ -z "${ConnectionStrings__Postgres:-}" ] || [ -z "${ConnectionStrings__Redis:-}" ]; then
  bash infra/start.sh >/dev/null
  set -a; source .data/services.env; set +a
fi
source infra/env.sh
mkdir -p "$LOG_DIR"

echo "[bench-batch] building Release"
dotnet build Dispatch.Server -c Release -nologo > "$LOG_DIR/bench-batch-build.log" 2>&1 \
  || die "build failed; see $LOG_DIR/bench-batch-build.log"
dotnet run --project Dispatch.Server -c Release --no-build --no-launch-profile -- bench-batch "$orders" "$couriers" "$rounds"
