#!/usr/bin/env bash
# Live-web benchmark (issue 5): the dispatcher board's frame rate, long tasks and JS heap in headless Chromium with 0 and
# then N live couriers (the Courier CLI's `simulate` fleet, no orders: couriers wander in the zone and send a fix every
# 1–2 s), and the time from a courier's fix to the marker moving on the customer's tracking page (p50/p90/p99/max),
# with the server's default customer-push rate limit (1 per second per order) and with it at BENCH_FAST_PUSH_MS, all in
# one invocation; a Chromium trace of the loaded board says where its main thread's time goes. Not a test: it prints numbers and ends with a SUMMARY line. Stops what it started and drops its
# database on exit, also on failure.
#   BENCH_COURIERS (2000), BENCH_SECONDS (20, board window), BENCH_FIXES (100), BENCH_FIX_INTERVAL_MS (1000),
#   BENCH_FAST_PUSH_MS (100), BENCH_PORT (5095), BENCH_CONNECT_RATE (100 couriers/s),
#   BENCH_SERVICES_ENV (use running services from this env file instead of `infra/start.sh`)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
couriers="${BENCH_COURIERS:-2000}"
seconds="${BENCH_SECONDS:-20}"
fixes="${BENCH_FIXES:-100}"
interval="${BENCH_FIX_INTERVAL_MS:-1000}"
fast_push="${BENCH_FAST_PUSH_MS:-100}"
port="${BENCH_PORT:-5095}"
connect_rate="${BENCH_CONNECT_RATE:-100}"
url="http://127.0.0.1:$port"
db="dispatch_bench_web"
prefix="benchweb"
logs="$root/.data/log"
mkdir -p "$logs"
say() { printf '[bench-web] %s\n' "$*"; }
die() { printf '[bench-web] error: %s\n' "$*" >&2; exit 1; }

if [ -n "${BENCH_SERVICES_ENV:-}" ]; then
  [ -r "$BENCH_SERVICES_ENV" ] || die "BENCH_SERVICES_ENV=$BENCH_SERVICES_ENV is not readable"
  set -a; source "$BENCH_SERVICES_ENV"; set +a
else
  bash infra/start.sh >/dev/null
  set -a; source .data/services.env; set +a
fi
source infra/env.sh
[ -x "${DISPATCH_CHROMIUM:-/usr/bin/chromium}" ] || die "no chromium at ${DISPATCH_CHROMIUM:-/usr/bin/chromium}; install it with: bash infra/install.sh chromium"
redis_port="${ConnectionStrings__Redis##*:}"
export PGPASSWORD="$PG_PASSWORD"
psql_admin() { psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -qtAc "$1"; }
if port_in_use "$port"; then die "port $port is in use; set BENCH_PORT to a free one"; fi

server_pid=""
fleet_pid=""
stop_fleet() {
  if [ -n "$fleet_pid" ]; then
    kill -INT "$fleet_pid" 2>/dev/null || true  # the CLI stops cleanly on Ctrl-C (couriers go offline)
    for _ in $(seq 1 40); do kill -0 "$fleet_pid" 2>/dev/null || break; sleep 0.5; done
    kill "$fleet_pid" 2>/dev/null || true
    wait "$fleet_pid" 2>/dev/null || true
    fleet_pid=""
  fi
}
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  local status=$?
  stop_fleet
  stop_server
  psql_admin "drop database if exists $db with (force)" >/dev/null 2>&1 || say "could not drop database $db; drop it by hand"
  redis-cli -p "$redis_port" --scan --pattern "$prefix:*" | xargs -r -n 1000 redis-cli -p "$redis_port" DEL >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then
    say "FAILED (exit $status). Logs: $logs/bench-web-*.log (server, fleet, build). Database and Redis keys cleaned up."
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "web libraries and playwright-core (web/build.sh)"
bash web/build.sh
say "building Release (Dispatch.Server, Dispatch.Courier)"
for project in Dispatch.Server Dispatch.Courier; do
  nice -n 5 dotnet build "$project" -c Release -nologo > "$logs/bench-web-build.log" 2>&1 \
    || die "build of $project failed; see $logs/bench-web-build.log"
done

psql_admin "drop database if exists $db with (force)" >/dev/null
psql_admin "create database $db template template1" >/dev/null
say "database $db created (dropped again on exit)"

secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export Payments__CallbackSecret="$secret"
connection="${ConnectionStrings__Postgres/Database=dispatch;/Database=$db;}"

# start_server PUSH_MS: one server on $url with customer pushes at most one per PUSH_MS per order.
start_server() {
  say "starting server on $url, customer push rate limit $1 ms (log: $logs/bench-web-server.log)"
  ConnectionStrings__Postgres="$connection" ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    Dispatch__RedisPrefix="$prefix" Dispatch__TrackingPushMinIntervalMilliseconds="$1" \
    Auth__SigningKey="$secret" Auth__LinkSigningKey="$secret" Privacy__KeyEncryptionKey="$secret" Privacy__PhoneHashKey="$secret" \
    dotnet Dispatch.Server/bin/Release/net10.0/Dispatch.Server.dll --environment Development --urls "$url" \
    --contentRoot "$root/Dispatch.Server" >> "$logs/bench-web-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do curl -sf "$url/healthz" >/dev/null 2>&1 && return 0; kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
  die "server did not start; see $logs/bench-web-server.log"
}

