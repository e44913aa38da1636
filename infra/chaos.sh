#!/usr/bin/env bash
# Faults under a running fleet: two server nodes behind HAProxy on a PostgreSQL and Redis of their own, a simulated fleet and
# order stream (Dispatch.Courier simulate, as run.sh), and meanwhile SIGKILLs of the zone's leader (with an offer out, and
# with orders waiting for its round), a Redis crash, a PostgreSQL crash, a HAProxy restart and a fleet kill. Then no new
# orders; it waits for every paid order to end and prints one closing line from PostgreSQL:
#   chaos: orders N, delivered N, cancelled N, failed N, lost N, doubled N
# lost: paid orders not delivered, cancelled or failed; doubled: an order accepted twice without being released in between,
# or delivered twice. Exits 1 when either is above zero (2 when the set-up itself failed). A second line counts what the
# fleet could not do because of a fault: orders never paid, creations and payment callbacks given up after retrying (the
# simulator resends both for up to 5 minutes, as a payment provider would), and calls that needed a retry.
#   bash infra/chaos.sh [--seconds 180] [--drain-seconds 3600] [--stall-seconds 240] [--couriers 90] [--orders-per-minute 30] [--walkers] [--no-build]
# Three couriers per order of the run and no walkers (--walkers brings back their tenth of the fleet), so the drain is the
# last orders' cooking and delivery (~20 min), not a backlog (30 couriers: 40 min) or a walker's last errand (3 km on foot).
# The drain lasts while orders still move: it ends when every paid order is final, when for --stall-seconds no order has
# changed and no courier carrying one has sent a fix (then what is left is stuck, and counted lost), or at --drain-seconds.
# Its own data folder and ports (never the shared services): DISPATCH_DATA_DIR (.scratch/chaos), DISPATCH_PG_PORT (25405),
# DISPATCH_REDIS_PORT (26405), CHAOS_PORT (5180, the balancer; nodes on the next two ports). The database is made afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export DISPATCH_DATA_DIR="${DISPATCH_DATA_DIR:-$root/.scratch/chaos}"
export DISPATCH_PG_PORT="${DISPATCH_PG_PORT:-25405}"
export DISPATCH_REDIS_PORT="${DISPATCH_REDIS_PORT:-26405}"
export DISPATCH_WAL_ARCHIVE="${DISPATCH_WAL_ARCHIVE:-off}"
source infra/env.sh

seconds=180 drain=3600 stall=240 couriers=90 rate=30 build=1 walkers=--no-walkers
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --drain-seconds) drain="$2"; shift 2 ;;
    --stall-seconds) stall="$2"; shift 2 ;;
    --couriers) couriers="$2"; shift 2 ;;
    --orders-per-minute) rate="$2"; shift 2 ;;
    --walkers) walkers=""; shift ;;
    --no-build) build=0; shift ;;
    *) echo "usage: bash infra/chaos.sh [--seconds N] [--drain-seconds N] [--stall-seconds N] [--couriers N] [--orders-per-minute N] [--walkers] [--no-build]"; exit 2 ;;
  esac
done
for n in "$seconds" "$drain" "$stall" "$couriers" "$rate"; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "chaos: options take whole numbers from 1, not '$n'"; exit 2; }; done

