#!/usr/bin/env bash
# Connections benchmark (issue 20): how many idle courier connections one server node holds, and its memory per idle
# connection against a bare Kestrel WebSocket endpoint measured the same way in the same run. `Dispatch.Bench connections`
# opens N raw SignalR WebSockets (JSON protocol, no negotiate, each with its own courier token) from 127.0.0.2… so the
# ephemeral ports last, keeps them alive with pings, and reads the server's resident set (/proc) and managed heap
# (/metrics) before and after. The same client first holds N connections to `Dispatch.Bench bare-ws` (a WebApplication
# with one WebSocket endpoint that answers the handshake and reads). Not a test: it prints numbers and the ratio.
#   BENCH_CONNECTIONS (19000), BENCH_SOURCES (4 source addresses), BENCH_PORT (5191), BENCH_BARE_PORT (5192)
#   BENCH_NODES=2: two server nodes (ports BENCH_PORT and BENCH_PORT2, 5193; one database and Redis, the backplane between
#   them) with BENCH_CONNECTIONS spread evenly, one client process per node (each process's open-file limit is 20,000
#   here, so one node or one client cannot hold 20,000); the bare baseline holds one node's share.
#   BENCH_GCDUMP=DIR: `dotnet-gcdump collect` each server before the connections and while they are held, into DIR
#   (LABEL-before.gcdump, LABEL.gcdump, and their `dotnet-gcdump report` as .txt); prints live bytes per connection. The
#   tool from PATH or BENCH_GCDUMP_TOOL.
# The open-file limit is raised to the hard limit; each side needs one descriptor per connection plus a few hundred.
set -euo pipefail
cd "$(dirname "$0")/.."
bench_name=bench-connections
source infra/bench-scale-lib.sh
connections="${BENCH_CONNECTIONS:-19000}"
sources="${BENCH_SOURCES:-4}"
port="${BENCH_PORT:-5191}"
port2="${BENCH_PORT2:-5193}"
nodes="${BENCH_NODES:-1}"
[ "$nodes" = 1 ] || [ "$nodes" = 2 ] || die "BENCH_NODES must be 1 or 2, not $nodes"
per_node=$((connections / nodes))
bare_port="${BENCH_BARE_PORT:-5192}"
db=dispatch_bench_connections
prefix=benchconn
log="$LOG_DIR/bench-connections-server.log"

# Both processes with the runtime's default gen-0 budget (not env.sh's 64 MB): the heap after the last collection then trails
# the live heap by a few MB at most, not by up to 64 MB a heap.
unset DOTNET_GCgen0size
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((per_node + 300)) ] \
  || die "the open-file limit is $(ulimit -n) (hard $(ulimit -Hn)): too low for $per_node connections a process; lower BENCH_CONNECTIONS, set BENCH_NODES=2 or raise the hard limit"
say "open-file limit $(ulimit -n); $(bench_load)"

