#!/usr/bin/env bash
# The restore test (run by test.sh): on a throw-away cluster with archiving on (infra/start.sh on spare ports), writes
# orders, takes a base backup (infra/backup.sh), writes, updates and deletes more, notes a moment T, writes more, loses the
# cluster, restores to T (infra/restore.sh) and checks the restored orders are exactly those committed before T, identical
# (same count, same checksum of every row). Prints "restore test passed" or the difference; exit code 0 only if it passed.
# Never touches the project's own cluster or backups.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/infra/env.sh"

free_port() {
  local p=$1
  while port_in_use "$p"; do p=$((p + 1)); done
  echo "$p"
}
work="$(mktemp -d /tmp/dispatch-restore-test.XXXXXX)"
chmod 755 "$work"
export DISPATCH_DATA_DIR="$work/data" DISPATCH_BACKUP_DIR="$work/data/backups" DISPATCH_WAL_ARCHIVE=on
# Below the kernel's ephemeral range (32768–60999): a port there can be some client connection's local port, which
# no listener sees but which makes the bind fail.
DISPATCH_PG_PORT="$(free_port 25600)"; export DISPATCH_PG_PORT
DISPATCH_REDIS_PORT="$(free_port 26600)"; export DISPATCH_REDIS_PORT
restore_port="$(free_port $((DISPATCH_PG_PORT + 1)))"
restored="$work/restored"
source "$root/infra/env.sh"

cleanup() {
  as_postgres "$PG_BIN/pg_ctl" -D "$restored" -m immediate stop >/dev/null 2>&1 || true
  bash "$root/infra/stop.sh" >/dev/null 2>&1 || true
  [ -n "${KEEP_RESTORE_TEST:-}" ] || as_root rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s)

bash "$root/infra/start.sh" >/dev/null
psql_test() { as_postgres "$PG_BIN/psql" -h "$PG_DATA" -p "$PG_PORT" -U postgres -d "$PG_DB" -v ON_ERROR_STOP=1 -qtA "$@"; }
# A stand-in for the orders table with the kinds of columns the real one has (text, numbers, jsonb, times, geography is
# left out so the test needs no extension); the restore itself does not depend on the schema.
psql_test <<'SQL'
create table orders (id bigint primary key, created_at timestamptz not null default clock_timestamp(), status text not null,
  merchant text not null, total_cents int not null, items jsonb not null, note text);
insert into orders (id, status, merchant, total_cents, items, note)
select i, 'created', 'merchant-' || (i % 17), (random() * 10000)::int, jsonb_build_object('n', i, 'sku', md5(i::text)),
  repeat(md5(random()::text), 3) from generate_series(1, 2000) i;
SQL
bash "$root/infra/backup.sh" >/dev/null

# After the backup: new orders, changed orders and a deleted one, each in its own transaction, all before T.
psql_test -c "insert into orders (id, status, merchant, total_cents, items) select i, 'created', 'm', i, '{}' from generate_series(2001, 3000) i"
psql_test -c "update orders set status = 'delivered', note = null where id % 7 = 0"
psql_test -c "delete from orders where id between 100 and 149"
expected="$(psql_test -c "select count(*) || ' ' || md5(string_agg(o::text, '|' order by id)) from orders o")"
target="$(psql_test -c "select clock_timestamp()")"
# After T: more of each, which the restore must not contain.
psql_test -c "insert into orders (id, status, merchant, total_cents, items) select i, 'created', 'late', i, '{}' from generate_series(3001, 3500) i"
psql_test -c "update orders set status = 'cancelled' where id % 5 = 0"
psql_test -c "delete from orders where id between 200 and 299"

# The last segment must reach the archive before the cluster is lost, as archive_timeout would do on its own.
segment="$(psql_test -c "select pg_walfile_name(pg_switch_wal())")"
for _ in $(seq 1 300); do
  [ "$(psql_test -c "select coalesce(last_archived_wal >= '$segment', false) from pg_stat_archiver")" = "t" ] && break
  sleep 0.1
done
[ "$(psql_test -c "select coalesce(last_archived_wal >= '$segment', false) from pg_stat_archiver")" = "t" ] \
  || die "restore test: segment $segment was not archived within 30 s"

# The disk dies: the cluster and its data folder are gone; the backups folder stays.
bash "$root/infra/stop.sh" >/dev/null
as_root rm -rf "$PG_DATA"

bash "$root/infra/restore.sh" --to "$target" --target-dir "$restored" --port "$restore_port" > "$work/restore.out" \
  || { cat "$work/restore.out"; die "restore test: infra/restore.sh failed"; }
actual="$(as_postgres "$PG_BIN/psql" -h "$restored" -p "$restore_port" -U postgres -d "$PG_DB" -qtA \
  -c "select count(*) || ' ' || md5(string_agg(o::text, '|' order by id)) from orders o")"
if [ "$actual" != "$expected" ]; then
  cat "$work/restore.out"
  die "restore test failed: restored to $target, expected '$expected' (rows, checksum), found '$actual'"
fi
log "restore test passed in $(( $(date +%s) - started )) s: $actual (rows, checksum) restored to $target"