front="${CHAOS_PORT:-5180}"
node_ports=($((front + 1)) $((front + 2)))
url="http://127.0.0.1:$front"
say() { printf 'chaos [%4ss] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }
t0=$(date +%s)

node_pids=("" "")
fleet_pid=""
cleanup() {
  trap - EXIT
  trap '' INT TERM
  [ -n "$fleet_pid" ] && kill "$fleet_pid" 2>/dev/null || true
  bash infra/haproxy.sh stop >/dev/null 2>&1 || true
  for pid in "${node_pids[@]}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}" "$fleet_pid"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  # Its own PostgreSQL and Redis only (DISPATCH_DATA_DIR and the ports above); logs stay in $LOG_DIR.
  bash infra/stop.sh >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for p in "$front" "${node_ports[@]}"; do port_in_use "$p" && { echo "chaos: port $p is in use; set CHAOS_PORT"; exit 2; }; done

# Services of its own, a fresh database, stable secrets for this data folder.
bash infra/start.sh > /dev/null || { echo "chaos: infra/start.sh failed (DISPATCH_DATA_DIR=$DATA_DIR)"; exit 2; }
pg() { as_postgres "$PG_BIN/psql" -h "$PG_DATA" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtAX "$@"; }
pg -d postgres -c "drop database if exists $PG_DB with (force)" -c "create database $PG_DB owner $PG_USER" >/dev/null
pg -d "$PG_DB" -c "set client_min_messages=warning; create extension if not exists postgis; create extension if not exists pgrouting;" >/dev/null
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" flushall >/dev/null
set -a; source "$DATA_DIR/services.env"; set +a
secrets="$DATA_DIR/chaos-secrets.env"
umask 077
for secret in Auth__SigningKey Auth__LinkSigningKey Payments__CallbackSecret Privacy__KeyEncryptionKey Privacy__PhoneHashKey; do
  grep -q "^$secret=" "$secrets" 2>/dev/null || echo "$secret='$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')'" >> "$secrets"
done
umask 022
set -a; source "$secrets"; set +a
rm -f "$DATA_DIR/chaos-pins.txt"

if [ "$build" = 1 ]; then
  say "building (log: $LOG_DIR/chaos-build.log)"
  { dotnet build Dispatch.Server -c Release -nologo && dotnet build Dispatch.Courier -c Release -nologo; } > "$LOG_DIR/chaos-build.log" 2>&1 || { grep -E "error" "$LOG_DIR/chaos-build.log" | sort -u | head; exit 2; }
fi

# A stranded order goes back to dispatching after 90 s of courier silence (not 10 min), so the drain stays short.
start_node() {
  local i="$1" port="${node_ports[$1]}"
  ASPNETCORE_ENVIRONMENT=Development Dispatch__AbandonedAfterSeconds=90 \
    dotnet Dispatch.Server/bin/Release/net10.0/Dispatch.Server.dll --urls "http://127.0.0.1:$port" --contentRoot "$root/Dispatch.Server" \
    >> "$LOG_DIR/chaos-node-$((i + 1)).log" 2>&1 &
  node_pids[$i]=$!
}
wait_ready() {
  local port="$1" limit="${2:-120}"
  for _ in $(seq 1 $((limit * 2))); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}
start_fleet() {
  local left=$(( seconds - ($(date +%s) - t_orders) ))
  [ "$left" -lt 1 ] && left=0
  dotnet Dispatch.Courier/bin/Release/net10.0/Dispatch.Courier.dll simulate --server "$url" --couriers "$couriers" \
    --orders-per-minute "$rate" --orders-for "$left" --prefix chaos --pins "$DATA_DIR/chaos-pins.txt" \
    --payment-secret "$Payments__CallbackSecret" --seed 7 $walkers >> "$LOG_DIR/chaos-fleet.log" 2>&1 &
  fleet_pid=$!
}
# A query that may meet PostgreSQL restarting: empty then.
q() { pg -d "$PG_DB" -c "$1" 2>/dev/null || true; }
# The pid of the node holding the first zone's lease (zone_leases.holder is host:pid:random).
leader_pid() { q "select split_part(holder, ':', 2) from zone_leases where expires_at > now() order by zone limit 1"; }
node_of() { local i; for i in 0 1; do [ "${node_pids[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo ""; }
# Waits up to $2 s for a query to return a count above zero.
wait_for() { for _ in $(seq 1 $(($2 * 4))); do [ "$(q "$1")" -gt 0 ] 2>/dev/null && return 0; sleep 0.25; done; return 1; }

: > "$LOG_DIR/chaos-fleet.log"
for i in 0 1; do
  start_node "$i"
  wait_ready "${node_ports[$i]}" || { tail -n 20 "$LOG_DIR/chaos-node-$((i + 1)).log"; echo "chaos: node $((i + 1)) never became ready"; exit 2; }
done
bash infra/haproxy.sh start "$front" "${node_ports[@]}" >/dev/null
wait_ready "$front" 10 || { echo "chaos: HAProxy did not answer on $url"; exit 2; }
t_orders=$(date +%s)
start_fleet
say "2 nodes (${node_ports[*]}) behind $url, $couriers couriers, $rate orders/min for ${seconds}s; logs in $LOG_DIR/chaos-*.log"

progress() {
  say "$(q "select format('orders %s, unpaid %s, paid and open %s, delivered %s, cancelled %s, failed %s, pending offers %s',
    count(*), count(*) filter (where status = 0), count(*) filter (where status between 1 and 8), count(*) filter (where status = 9), count(*) filter (where status = 10),
    count(*) filter (where status = 11), (select count(*) from offers where status = 0)) from orders") $*"
}

# SIGKILLs the zone's leader once $1 (a count query) is above zero, and starts it again 3 s later.
kill_leader() {
  local why="$1" condition="$2" pid i
  wait_for "$condition" 30 || say "($why not seen within 30 s; killing the leader anyway)"
  # Just after a restart nobody may hold the zone yet: the leases are taken within a few seconds.
  for _ in $(seq 1 60); do pid="$(leader_pid)"; i="$(node_of "$pid")"; [ -n "$i" ] && break; sleep 0.5; done
  [ -z "$i" ] && { say "no live leader found to kill within 30 s"; return; }
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  say "SIGKILLed node $((i + 1)) (pid $pid), the zone's leader, $why"
  sleep 3
  start_node "$i"
  wait_ready "${node_ports[$i]}" && say "node $((i + 1)) restarted and ready" || say "node $((i + 1)) restarted but NOT ready"
}

events=(
  "$((seconds * 12 / 100)) leader-offer"
  "$((seconds * 30 / 100)) redis"
  "$((seconds * 45 / 100)) postgres"
  "$((seconds * 60 / 100)) leader-round"
  "$((seconds * 72 / 100)) haproxy"
  "$((seconds * 85 / 100)) fleet"
)
next_progress=$(( $(date +%s) + 10 ))
for event in "${events[@]}"; do
  at="${event%% *}" what="${event#* }"
  while [ $(( $(date +%s) - t_orders )) -lt "$at" ]; do
    sleep 1
    [ "$(date +%s)" -ge "$next_progress" ] && { progress; next_progress=$(( $(date +%s) + 10 )); }
  done
  case "$what" in
    leader-offer) kill_leader "with an offer out (not yet answered)" "select count(*) from offers where status = 0" ;;
    leader-round) kill_leader "with paid orders waiting for its round" "select count(*) from orders where status in (1, 2)" ;;
    redis)
      kill -9 "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true
      say "SIGKILLed Redis"; sleep 3
      bash infra/start.sh >/dev/null && say "Redis restarted (append-only file on)" ;;
    postgres)
      as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null
      say "stopped PostgreSQL (immediate: a crash)"; sleep 3
      bash infra/start.sh >/dev/null && say "PostgreSQL restarted" ;;
    haproxy)
      bash infra/haproxy.sh start "$front" "${node_ports[@]}" >/dev/null
      say "restarted HAProxy: every courier connection cut" ;;
    fleet)
      kill -9 "$fleet_pid" 2>/dev/null || true; wait "$fleet_pid" 2>/dev/null || true
      say "SIGKILLed the fleet (all couriers gone at once)"; sleep 2
      start_fleet; say "fleet restarted (same couriers, resuming their jobs)" ;;
  esac
