#!/usr/bin/env bash
# Applies the database migrations as an explicit deploy step, before the new version starts (outside Development the server
# refuses to start on a schema that is not exactly its own).
#   bash infra/migrate.sh                 apply this version's migrations (nothing to do is fine)
#   bash infra/migrate.sh --to <Name>     undo the migrations newer than <Name> (e.g. --to Outbox; 0 undoes all); refused
#                                         through one marked not reversible (then restore the backup taken before the upgrade)
# Refuses (exit 2, nothing changed) a database a newer version migrated. Reads ConnectionStrings__Postgres from the
# environment, else from .data/services.env. Builds the server (Release) first, so the migrations are those of this
# checkout; in a container run the shipped server instead: dotnet Dispatch.Server.dll migrate [--to <Name>].
set -euo pipefail
cd "$(dirname "$0")/.."
source infra/env.sh

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  [ -f "$DATA_DIR/services.env" ] || die "ConnectionStrings__Postgres is not set and $DATA_DIR/services.env is missing (bash infra/start.sh writes it)"
  set -a; source "$DATA_DIR/services.env"; set +a
fi
mkdir -p "$LOG_DIR"
dotnet build Dispatch.Server -c Release -nologo > "$LOG_DIR/migrate-build.log" 2>&1 \
  || { grep -E "error" "$LOG_DIR/migrate-build.log" | sort -u | head -n 20; die "build failed; see $LOG_DIR/migrate-build.log"; }
exec dotnet Dispatch.Server/bin/Release/net10.0/Dispatch.Server.dll migrate "$@"
