#!/usr/bin/env bash
# Batch tick benchmark: full BatchRound.RunAsync rounds as production runs them (waiting orders, candidates from Redis,
# costs, the assignment, offers and their explanations written; no VACUUM between rounds; a started server whose outbox
# relay pushes the offers to C real SignalR courier connections, timed to the last one received) with N waiting orders and M online couriers over Monaco, on a scratch
# database and Redis prefix (both removed at the end), next to two floors measured in the same invocation: the round's
# Core work alone (CandidateRanker.Rank + BatchMatcher.MatchRanked) and one pipelined GEOSEARCH per order + one MGET. Not a test: it prints numbers.
#   bash infra/bench-batch.sh [orders] [couriers] [rounds] [connected]   defaults 1000 5000 100 500 (p99 of 100 rounds is the 99th,
#                                                                         not the slowest; the couriers not connected are stored only)
#   BENCH_CPU_HOGS=2 bash infra/bench-batch.sh                   the same beside N busy loops (a noisy neighbour: with 2 on
#                                                                2 cores the round gets about half of each), stopped at the end
#   BENCH_AB=1 bash infra/bench-batch.sh 1000 5000 200          rounds take turns among the four settings of
#                                                                Dispatch:CollectBeforeBatchRound x BatchWriteSplitFrom (0/200), each reported
#   BENCH_AB=after bash infra/bench-batch.sh 1000 5000 160     rounds take turns (blocks of 4) without and with the gen-0 collection between
#                                                                rounds (Dispatch:CollectBetweenBatchRounds), each reported
#   BENCH_AB=drain bash infra/bench-batch.sh 1000 5000 160     rounds take turns without and with waiting (untimed) for the outbox relay to
#                                                                finish the last round's events, as it has in production (rounds 5 s apart);
#                                                                BENCH_DRAIN=1 waits before every round
#   BENCH_KEEP_DB=1                                              keep the scratch database afterwards (its name is printed)
# Each round also prints the write-ahead log it wrote and PostgreSQL's CPU for it (every process of the cluster, from /proc;
# in 10 ms ticks): work per round that a shared machine's load does not bend, unlike the wall clock.
# Uses the services named by ConnectionStrings__Postgres / ConnectionStrings__Redis when both are set; otherwise starts
# this checkout's own (infra/start.sh) and reads .data/services.env.
set -euo pipefail
cd "$(dirname "$0")/.."
orders="${1:-1000}"
couriers="${2:-5000}"
rounds="${3:-100}"
hogs="${BENCH_CPU_HOGS:-0}"
[[ "$hogs" =~ ^[0-9]+$ ]] || { echo "[bench-batch] error: BENCH_CPU_HOGS must be a whole number of busy loops, not '$hogs'" >&2; exit 2; }

if [ -z "${ConnectionStrings__Postgres:-}" ] || [ -z "${ConnectionStrings__Redis:-}" ]; then
  bash infra/start.sh >/dev/null
  set -a; source .data/services.env; set +a
fi
source infra/env.sh
mkdir -p "$LOG_DIR"

echo "[bench-batch] building Release"
dotnet build Dispatch.Bench -c Release -nologo > "$LOG_DIR/bench-batch-build.log" 2>&1 \
  || die "build failed; see $LOG_DIR/bench-batch-build.log"

hog_pids=()
stop_hogs() { [ ${#hog_pids[@]} -eq 0 ] || kill "${hog_pids[@]}" 2>/dev/null || true; }
trap stop_hogs EXIT
for ((i = 0; i < hogs; i++)); do
  # A plain busy loop at normal priority: the scheduler shares each core between it and the bench.
  ( while :; do :; done ) &
  hog_pids+=($!)
done
[ "$hogs" -eq 0 ] || echo "[bench-batch] $hogs busy loop(s) running beside the bench (BENCH_CPU_HOGS)"
dotnet run --project Dispatch.Bench -c Release --no-build --no-launch-profile -- batch "$orders" "$couriers" "$rounds" "${4:-500}"
