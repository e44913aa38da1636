#!/usr/bin/env bash
# Starts PostgreSQL 15 (+PostGIS, pgRouting) and Redis on loopback with data in .data/.
# Idempotent: services already running are left alone. Prints the connection settings at the end.
set -euo pipefail
source "$(dirname "$0")/env.sh"

"$(dirname "$0")/install.sh"

mkdir -p "$DATA_DIR" "$REDIS_DIR" "$LOG_DIR"
chmod 755 "$DATA_DIR"
# PostgreSQL runs as 'postgres', which must be able to reach the data folder.
dir="$DATA_DIR"
while [ "$dir" != "/" ]; do
  if [ "$(id -u)" -eq 0 ]; then chmod o+x "$dir" 2>/dev/null || true; fi
  dir="$(dirname "$dir")"
done

# Continuous backup: every finished write-ahead-log segment is copied into $WAL_ARCHIVE (infra/backup.sh adds base backups,
# infra/restore.sh replays both). Rewritten on every start so a moved data folder keeps archiving to the right place; new
# clusters start with it, a running one picks it up at its next start (archive_mode needs a restart). DISPATCH_WAL_ARCHIVE=off
# is for machines that only run the tests: each test database made from template1 writes about 12 MB of log.
configure_archiving() {
  case "${DISPATCH_WAL_ARCHIVE:-on}" in on|off) ;; *) die "DISPATCH_WAL_ARCHIVE must be on or off, got '$DISPATCH_WAL_ARCHIVE'" ;; esac
  as_root mkdir -p "$WAL_ARCHIVE" "$BASE_BACKUPS"
  as_root chown postgres:postgres "$BACKUP_DIR" "$WAL_ARCHIVE" "$BASE_BACKUPS"
  as_root chmod 700 "$WAL_ARCHIVE" "$BASE_BACKUPS"
  # The copy goes to a .part name, is flushed to disk, then renamed, so a crash never leaves a torn segment under the real
  # name; a segment already archived counts as done only if identical (PostgreSQL retries after a crash mid-archive).
  cat <<CONF | as_postgres tee "$PG_DATA/backup.conf" >/dev/null
# Written by infra/start.sh on every start; set DISPATCH_WAL_ARCHIVE, DISPATCH_ARCHIVE_TIMEOUT or DISPATCH_BACKUP_DIR instead.
wal_level = replica
archive_mode = ${DISPATCH_WAL_ARCHIVE:-on}
archive_command = 'f="$WAL_ARCHIVE/%f"; if test -f "\$f"; then exec cmp -s "%p" "\$f"; fi; cp "%p" "\$f.part" && sync "\$f.part" && mv "\$f.part" "\$f"'
archive_timeout = ${DISPATCH_ARCHIVE_TIMEOUT:-300}
CONF
  grep -q "^include_if_exists 'backup.conf'" "$PG_DATA/postgresql.conf" \
    || echo "include_if_exists 'backup.conf'" | as_postgres tee -a "$PG_DATA/postgresql.conf" >/dev/null
  warn_unpruned_archive
}

# Only infra/backup.sh prunes the archive (up to its oldest kept base backup): with no base backup it only grows, and a
# machine that runs the demo or the benchmarks for days fills its disk.
warn_unpruned_archive() {
  local kb
  [ -n "$(find "$BASE_BACKUPS" -mindepth 1 -maxdepth 1 -type d -not -name '.*' -print -quit 2>/dev/null)" ] && return 0
  kb=$(du -sk "$WAL_ARCHIVE" 2>/dev/null | cut -f1)
  if [ "${kb:-0}" -gt $((5 * 1024 * 1024)) ]; then
    log "warning: the write-ahead-log archive $WAL_ARCHIVE holds $((kb / 1024 / 1024)) GB and no base backup exists to prune it: run bash infra/backup.sh (schedule it daily, docs/operations.md), or set DISPATCH_WAL_ARCHIVE=off on a machine that needs no backups"
  fi
  return 0
}

