#!/usr/bin/env bash
# Takes a base backup of the running PostgreSQL cluster (pg_basebackup, tar, gzip) and a Redis snapshot (redis.rdb) into
# .data/backups/base/<UTC time>, then prunes base backups and archived write-ahead log older than the retention. With the
# archive that infra/start.sh turns on, infra/restore.sh can bring the database back to any moment since the oldest base
# backup kept.
#   DISPATCH_BACKUP_KEEP_DAYS (default 7): restoring to any moment of the last N days stays possible.
# Schedule it once a day, e.g. cron: 15 3 * * *  cd /path/to/dispatch && bash infra/backup.sh >> .data/log/backup.log 2>&1
set -euo pipefail
source "$(dirname "$0")/env.sh"

keep_days="${DISPATCH_BACKUP_KEEP_DAYS:-7}"
[[ "$keep_days" =~ ^[0-9]+$ ]] || die "DISPATCH_BACKUP_KEEP_DAYS must be a whole number of days, got '$keep_days'"
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 || die "PostgreSQL is not running in $PG_DATA; start it with bash infra/start.sh"
[ -d "$WAL_ARCHIVE" ] || die "no write-ahead-log archive at $WAL_ARCHIVE; run bash infra/start.sh (it turns archiving on)"
archiving="$(as_postgres "$PG_BIN/psql" -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres -qtAc "show archive_mode")"
[ "$archiving" = "on" ] || log "warning: archive_mode is off, so this backup restores only to its own end (restart with bash infra/stop.sh && bash infra/start.sh)"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$BASE_BACKUPS/$stamp"
partial="$BASE_BACKUPS/.$stamp.partial"
# A backup interrupted half-way must never look like a finished one: it is written under a hidden name and renamed at the end.
trap 'as_root rm -rf "$partial"' EXIT
as_root mkdir -p "$BASE_BACKUPS"
as_root chown postgres:postgres "$BASE_BACKUPS"

started=$(date +%s.%N)
log "base backup $stamp of 127.0.0.1:$PG_PORT into $target"
# -X stream puts the log written during the backup inside it, so a backup restores on its own even without the archive.
as_postgres "$PG_BIN/pg_basebackup" -h "$PG_DATA" -p "$PG_PORT" -U postgres -D "$partial" -Ft -z -X stream -c fast \
  -l "dispatch $stamp" 2> >(grep -v 'skipping special file' >&2) || die "pg_basebackup failed; nothing was kept"
finished=$(date +%s.%N)
# The moment the backup became consistent (restore.sh picks the newest backup finished before the target time) and the first
# log segment it needs (the archive is pruned up to the oldest kept backup's segment). backup_label is the tar's first
# member, so --occurrence stops reading there instead of unpacking the whole archive.
date -u -d "@$finished" '+%Y-%m-%d %H:%M:%S.%N+00' | as_postgres tee "$partial/finished_at" >/dev/null
as_postgres tar --occurrence=1 -xzOf "$partial/base.tar.gz" backup_label | sed -n 's/^START WAL LOCATION: .*(file \(.*\))$/\1/p' \
  | as_postgres tee "$partial/start_wal" >/dev/null
[ -s "$partial/start_wal" ] || die "the backup has no readable backup_label; nothing was kept"
# Redis beside it: the admins' strategy overrides and the alert acknowledgements live only there (a snapshot over the
# replication protocol, consistent, with no file written in Redis's own folder).
if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --rdb "$partial/redis.rdb" >/dev/null 2>&1 || die "Redis snapshot failed; nothing was kept"
  as_root chmod 600 "$partial/redis.rdb"
else
  log "warning: Redis is not running on 127.0.0.1:$REDIS_PORT; this backup has no Redis snapshot"
fi
as_root mv "$partial" "$target"
trap - EXIT
log "backup done in $(awk "BEGIN { printf \"%.1f\", $finished - $started }") s: $(du -sh "$target" | cut -f1) ($(ls "$target" | tr '\n' ' '))"

# Retention: keep every backup newer than the cutoff and the newest one older than it (the one a restore to the cutoff
# needs); drop the rest, then the archived log older than the oldest backup kept.
cutoff=$(( $(date +%s) - keep_days * 86400 ))
mapfile -t backups < <(find "$BASE_BACKUPS" -mindepth 1 -maxdepth 1 -type d -name '2*' -printf '%f\n' | sort)
oldest_kept=""
past_cutoff=false
for (( i=${#backups[@]}-1; i>=0; i-- )); do
  b="${backups[$i]}"
  if $past_cutoff; then
    log "pruning base backup $b (older than $keep_days days)"
    as_root rm -rf "${BASE_BACKUPS:?}/$b"
    continue
  fi
  oldest_kept="$b"
  [ "$(date -u -d "$(cat "$BASE_BACKUPS/$b/finished_at")" +%s)" -le "$cutoff" ] && past_cutoff=true
done
before=$(find "$WAL_ARCHIVE" -maxdepth 1 -type f | wc -l)
first_needed="$(cat "$BASE_BACKUPS/$oldest_kept/start_wal")"
as_postgres "$PG_BIN/pg_archivecleanup" "$WAL_ARCHIVE" "$first_needed"
# pg_archivecleanup leaves the small .backup history files; those of pruned backups go too.
for f in "$WAL_ARCHIVE"/*.backup; do
  [ -e "$f" ] && [[ "$(basename "$f")" < "$first_needed" ]] && as_root rm -f "$f"
done
after=$(find "$WAL_ARCHIVE" -maxdepth 1 -type f | wc -l)
log "kept $(find "$BASE_BACKUPS" -mindepth 1 -maxdepth 1 -type d -name '2*' | wc -l) base backup(s) from $oldest_kept on" \
  "($(du -sh "$BASE_BACKUPS" | cut -f1)); archive: $after log segment(s), $(du -sh "$WAL_ARCHIVE" | cut -f1), $((before - after)) pruned"
