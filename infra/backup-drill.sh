#!/usr/bin/env bash
# The daily drill: restores the newest base backup plus the archived log after it into a scratch folder and port, prints
# the row counts and the newest order time, then stops and removes the copy. Exit code 0 only if the restore worked, so a
# cron line can alert on it:  30 3 * * *  cd /path/to/dispatch && bash infra/backup-drill.sh >> .data/log/drill.log 2>&1
# The running cluster and the backups are never touched.
set -euo pipefail
source "$(dirname "$0")/env.sh"

port=25452 # below the ephemeral range, where no client connection can hold it
while port_in_use "$port"; do port=$((port + 1)); done
scratch="$DATA_DIR/drill-$(date -u +%Y%m%dT%H%M%SZ)"
cleanup() {
  as_postgres "$PG_BIN/pg_ctl" -D "$scratch" -m fast -w stop >/dev/null 2>&1 || true
  as_root rm -rf "$scratch"
}
trap cleanup EXIT

log "drill: restoring the newest backup into $scratch on port $port"
bash "$(dirname "$0")/restore.sh" --target-dir "$scratch" --port "$port" | grep -v 'stop it with'
log "drill passed: the backup restores; the copy is removed"
