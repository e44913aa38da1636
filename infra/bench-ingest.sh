#!/usr/bin/env bash
# Ingestion benchmark (issue 20): fixes written to Redis per second, measured where they land (each node's flushed-fix
# counter and Redis's own GEOADD count, read every second, not the hub's acknowledgements), with the location queues'
# bytes at the end of the load, against `redis-benchmark` GEOADD on the same Redis with the pipelining the server used
# (its mean GEOADD + SET + ZADD per flush, one connection) and with the classic 16-deep pipeline, in the same run.
# The load is the Courier app's `bench` (N couriers, WebSockets + MessagePack, batches of fixes back to back), run inside
# `Dispatch.Bench ingest`. Not a test: it prints numbers and ratios.
#   bash infra/bench-ingest.sh            one node, addressed directly
#   bash infra/bench-ingest.sh 1 2        one node, then two, each time behind HAProxy (infra/haproxy.sh, its own folder)
#   BENCH_COURIERS (5000), BENCH_SECONDS (20), BENCH_BATCH (10), BENCH_CONNECT_RATE (250), BENCH_PORT (5193: nodes on
#   5193, 5194, …; HAProxy on 5199)
set -euo pipefail
cd "$(dirname "$0")/.."
bench_name=bench-ingest
source infra/bench-scale-lib.sh
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1)
balanced=0
[ "${#counts[@]}" -gt 1 ] || [ "${counts[0]}" -gt 1 ] && balanced=1
couriers="${BENCH_COURIERS:-5000}"
seconds="${BENCH_SECONDS:-20}"
batch="${BENCH_BATCH:-10}"
connect_rate="${BENCH_CONNECT_RATE:-250}"
base_port="${BENCH_PORT:-5193}"
front=5199
db=dispatch_bench_ingest
prefix=benchingest
haproxy_dir="$DATA_DIR/bench-ingest"   # HAProxy's own config and pid: never the demo's
ulimit -n "$(ulimit -Hn)"
mkdir -p "$haproxy_dir/log"

pids=()
cleanup() {
  [ "$balanced" -eq 0 ] || DISPATCH_DATA_DIR="$haproxy_dir" bash infra/haproxy.sh stop >/dev/null 2>&1 || true
  bench_stop "${pids[@]}"
  bench_drop "$db"
  bench_clean_redis "$prefix"
  redis-cli -p "$bench_redis_port" DEL "$prefix:geo" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
bench_build
bench_drop "$db"
bench_psql "create database $db template template1" >/dev/null
say "database $db (dropped at the end); $(bench_load)"

results="$LOG_DIR/bench-ingest-results.txt"
: > "$results"
for n in "${counts[@]}"; do
  nodes=()
  for ((i = 0; i < n; i++)); do
    port=$((base_port + i))
    bench_server "$port" "$db" "$prefix" "$LOG_DIR/bench-ingest-node$((i + 1)).log"
    pids+=("$bench_server_pid")
    nodes+=("http://127.0.0.1:$port")
  done
  server="${nodes[0]}"
  if [ "$balanced" -eq 1 ]; then
    DISPATCH_DATA_DIR="$haproxy_dir" bash infra/haproxy.sh start "$front" $(seq "$base_port" $((base_port + n - 1))) >/dev/null
    server="http://127.0.0.1:$front"
  fi
  say "$n node(s), load through $server; $(bench_load)"
  dotnet Dispatch.Bench/bin/Release/net10.0/Dispatch.Bench.dll ingest --server "$server" --nodes "$(IFS=,; echo "${nodes[*]}")" \
    --redis "127.0.0.1:$bench_redis_port" --couriers "$couriers" --seconds "$seconds" --batch "$batch" --connect-rate "$connect_rate" \
    --label "$n-node" | tee "$LOG_DIR/bench-ingest-client-$n.log"
  grep '^INGEST ' "$LOG_DIR/bench-ingest-client-$n.log" | tail -n1 >> "$results"
  grep '^BENCH ' "$LOG_DIR/bench-ingest-client-$n.log" | tail -n1 | sed "s/^BENCH /ACKED nodes=$n /" >> "$results"
  [ "$balanced" -eq 0 ] || DISPATCH_DATA_DIR="$haproxy_dir" bash infra/haproxy.sh stop >/dev/null
  bench_stop "${pids[@]}"
  pids=()
  bench_clean_redis "$prefix"
done

field() { grep "^$1 " "$results" | grep " nodes=$2 " | tail -n1 | tr ' ' '\n' | sed -n "s/^$3=//p"; }
per_flush=$(field INGEST "${counts[0]}" geoadd_per_flush)
depth=$((per_flush * 3))
[ "$depth" -ge 1 ] || depth=16
geoadd() {
  redis-benchmark -h 127.0.0.1 -p "$bench_redis_port" -n "$1" -c "$2" -r 100000 -P "$3" -q \
    GEOADD "$prefix:geo" 7.42 43.73 member:__rand_int__ | tr '\r' '\n' | grep -Eo '[0-9.]+ requests per second' | tail -n1 | awk '{print int($1)}'
}
say "baseline: redis-benchmark GEOADD, one connection, $depth deep (the server's commands per flush); then 50 connections, 16 deep"
same=$(geoadd $((depth * 40 > 400000 ? depth * 40 : 400000)) 1 "$depth")
classic=$(geoadd 400000 50 16)
echo
for n in "${counts[@]}"; do
  fixes=$(field INGEST "$n" fixes_per_s)
  geo=$(field INGEST "$n" geoadd_per_s)
  echo "RESULT $n node(s): $fixes fixes/s written to Redis ($geo GEOADD/s, $(field INGEST "$n" geoadd_per_flush) per flush); acknowledged $(field ACKED "$n" fixes_per_second)/s, SendFixes p50 $(field ACKED "$n" p50_ms) ms p99 $(field ACKED "$n" p99_ms) ms; queues $(field INGEST "$n" queue_bytes_end) bytes at the end (max $(field INGEST "$n" queue_bytes_max)), shed $(field INGEST "$n" shed)"
  echo "RESULT $n node(s) ÷ redis-benchmark GEOADD at the same pipelining ($same/s): fixes $(awk -v a="$fixes" -v b="$same" 'BEGIN{printf "%.2f", a/b}'), GEOADDs $(awk -v a="$geo" -v b="$same" 'BEGIN{printf "%.2f", a/b}'); ÷ 50 connections P16 ($classic/s): fixes $(awk -v a="$fixes" -v b="$classic" 'BEGIN{printf "%.2f", a/b}')"
done
if [ "${#counts[@]}" -ge 2 ]; then
  echo "RESULT ${counts[1]} nodes ÷ ${counts[0]}: fixes written $(awk -v a="$(field INGEST "${counts[1]}" fixes_per_s)" -v b="$(field INGEST "${counts[0]}" fixes_per_s)" 'BEGIN{printf "%.2f", a/b}')"
fi
say "$(bench_load)"