done
while [ $(( $(date +%s) - t_orders )) -lt "$seconds" ]; do sleep 1; done
progress "— no new orders from now; waiting for every paid order to end while orders still move (at most ${drain}s)"

# A fixed bound cut off couriers still delivering on a loaded machine (one delivery every 10-30 s at the end, lost 33):
# the drain waits as long as some order changes or a courier carrying one still reports (a walking courier between an
# errand's stops goes minutes without an order event), and stops early only when neither has happened for $stall s
# (longer than the 90 s after which a silent courier's order goes back to dispatching): what a stuck order looks like.
# Also while an order created in the last 5 minutes is unpaid: the fleet may still be resending its payment callback.
open_sql="select count(*) from orders where ((paid_at is not null or status between 1 and 8) and status not in (9, 10, 11))
  or (status = 0 and paid_at is null and created_at > now() - interval '5 minutes')"
deadline=$(( $(date +%s) + drain ))
last_event="" last_change=$(date +%s)
while [ "$(date +%s)" -lt "$deadline" ]; do
  [ "$(q "$open_sql")" = "0" ] && break
  event="$(q "select coalesce(max(id), 0) || ' ' || coalesce((select max(t.at)::text from track_points t where t.at > now() - interval '15 minutes'
    and t.courier_id in (select courier_id from orders where status between 4 and 8)), '-') from order_events")"
  if [ -n "$event" ] && [ "$event" != "$last_event" ]; then
    last_event="$event" last_change=$(date +%s)
  elif [ $(( $(date +%s) - last_change )) -ge "$stall" ]; then
    progress "— no order changed for ${stall}s: the open ones are stuck"
    break
  fi
  sleep 5
  [ "$(date +%s)" -ge "$next_progress" ] && { progress; next_progress=$(( $(date +%s) + 10 )); }
