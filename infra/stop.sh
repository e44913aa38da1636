#!/usr/bin/env bash
# Stops the PostgreSQL and Redis started by infra/start.sh. Data stays in .data/; a second call is a no-op.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [ -s "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  log "PostgreSQL stopped"
else
  log "PostgreSQL not running"
fi

if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  log "Redis stopped"
else
  log "Redis not running"
fi
