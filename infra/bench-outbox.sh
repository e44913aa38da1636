#!/usr/bin/env bash
# Outbox benchmark (issue 17): the server in-process on a scratch database and Redis prefix (both removed at the end), a
# merchant webhook endpoint in the same process registered through POST /api/webhooks, and in one run: (i) the baseline,
# bare INSERT of the same outbox rows in transactions of the same size; (ii) throughput through the relay, the webhook
# consumer and sender to the endpoint; (iii) latency at a steady rate, commit to arrival. Not a test: it prints numbers.
#   bash infra/bench-outbox.sh [--events 20000] [--per-transaction 50] [--writers 4] [--rate 1000] [--seconds 20]
#                              [--relay-batch 500] [--relay-workers 2] [--webhook-parallelism 64] [--webhook-batch 500]
#                              [--warm-up 200000]
# BENCH_JIT_NAMES=1 lists the methods the JIT compiled during the throughput phase.
# Uses the services named by ConnectionStrings__Postgres / ConnectionStrings__Redis when both are set; otherwise starts
# this checkout's own (infra/start.sh) and reads .data/services.env.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${ConnectionStrings__Postgres:-}" ] || [ -z "${ConnectionStrings__Redis:-}" ]; then
  bash infra/start.sh >/dev/null
  set -a; source .data/services.env; set +a
fi
export ConnectionStrings__Postgres ConnectionStrings__Redis
source infra/env.sh
mkdir -p "$LOG_DIR"

echo "[bench-outbox] building Release"
dotnet build Dispatch.Bench -c Release -nologo > "$LOG_DIR/bench-outbox-build.log" 2>&1 \
  || die "build failed; see $LOG_DIR/bench-outbox-build.log"
dotnet run --project Dispatch.Bench -c Release --no-build -- outbox "$@"