results="$logs/bench-web-results.jsonl"
: > "$results"
: > "$logs/bench-web-server.log"
# phase NAME ARGS...: one run of web/bench-web.mjs; its RESULT line is kept, tagged with NAME.
phase() {
  local name="$1"; shift
  local out="$logs/bench-web-$name.log"
  node web/bench-web.mjs "$@" --server "$url" --label "$name" 2>&1 | tee "$out" | grep -v '^RESULT ' || true
  local line
  line=$(grep '^RESULT ' "$out" | tail -n1 | cut -c8-)
  [ -n "$line" ] || die "phase $name produced no result; see $out"
  jq -c --arg name "$name" '. + {phase: $name}' <<<"$line" >> "$results"
}

start_server 1000
say "1/5 board with 0 couriers, ${seconds} s (baseline)"
phase board-0 board --couriers 0 --seconds "$seconds"
say "2/5 fix → marker, default rate limit (1 push/s), idle server: $fixes fixes every $interval ms"
phase latency-default-idle latency --fixes "$fixes" --interval "$interval"

say "3/5 starting $couriers simulated couriers ($connect_rate/s, no orders; log: $logs/bench-web-fleet.log)"
dotnet Dispatch.Courier/bin/Release/net10.0/Dispatch.Courier.dll simulate --server "$url" --couriers "$couriers" \
  --orders-per-minute 0 --connections-per-second "$connect_rate" --prefix "$prefix" --seed 5 > "$logs/bench-web-fleet.log" 2>&1 &
fleet_pid=$!
say "    board with $couriers couriers, ${seconds} s"
phase "board-$couriers" board --couriers "$couriers" --seconds "$seconds" --trace "$logs/bench-web-trace.json"
kill -0 "$fleet_pid" 2>/dev/null || die "the fleet stopped early; see $logs/bench-web-fleet.log"
say "4/5 fix → marker, default rate limit, $couriers couriers live"
phase "latency-default-$couriers" latency --fixes "$fixes" --interval "$interval"
stop_fleet
stop_server

start_server "$fast_push"
say "5/5 fix → marker, rate limit $fast_push ms, idle server"
phase "latency-${fast_push}ms-idle" latency --fixes "$fixes" --interval "$interval"
stop_server

echo
say "results ($results):"
jq -r 'select(.mode=="board") | "RESULT board \(.phase): \(.couriersOnBoard) couriers on the board, \(.fps) fps, frame p50/p99/max \(.frameMs.p50)/\(.frameMs.p99)/\(.frameMs.max) ms, \(.framesOver50ms) frames > 50 ms, \(.longTasks) long tasks (\(.longTaskMsPerSecond) ms/s), \(.boardFramesPerSecond) board frames/s, JS heap \(.heapMiB.end) MiB (max \(.heapMiB.max)), main thread busy \(.mainThreadBusyPerSecond.task) s/s (script \(.mainThreadBusyPerSecond.script), layout \(.mainThreadBusyPerSecond.layout), style \(.mainThreadBusyPerSecond.style)) of which on a CPU \(.cpuPerSecond.mainThread) s/s, renderer process CPU \(.cpuPerSecond.rendererProcess) s/s, page errors \(.pageErrors)"' "$results"
jq -r 'select(.mode=="latency") | "RESULT latency \(.phase): \(.shown)/\(.fixes) fixes shown; fix→page p50/p90/p99/max \(.toPageMs.p50)/\(.toPageMs.p90)/\(.toPageMs.p99)/\(.toPageMs.max) ms; fix→marker moves \(.toMoveMs.p50)/\(.toMoveMs.p90)/\(.toMoveMs.p99)/\(.toMoveMs.max) ms; fix→marker reaches \(.toReachedMs.p50)/\(.toReachedMs.p90)/\(.toReachedMs.p99)/\(.toReachedMs.max) ms; SendFixes ack p50 \(.ackMs.p50) ms"' "$results"
summary=$(jq -rs --arg n "$couriers" '
  (map(select(.phase=="board-0"))[0]) as $b0 | (map(select(.phase=="board-"+$n))[0]) as $bn |
  (map(select(.phase=="latency-default-idle"))[0]) as $ld | (map(select(.phase=="latency-default-"+$n))[0]) as $ln |
  (map(select(.mode=="latency" and (.phase|endswith("ms-idle"))))[0]) as $lf |
  "board fps \($b0.fps) (0 couriers) → \($bn.fps) (\($bn.couriersOnBoard) couriers), ratio \(($bn.fps/$b0.fps*100|round)/100); heap \($b0.heapMiB.end) → \($bn.heapMiB.end) MiB; fix→marker moves p50/p99: default limit idle \($ld.toMoveMs.p50)/\($ld.toMoveMs.p99) ms, with \($n) couriers \($ln.toMoveMs.p50)/\($ln.toMoveMs.p99) ms, \($lf.phase|sub("latency-";"")|sub("-idle";"")) limit idle \($lf.toMoveMs.p50)/\($lf.toMoveMs.p99) ms"' "$results")
echo "SUMMARY $summary"
