#!/usr/bin/env bash
# Backup benchmark: how long a base backup and a restore take for a simulated month of one operator (100 couriers, 3,000
# orders a day: 90,000 orders, 540,000 order events, and a fix every 10 s from every courier for 8 hours a day: 8.64
# million track points; about 1.7 GB). Fills a database of its own (bench_month, on the real schema), runs
# infra/backup.sh and infra/restore.sh, prints their times and sizes, then drops the database, the restored copy and the
# backup it took. Not a test: it prints numbers. It adds gigabytes of log to the archive, so it runs only against a
# scratch cluster named explicitly:
#   DISPATCH_DATA_DIR=$PWD/.scratch DISPATCH_PG_PORT=55532 DISPATCH_REDIS_PORT=56479 bash infra/bench-backup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${DISPATCH_DATA_DIR:-}" ] || { echo "[bench-backup] error: set DISPATCH_DATA_DIR (and the ports) to a scratch cluster; see the header" >&2; exit 2; }
source infra/env.sh
[ "$DATA_DIR" != "$DISPATCH_ROOT/.data" ] || die "DISPATCH_DATA_DIR is the project's own data folder; use a scratch one"
bash infra/start.sh >/dev/null
psql_admin() { as_postgres "$PG_BIN/psql" -h "$PG_DATA" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
[ "$(psql_admin -d postgres -c 'show archive_mode')" = "on" ] || die "archiving is off; restart the scratch cluster with infra/stop.sh and infra/start.sh"

db=bench_month
restored="$DATA_DIR/bench-restored"
port=$((PG_PORT + 30))
before=$(find "$BASE_BACKUPS" -mindepth 1 -maxdepth 1 -type d -name '2*' -printf '%f\n' | sort | tail -n 1)
cleanup() {
  as_postgres "$PG_BIN/pg_ctl" -D "$restored" -m immediate stop >/dev/null 2>&1 || true
  as_root rm -rf "$restored"
  psql_admin -d postgres -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

psql_admin -d postgres -c "create database $db owner $PG_USER template template1"
ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Database=$db;Username=$PG_USER;Password=$PG_PASSWORD" bash infra/migrate.sh
echo "[bench-backup] filling $db with a simulated month"
started=$(date +%s)
PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$db" -v ON_ERROR_STOP=1 -qtA <<'SQL'
insert into couriers (id, handle, name, phone, vehicle, equipment, capacity, created_at)
select gen_random_uuid(), 'month-' || i, 'Courier ' || i, '+33600' || lpad(i::text, 6, '0'), i % 3, 0, 2, now() - interval '31 days'
from generate_series(1, 100) i;
create temp table ids as select array_agg(id) a from couriers;
-- Delivered orders, one every 28.8 s for 30 days; the *_enc and hash columns hold text and bytes of the real lengths.
insert into orders (id, merchant_id, idempotency_key, request_hash, zone, kind, requires_cold_chain, status, pickup, pickup_address,
  dropoff, dropoff_address, items, promised_at, created_at, courier_id, tracking_expires_at, eta_at_accept, eta_at_pickup, delivered_at,
  version, courier_fee_cents, customer_name_enc, customer_phone_enc, pin_enc, customer_phone_hash, customer_phone_suffix_hash)
select gen_random_uuid(), 'merchant-' || (i % 40), 'month-' || i, md5(i::text), 'monaco', 0, i % 5 = 0, 9,
  st_setsrid(st_makepoint(7.41 + random() * 0.03, 43.72 + random() * 0.03), 4326)::geography, i || ' boulevard des Moulins',
  st_setsrid(st_makepoint(7.41 + random() * 0.03, 43.72 + random() * 0.03), 4326)::geography, i || ' avenue de la Costa, Monaco',
  array['2 x pizza margherita', '1 x tiramisu'], t + interval '45 min', t, (select a from ids)[1 + i % 100], t + interval '1 day',
  t + interval '30 min', t + interval '12 min', t + interval '35 min', 6, 450,
  encode(sha256(('n' || i)::bytea), 'base64') || encode(sha256(('m' || i)::bytea), 'base64') || encode(sha256(('o' || i)::bytea), 'base64'),
  encode(sha256(('p' || i)::bytea), 'base64') || encode(sha256(('q' || i)::bytea), 'base64') || encode(sha256(('r' || i)::bytea), 'base64'),
  encode(sha256(('s' || i)::bytea), 'base64') || encode(sha256(('t' || i)::bytea), 'base64'),
  sha256(('h' || i)::bytea), sha256(('k' || i)::bytea)
from (select i, now() - interval '30 days' + i * interval '28.8 seconds' as t from generate_series(1, 90000) i) s;
insert into order_events (order_id, status, at, actor, position)
select o.id, e, o.created_at + e * interval '6 min', 'courier:month',
  st_setsrid(st_makepoint(7.41 + random() * 0.03, 43.72 + random() * 0.03), 4326)::geography
from orders o cross join generate_series(1, 6) e;
insert into track_points (courier_id, at, position, accuracy, speed, heading)
select c.id, ts, st_setsrid(st_makepoint(7.41 + random() * 0.03, 43.72 + random() * 0.03), 4326)::geography, 5, 6.5, 90
from generate_series(date_trunc('day', now()) - interval '30 days' + interval '10 hours',
                     date_trunc('day', now()) - interval '1 day' + interval '18 hours', interval '10 s') ts
cross join couriers c
where extract(hour from ts) between 10 and 17;
SQL
size=$(psql_admin -d "$db" -c "select pg_size_pretty(pg_database_size(current_database()))")
echo "[bench-backup] filled in $(( $(date +%s) - started )) s: $db is $size; cluster $(du -sh "$PG_DATA" | cut -f1)"

started=$(date +%s.%N)
DISPATCH_BACKUP_KEEP_DAYS=36500 bash infra/backup.sh
backup_s=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $started }")
taken=$(find "$BASE_BACKUPS" -mindepth 1 -maxdepth 1 -type d -name '2*' -printf '%f\n' | sort | tail -n 1)
[ "$taken" != "$before" ] || die "no new base backup"
backup_size=$(du -sh "$BASE_BACKUPS/$taken" | cut -f1)
started=$(date +%s.%N)
DISPATCH_PG_DB="$db" bash infra/restore.sh --target-dir "$restored" --port "$port"
restore_s=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $started }")
as_root rm -rf "${BASE_BACKUPS:?}/$taken"

echo "RESULT month: $size in $db (90000 orders, 540000 order events, 8640000 track points)"
echo "RESULT backup.sh: $backup_s s, $backup_size compressed (the whole cluster)"
echo "RESULT restore.sh: $restore_s s (unpack, replay, start, counts)"