pg_running() { as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

start_postgres() {
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL cluster in $PG_DATA"
    as_root mkdir -p "$PG_DATA"
    as_root chown postgres:postgres "$PG_DATA"
    as_root chmod 700 "$PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    cat <<CONF | as_postgres tee -a "$PG_DATA/postgresql.conf" >/dev/null
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = off
CONF
  fi
  configure_archiving
  if pg_running; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
    if [ "$(as_postgres "$PG_BIN/psql" -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres -qtAc "show archive_mode")" != "${DISPATCH_WAL_ARCHIVE:-on}" ]; then
      log "write-ahead-log archiving is set ${DISPATCH_WAL_ARCHIVE:-on} but takes effect at a restart: bash infra/stop.sh && bash infra/start.sh"
    fi
    return
  fi
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    log "removing stale pid file $PG_DATA/postmaster.pid (no server answers for it)"
    as_root rm -f "$PG_DATA/postmaster.pid"
  fi
  if port_in_use "$PG_PORT"; then
    die "port $PG_PORT is in use by another program; stop it or set DISPATCH_PG_PORT"
  fi
  as_root touch "$LOG_DIR/postgres.log"; as_root chown postgres "$LOG_DIR/postgres.log"
  # The port is passed at start, so DISPATCH_PG_PORT works for an existing cluster too.
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -o "-p $PG_PORT" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start; see $LOG_DIR/postgres.log"
  log "PostgreSQL started on 127.0.0.1:$PG_PORT"
}

provision_database() {
  local psql=("$PG_BIN/psql" -h "$PG_DATA" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$(as_postgres "${psql[@]}" -d postgres -c "select 1 from pg_roles where rolname='$PG_USER'")" != "1" ]; then
    as_postgres "${psql[@]}" -d postgres -c "create role $PG_USER login createdb password '$PG_PASSWORD'" >/dev/null
  fi
  if [ "$(as_postgres "${psql[@]}" -d postgres -c "select 1 from pg_database where datname='$PG_DB'")" != "1" ]; then
    as_postgres "${psql[@]}" -d postgres -c "create database $PG_DB owner $PG_USER" >/dev/null
  fi
  # Extensions go into template1 too, so every per-test database created from it has them.
  for db in template1 "$PG_DB"; do
    as_postgres "${psql[@]}" -d "$db" -c "set client_min_messages=warning; create extension if not exists postgis; create extension if not exists pgrouting;" >/dev/null
  done
}

redis_running() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  if redis_running; then
    log "Redis already running on 127.0.0.1:$REDIS_PORT"
    if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get appendonly | tail -n 1)" != "yes" ]; then
      log "Redis runs without its append-only file; it is turned on at the next start: bash infra/stop.sh && bash infra/start.sh"
    fi
    return
  fi
  if [ -f "$REDIS_DIR/redis.pid" ]; then
    log "removing stale pid file $REDIS_DIR/redis.pid (no server answers for it)"
    rm -f "$REDIS_DIR/redis.pid"
  fi
  if port_in_use "$REDIS_PORT"; then
    die "port $REDIS_PORT is in use by another program; stop it or set DISPATCH_REDIS_PORT"
  fi
  # The append-only file (flushed every second) keeps what lives only in Redis across a restart: the admins' per-zone
  # strategy overrides and the control room's alert acknowledgements. Everything else there is rebuilt from PostgreSQL or
  # from the couriers' next fixes.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize yes \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$LOG_DIR/redis.log" --save "" --appendonly yes --appendfsync everysec \
    --protected-mode yes >/dev/null
  for _ in $(seq 1 50); do redis_running && break; sleep 0.1; done
  redis_running || die "Redis did not start; see $LOG_DIR/redis.log"
  log "Redis started on 127.0.0.1:$REDIS_PORT"
}

start_postgres
provision_database
start_redis

cat > "$DATA_DIR/services.env" <<ENV
ConnectionStrings__Postgres='$(connection_string)'
ConnectionStrings__Redis='127.0.0.1:$REDIS_PORT'
ENV
log "ready: postgres 127.0.0.1:$PG_PORT (db $PG_DB), redis 127.0.0.1:$REDIS_PORT; settings in $DATA_DIR/services.env"
