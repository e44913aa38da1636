#!/usr/bin/env bash
# Connections benchmark (issue 20): how many idle courier connections one server node holds, and its memory per idle
# connection against a bare Kestrel WebSocket endpoint measured the same way in the same run. `Dispatch.Bench connections`
# opens N raw SignalR WebSockets (JSON protocol, no negotiate, each with its own courier token) from 127.0.0.2… so the
# ephemeral ports last, keeps them alive with pings, and reads the server's resident set (/proc) and managed heap
# (/metrics) before and after. The same client first holds N connections to `Dispatch.Bench bare-ws` (a WebApplication
# with one WebSocket endpoint that answers the handshake and reads). Not a test: it prints numbers and the ratio.
#   BENCH_CONNECTIONS (19000), BENCH_SOURCES (4 source addresses), BENCH_PORT (5191), BENCH_BARE_PORT (5192)
# The open-file limit is raised to the hard limit; each side needs one descriptor per connection plus a few hundred.
set -euo pipefail
cd "$(dirname "$0")/.."
bench_name=bench-connections
source infra/bench-scale-lib.sh
connections="${BENCH_CONNECTIONS:-19000}"
sources="${BENCH_SOURCES:-4}"
port="${BENCH_PORT:-5191}"
bare_port="${BENCH_BARE_PORT:-5192}"
db=dispatch_bench_connections
prefix=benchconn
log="$LOG_DIR/bench-connections-server.log"

# Both processes with the runtime's default gen-0 budget (not env.sh's 64 MB): the heap after the last collection then trails
# the live heap by a few MB at most, not by up to 64 MB a heap.
unset DOTNET_GCgen0size
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((connections + 300)) ] \
  || die "the open-file limit is $(ulimit -n) (hard $(ulimit -Hn)): too low for $connections connections; lower BENCH_CONNECTIONS or raise the hard limit"
say "open-file limit $(ulimit -n); $(bench_load)"

server_pid=""
bare_pid=""
cleanup() {
  bench_stop "$server_pid" "$bare_pid"
  bench_drop "$db"
  bench_clean_redis "$prefix"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
bench_build
: > "$log"
client() { dotnet Dispatch.Bench/bin/Release/net10.0/Dispatch.Bench.dll connections --connections "$connections" --sources "$sources" "$@"; }

say "1/2 baseline: bare Kestrel WebSocket endpoint on $bare_port"
port_in_use "$bare_port" && die "port $bare_port is in use; set BENCH_BARE_PORT"
dotnet Dispatch.Bench/bin/Release/net10.0/Dispatch.Bench.dll bare-ws --urls "http://127.0.0.1:$bare_port" >> "$LOG_DIR/bench-connections-bare.log" 2>&1 &
bare_pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$bare_port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
client --hub "http://127.0.0.1:$bare_port/ws" --pid "$bare_pid" --metrics "http://127.0.0.1:$bare_port/metrics" --label bare \
  | tee "$LOG_DIR/bench-connections-bare-client.log"
bench_stop "$bare_pid"; bare_pid=""

say "2/2 the server's courier hub on $port (database $db, dropped at the end)"
bench_drop "$db"
bench_psql "create database $db template template1" >/dev/null
bench_server "$port" "$db" "$prefix" "$log"
server_pid="$bench_server_pid"
Auth__SigningKey="$bench_secret" client --hub "http://127.0.0.1:$port/hubs/courier" --pid "$bench_server_pid" \
  --metrics "http://127.0.0.1:$port/metrics" --role courier --label courier-hub | tee "$LOG_DIR/bench-connections-server-client.log"
bench_stop "$server_pid"; server_pid=""

field() { grep '^CONNECTIONS ' "$1" | tail -n1 | tr ' ' '\n' | sed -n "s/^$2=//p"; }
bare_rss=$(field "$LOG_DIR/bench-connections-bare-client.log" rss_per_connection)
bare_gc=$(field "$LOG_DIR/bench-connections-bare-client.log" gc_per_connection)
hub_rss=$(field "$LOG_DIR/bench-connections-server-client.log" rss_per_connection)
hub_gc=$(field "$LOG_DIR/bench-connections-server-client.log" gc_per_connection)
held=$(field "$LOG_DIR/bench-connections-server-client.log" held)
echo
echo "RESULT courier hub: $held of $connections connections held by one node; $(bench_load)"
echo "RESULT resident per idle connection: hub $((hub_rss / 1024)) KiB, bare WebSocket $((bare_rss / 1024)) KiB, ratio $(awk -v a="$hub_rss" -v b="$bare_rss" 'BEGIN { printf "%.2f", a / b }') (goal <= 1.5)"
echo "RESULT managed heap per idle connection: hub $((hub_gc / 1024)) KiB, bare WebSocket $((bare_gc / 1024)) KiB, ratio $(awk -v a="$hub_gc" -v b="$bare_gc" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
