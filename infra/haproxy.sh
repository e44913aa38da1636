#!/usr/bin/env bash
# HAProxy in front of several Dispatch nodes, loopback only; config, pid and log under the data folder.
#   bash infra/haproxy.sh start FRONT_PORT NODE_PORT...   writes the config and starts HAProxy (replacing one started before)
#   bash infra/haproxy.sh stop                            stops it
# WebSocket-aware (a long tunnel timeout for SignalR), health-checked on each node's readiness endpoint (/health/ready when
# the nodes have it, else /healthz), least connections, and a cookie that keeps a browser's SignalR negotiate and its
# WebSocket on one node (couriers skip the negotiate, so any node will do for them).
set -euo pipefail
source "$(dirname "$0")/env.sh"

dir="$DATA_DIR/haproxy"
cfg="$dir/haproxy.cfg"
pidfile="$dir/haproxy.pid"

stop() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 1 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
    log "haproxy stopped"
  fi
  rm -f "$pidfile"
}

start() {
  local front="$1"; shift
  [ $# -gt 0 ] || die "usage: haproxy.sh start FRONT_PORT NODE_PORT..."
  command -v haproxy >/dev/null || bash "$(dirname "$0")/install.sh" haproxy
  mkdir -p "$dir"
  stop
  port_in_use "$front" && die "port $front is already in use"
  # The readiness endpoint when the nodes serve it (a 404 means an older server), else the liveness one.
  local check=/health/ready
  case "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health/ready" || true)" in 404 | 000) check=/healthz ;; esac
  # Two descriptors per proxied connection: as many as the open-file limit allows (raised when it may be).
  ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  local maxconn=$(( $(ulimit -n) / 2 - 100 ))
  {
    cat <<CFG
# Written by infra/haproxy.sh; overwritten on every start.
global
    maxconn $maxconn

defaults
    mode http
    option dontlognull
    timeout connect 3s
    timeout client 60s
    timeout server 60s
    # An upgraded WebSocket (SignalR) is a tunnel: it lives as long as the courier or page stays connected.
    timeout tunnel 1h
    timeout client-fin 5s
    timeout http-request 10s

frontend dispatch
    bind 127.0.0.1:$front
    option forwardfor
    default_backend nodes

backend nodes
    balance leastconn
    cookie DISPATCHNODE insert indirect nocache httponly
    option httpchk GET $check
    http-check expect status 200
    default-server check inter 1s fall 2 rise 2 maxconn 30000
CFG
    local i=1
    for p in "$@"; do
      echo "    server node$i 127.0.0.1:$p cookie node$i"
      i=$((i + 1))
    done
  } > "$cfg"
  haproxy -c -q -f "$cfg" || die "haproxy rejected $cfg"
  haproxy -D -f "$cfg" -p "$pidfile" >> "$LOG_DIR/haproxy.log" 2>&1
  log "haproxy on 127.0.0.1:$front -> nodes on $* (checks $check; config $cfg)"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) die "usage: haproxy.sh start FRONT_PORT NODE_PORT... | stop" ;;
esac
