#!/usr/bin/env bash
# Restores the PostgreSQL cluster from .data/backups into a fresh data folder: the newest base backup finished before the
# target, then the archived write-ahead log replayed up to the target time (or to the end of the archive), then started on
# its own port. Prints what it restored. The running cluster and the backups are never touched.
#   bash infra/restore.sh [--to 'YYYY-MM-DD HH:MM:SS+00'] [--target-dir DIR] [--port P]
#     --to          restore every transaction committed at or before this moment (default: everything archived)
#     --target-dir  a new or empty folder for the restored cluster (default: .data/restored-<UTC time>)
#     --port        port for the restored cluster (default: DISPATCH_PG_PORT + 10, i.e. 55442)
# It prints the command that stops the restored cluster (pg_ctl -D DIR stop, as the postgres user).
set -euo pipefail
source "$(dirname "$0")/env.sh"

to=""
target_dir=""
port=$((PG_PORT + 10))
while [ $# -gt 0 ]; do
  case "$1" in
    --to) to="${2:?--to needs a time such as '2026-12-06 10:30:00+00'}"; shift 2 ;;
    --target-dir) target_dir="${2:?--target-dir needs a folder}"; shift 2 ;;
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    *) die "unknown argument '$1'; usage: restore.sh [--to 'YYYY-MM-DD HH:MM:SS+00'] [--target-dir DIR] [--port P]" ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number, got '$port'"
# Times compare as UTC text with nanoseconds (bash has no fractions): a backup may end a split second before the target.
target_utc=""
if [ -n "$to" ]; then
  target_utc=$(date -u -d "$to" '+%Y-%m-%d %H:%M:%S.%N' 2>/dev/null) || die "--to '$to' is not a time; write it as 'YYYY-MM-DD HH:MM:SS+00'"
  # PostgreSQL gets the time as parsed here (UTC, microseconds), never the text as typed: no quote reaches its config.
  to="$(date -u -d "$to" '+%Y-%m-%d %H:%M:%S.%6N+00')"
fi
target_dir="${target_dir:-$DATA_DIR/restored-$(date -u +%Y%m%dT%H%M%SZ)}"
if [ -e "$target_dir" ] && [ -n "$(ls -A "$target_dir")" ]; then
  die "--target-dir $target_dir is not empty; restore needs a fresh folder"
fi
port_in_use "$port" && die "port $port is in use; choose another with --port"

# The newest finished backup that ended before the target (a backup cannot restore to a moment before its own end).
backup=""
while read -r b; do
  [ -f "$BASE_BACKUPS/$b/finished_at" ] || continue
  if [ -z "$target_utc" ] || [[ "$(date -u -d "$(cat "$BASE_BACKUPS/$b/finished_at")" '+%Y-%m-%d %H:%M:%S.%N')" < "$target_utc" ]]; then
    backup="$b"; break
  fi
done < <(find "$BASE_BACKUPS" -mindepth 1 -maxdepth 1 -type d -name '2*' -printf '%f\n' 2>/dev/null | sort -r)
[ -n "$backup" ] || die "no base backup in $BASE_BACKUPS finished before ${to:-now}; take one with bash infra/backup.sh"
log "restoring base backup $backup (finished $(cat "$BASE_BACKUPS/$backup/finished_at")) into $target_dir, replaying the log to ${to:-the end of the archive}"

started=$(date +%s.%N)
as_root mkdir -p "$target_dir"
as_root chown postgres:postgres "$target_dir"
as_root chmod 700 "$target_dir"
as_postgres tar -xzf "$BASE_BACKUPS/$backup/base.tar.gz" -C "$target_dir"
as_postgres tar -xzf "$BASE_BACKUPS/$backup/pg_wal.tar.gz" -C "$target_dir/pg_wal"
# The copy must not archive into the production archive (a second timeline would mix with the first): without backup.conf
# archiving is off. If this copy becomes the production cluster, infra/start.sh writes backup.conf again.
as_root rm -f "$target_dir/backup.conf"
{
  echo "# Written by infra/restore.sh; harmless once recovery has ended."
  echo "restore_command = 'cp \"$WAL_ARCHIVE/%f\" \"%p\"'"
  if [ -n "$to" ]; then
    echo "recovery_target_time = '$to'"
    echo "recovery_target_action = 'promote'"
  fi
} | as_postgres tee -a "$target_dir/postgresql.auto.conf" >/dev/null
as_postgres touch "$target_dir/recovery.signal"

logfile="$target_dir/restore.log"
psql_restored() { as_postgres "$PG_BIN/psql" -h "$target_dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
# Port and socket folder on the command line, so they do not stay in the restored configuration.
as_postgres "$PG_BIN/pg_ctl" -D "$target_dir" -l "$logfile" -o "-p $port -k $target_dir -c listen_addresses=127.0.0.1" -w -t 300 start >/dev/null \
  || { tail -n 15 "$logfile" >&2
       grep -q "recovery ended before configured recovery target" "$logfile" \
         && die "the archive ends before --to '$to' (newest archived segment: $(ls "$WAL_ARCHIVE" | grep -v '\.' | tail -n 1)); restore to an earlier time, or, if the old cluster still runs, archive its current segment first (psql: select pg_switch_wal())"
       die "the restored cluster did not start; see $logfile"; }
# Recovery continues after the server accepts connections; it is over when the server leaves recovery (promotion).
for _ in $(seq 1 600); do
  [ "$(psql_restored -d postgres -c 'select pg_is_in_recovery()' 2>/dev/null)" = "f" ] && break
  as_postgres "$PG_BIN/pg_ctl" -D "$target_dir" status >/dev/null 2>&1 || { tail -n 15 "$logfile" >&2; die "recovery stopped; see $logfile"; }
  sleep 0.1
done
[ "$(psql_restored -d postgres -c 'select pg_is_in_recovery()')" = "f" ] || die "still recovering after 60 s; see $logfile"
finished=$(date +%s.%N)

log "restored in $(awk "BEGIN { printf \"%.1f\", $finished - $started }") s on 127.0.0.1:$port ($(du -sh "$target_dir" | cut -f1))"
replayed="$(grep -Eo '(recovery stopping|last completed transaction) [^"]*' "$logfile" | tail -n 1 || true)"
[ -n "$replayed" ] && log "  $replayed"
if [ "$(psql_restored -d postgres -c "select 1 from pg_database where datname = '$PG_DB'")" = "1" ]; then
  for table in orders order_events track_points couriers outbox; do
    [ "$(psql_restored -d "$PG_DB" -c "select to_regclass('public.$table') is not null")" = "t" ] || continue
    log "  $table: $(psql_restored -d "$PG_DB" -c "select count(*) from $table") rows"
  done
  [ "$(psql_restored -d "$PG_DB" -c "select to_regclass('public.orders') is not null")" = "t" ] \
    && log "  newest order: $(psql_restored -d "$PG_DB" -c "select coalesce(max(created_at)::text, 'none') from orders")"
fi
as_user="sudo -u postgres"; [ "$(id -u)" -eq 0 ] && as_user="runuser -u postgres --"
log "stop it with: $as_user $PG_BIN/pg_ctl -D $target_dir stop"
