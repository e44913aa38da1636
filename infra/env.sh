# Shared settings for the infra scripts. Source it; do not run it.
# Everything lives under the repository's git-ignored .data folder and listens on loopback only.
DISPATCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${DISPATCH_DATA_DIR:-$DISPATCH_ROOT/.data}"
PG_PORT="${DISPATCH_PG_PORT:-55432}"
REDIS_PORT="${DISPATCH_REDIS_PORT:-56379}"
PG_BIN="${DISPATCH_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DATA="$DATA_DIR/pg"
REDIS_DIR="$DATA_DIR/redis"
LOG_DIR="$DATA_DIR/log"
# Continuous backup (infra/backup.sh, infra/restore.sh): base backups and the archived write-ahead log.
BACKUP_DIR="${DISPATCH_BACKUP_DIR:-$DATA_DIR/backups}"
WAL_ARCHIVE="$BACKUP_DIR/wal"
BASE_BACKUPS="$BACKUP_DIR/base"
PG_DB="${DISPATCH_PG_DB:-dispatch}"
PG_USER="${DISPATCH_PG_USER:-dispatch}"
PG_PASSWORD="${DISPATCH_PG_PASSWORD:-dispatch-dev}"

# The server's garbage collector: a 64 MB gen-0 budget (the runtime's own on this 2-core machine is a few MB, so a batch round
# of 1,000 orders — about 23 MB of short-lived objects — met a collection in a third of the rounds; docs/benchmarks.md, batch
# tick). DOTNET_GCgen0size is read from the environment only; set your own value before running a script, or set it empty
# to keep the runtime's default.
export DOTNET_GCgen0size="${DOTNET_GCgen0size-0x4000000}"

# Run a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Run a command as the postgres system user (initdb refuses root).
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@";
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@";
  else sudo -u postgres "$@"; fi
}

log() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

connection_string() {
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s' "$PG_PORT" "$PG_DB" "$PG_USER" "$PG_PASSWORD"
}