server_pid=""
server2_pid=""
bare_pid=""
cleanup() {
  bench_stop "$server_pid" "$server2_pid" "$bare_pid"
  bench_drop "$db"
  bench_clean_redis "$prefix"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
bench_build
: > "$log"; : > "$LOG_DIR/bench-connections-server2.log"
client=(dotnet Dispatch.Bench/bin/Release/net10.0/Dispatch.Bench.dll connections --connections "$per_node" --sources "$sources")
gcdump_dir="${BENCH_GCDUMP:-}"
gcdump_tool="${BENCH_GCDUMP_TOOL:-dotnet-gcdump}"
# measure LABEL PID LOG CLIENT-ARGS...: the client against one server; with BENCH_GCDUMP, the server's heap is dumped before
# the connections open and again while they are held (a dump collects first, so both show live objects), and the line
# LIVE label=… live_per_connection=… is their difference per held connection.
measure() {
  local label="$1" pid="$2" out="$3"; shift 3
  if [ -z "$gcdump_dir" ]; then "${client[@]}" "$@" --label "$label" | tee "$out"; return; fi
  mkdir -p "$gcdump_dir"
  local go="$gcdump_dir/$label.go"; rm -f "$go"
  "${client[@]}" "$@" --label "$label" --hold-seconds 1800 --go-file "$go" > "$out" 2>&1 &
  local client_pid=$!
  until grep -q ' waiting for ' "$out"; do kill -0 "$client_pid" 2>/dev/null || break; sleep 1; done
  "$gcdump_tool" collect -p "$pid" -o "$gcdump_dir/$label-before.gcdump" >/dev/null || say "gcdump of $label failed"
  touch "$go"
  until grep -q ' holding ' "$out"; do kill -0 "$client_pid" 2>/dev/null || break; sleep 1; done
  "$gcdump_tool" collect -p "$pid" -o "$gcdump_dir/$label.gcdump" >/dev/null || say "gcdump of $label failed"
  kill "$client_pid" 2>/dev/null || true; wait "$client_pid" 2>/dev/null || true
  local before after held
  "$gcdump_tool" report "$gcdump_dir/$label-before.gcdump" > "$gcdump_dir/$label-before.txt"
  "$gcdump_tool" report "$gcdump_dir/$label.gcdump" > "$gcdump_dir/$label.txt"
  before=$(awk '/GC Heap bytes/ { gsub(",", "", $1); print $1; exit }' "$gcdump_dir/$label-before.txt")
  after=$(awk '/GC Heap bytes/ { gsub(",", "", $1); print $1; exit }' "$gcdump_dir/$label.txt")
  held=$(grep '^CONNECTIONS ' "$out" | tail -n1 | tr ' ' '\n' | sed -n 's/^held=//p')
  echo "LIVE label=$label live_before=$before live_after=$after live_per_connection=$(( (after - before) / (held > 0 ? held : 1) ))" >> "$out"
  cat "$out"
}

say "1/2 baseline: bare Kestrel WebSocket endpoint on $bare_port"
port_in_use "$bare_port" && die "port $bare_port is in use; set BENCH_BARE_PORT"
# With the server's own runtimeconfig.json: whatever GC settings the server ships with, the baseline runs with them too.
dotnet exec --runtimeconfig "${bench_server_dll%.dll}.runtimeconfig.json" \
  Dispatch.Bench/bin/Release/net10.0/Dispatch.Bench.dll bare-ws --urls "http://127.0.0.1:$bare_port" >> "$LOG_DIR/bench-connections-bare.log" 2>&1 &
bare_pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$bare_port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
measure bare "$bare_pid" "$LOG_DIR/bench-connections-bare-client.log" \
  --hub "http://127.0.0.1:$bare_port/ws" --pid "$bare_pid" --metrics "http://127.0.0.1:$bare_port/metrics"
bench_stop "$bare_pid"; bare_pid=""

hub_log() { echo "$LOG_DIR/bench-connections-server-client$1.log"; }
say "2/2 the server's courier hub: $nodes node(s) from port $port (database $db, dropped at the end)"
bench_drop "$db"
bench_psql "create database $db template template1" >/dev/null
bench_server "$port" "$db" "$prefix" "$log"
server_pid="$bench_server_pid"
if [ "$nodes" = 1 ]; then
  Auth__SigningKey="$bench_secret" measure courier-hub "$server_pid" "$(hub_log "")" \
    --hub "http://127.0.0.1:$port/hubs/courier" --pid "$server_pid" --metrics "http://127.0.0.1:$port/metrics" --role courier
else
  # The second node after the first is ready (it has migrated the database); same Redis prefix, so the backplane joins them.
  bench_server "$port2" "$db" "$prefix" "$LOG_DIR/bench-connections-server2.log"
  server2_pid="$bench_server_pid"
  Auth__SigningKey="$bench_secret" measure courier-hub-1 "$server_pid" "$(hub_log 1)" \
    --hub "http://127.0.0.1:$port/hubs/courier" --pid "$server_pid" --metrics "http://127.0.0.1:$port/metrics" --role courier > /dev/null &
  first=$!
  Auth__SigningKey="$bench_secret" measure courier-hub-2 "$server2_pid" "$(hub_log 2)" \
    --hub "http://127.0.0.1:$port2/hubs/courier" --pid "$server2_pid" --metrics "http://127.0.0.1:$port2/metrics" --role courier > /dev/null &
  second=$!
  wait "$first" || true; wait "$second" || true
  cat "$(hub_log 1)" "$(hub_log 2)"
fi
bench_stop "$server_pid" "$server2_pid"; server_pid=""; server2_pid=""

field() { grep '^CONNECTIONS ' "$1" | tail -n1 | tr ' ' '\n' | sed -n "s/^$2=//p"; }
live() { { grep '^LIVE ' "$1" || true; } | tail -n1 | tr ' ' '\n' | sed -n 's/^live_per_connection=//p'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
bare_log="$LOG_DIR/bench-connections-bare-client.log"
bare_rss=$(field "$bare_log" rss_per_connection)
bare_gc=$(field "$bare_log" gc_per_connection)
bare_committed=$(field "$bare_log" committed_per_connection)
bare_live=$(live "$bare_log")
echo
if [ "$nodes" = 1 ]; then logs=("$(hub_log "")"); else logs=("$(hub_log 1)" "$(hub_log 2)"); fi
total=0
for n in "${!logs[@]}"; do
  hub_rss=$(field "${logs[$n]}" rss_per_connection)
  hub_gc=$(field "${logs[$n]}" gc_per_connection)
  hub_committed=$(field "${logs[$n]}" committed_per_connection)
  held=$(field "${logs[$n]}" held)
  total=$((total + held))
  echo "RESULT node $((n + 1)): $held of $per_node connections held"
  echo "RESULT node $((n + 1)) resident per idle connection: hub $((hub_rss / 1024)) KiB, bare WebSocket $((bare_rss / 1024)) KiB, ratio $(ratio "$hub_rss" "$bare_rss") (goal <= 1.5)"
  echo "RESULT node $((n + 1)) managed heap per idle connection: hub $((hub_gc / 1024)) KiB, bare WebSocket $((bare_gc / 1024)) KiB, ratio $(ratio "$hub_gc" "$bare_gc")"
  echo "RESULT node $((n + 1)) GC committed per idle connection: hub $((hub_committed / 1024)) KiB, bare WebSocket $((bare_committed / 1024)) KiB"
  hub_live=$(live "${logs[$n]}")
  if [ -n "$hub_live" ] && [ -n "$bare_live" ]; then
    echo "RESULT node $((n + 1)) live objects per idle connection (heap dumps): hub $hub_live B, bare WebSocket $bare_live B, ratio $(ratio "$hub_live" "$bare_live")"
  fi
done
echo "RESULT courier hub: $total of $connections connections held by $nodes node(s); $(bench_load)"