done
[ "$(date +%s)" -ge "$deadline" ] && progress "— the drain bound (${drain}s) ran out with orders still moving"

read -r orders delivered cancelled failed lost doubled <<< "$(pg -d "$PG_DB" -F ' ' -c "
  with accepts as (select order_id, count(*) as n from offers where status = 1 group by order_id),
  first_accept as (select order_id, min(id) as id from order_events where status = 4 group by order_id),
  releases as (select e.order_id, count(*) as n from order_events e join first_accept f on f.order_id = e.order_id
               where e.id > f.id and e.status in (1, 2, 3) group by e.order_id),
  doubled as (select a.order_id from accepts a left join releases r using (order_id) where a.n > 1 + coalesce(r.n, 0)
              union select order_id from order_events where status = 9 group by order_id having count(*) > 1)
  select count(*), count(*) filter (where status = 9), count(*) filter (where status = 10), count(*) filter (where status = 11),
         count(*) filter (where (paid_at is not null or status between 1 and 8) and status not in (9, 10, 11)),
         (select count(*) from doubled)
  from orders")"
if [ "$lost" != 0 ]; then
  q "select number, status, courier_id, (select extract(epoch from now() - max(e.at))::int from order_events e where e.order_id = o.id) || ' s since its last event'
     from orders o where (paid_at is not null or status between 1 and 8) and status not in (9, 10, 11) limit 10" | sed 's/^/chaos: not final: /'
fi
echo "chaos: orders $orders, delivered $delivered, cancelled $cancelled, failed $failed, lost $lost, doubled $doubled"
# What the fleet tried and could not do because of a fault (not silently missing from the counts above). Never paid: created
# but no payment reached PostgreSQL (still placed, or cancelled unpaid); of those, the ones whose callback the fleet gave up
# on after retrying, and the rest (the callback was in flight when the fleet was SIGKILLed, or failed without a fault).
fleet_log="$LOG_DIR/chaos-fleet.log"
# The simulator's own lines start with two spaces and the word; its progress lines also say "retried create N".
count_lines() { grep -c -- "^  $1 " "$fleet_log" 2>/dev/null || true; }
unpaid_ids="$(q "select id from orders where paid_at is null and status in (0, 10) order by id")"
unpaid=$(printf '%s' "$unpaid_ids" | grep -c . || true)
gave_up=0
for id in $unpaid_ids; do grep -q -- "^  lost-to-fault pay $id:" "$fleet_log" 2>/dev/null && gave_up=$((gave_up + 1)); done
echo "chaos: never paid $unpaid ($gave_up given up after retrying, $((unpaid - gave_up)) otherwise), creations lost to faults $(count_lines 'lost-to-fault create'),"\
  "retried after a fault: creations $(count_lines 'retried create'), payments $(count_lines 'retried pay')"
[ "$unpaid" -gt 0 ] && q "select number, status, id from orders where paid_at is null and status in (0, 10) order by id limit 10" | sed 's/^/chaos: never paid: /'

[ "$lost" = 0 ] && [ "$doubled" = 0 ]
