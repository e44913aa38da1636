# Shared by the scale benchmarks (infra/bench-connections.sh, bench-fanout.sh, bench-ingest.sh); source it after `cd` to
# the repository. Uses the services named by ConnectionStrings__Postgres / ConnectionStrings__Redis when both are set
# (a scratch cluster: DISPATCH_DATA_DIR=… DISPATCH_PG_PORT=… DISPATCH_REDIS_PORT=… bash infra/start.sh, then source its
# services.env); otherwise starts this checkout's own (infra/start.sh) and reads .data/services.env.
if [ -z "${ConnectionStrings__Postgres:-}" ] || [ -z "${ConnectionStrings__Redis:-}" ]; then
  bash infra/start.sh >/dev/null
  set -a; source .data/services.env; set +a
fi
export ConnectionStrings__Postgres ConnectionStrings__Redis
source infra/env.sh
mkdir -p "$LOG_DIR"
bench_pg_port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$ConnectionStrings__Postgres")
bench_redis_port="${ConnectionStrings__Redis##*:}"
bench_secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export PGPASSWORD="$PG_PASSWORD"
bench_psql() { psql -h 127.0.0.1 -p "$bench_pg_port" -U "$PG_USER" -d postgres -qtAc "$1"; }
say() { printf '[%s] %s\n' "$bench_name" "$*"; }

# BENCH_SKIP_BUILD=1 runs what the last Release build left (for a second run of the same code).
bench_build() {
  [ "${BENCH_SKIP_BUILD:-0}" = 1 ] && { say "Release build skipped (BENCH_SKIP_BUILD=1)"; return 0; }
  say "building Release (Dispatch.Bench, Dispatch.Server)"
  nice -n 5 dotnet build Dispatch.Bench -c Release -nologo > "$LOG_DIR/$bench_name-build.log" 2>&1 \
    || die "build failed; see $LOG_DIR/$bench_name-build.log"
}

# The server build the benchmarks start; BENCH_SERVER_DLL runs another (another checkout's, to compare builds back to back).
bench_server_dll="${BENCH_SERVER_DLL:-Dispatch.Server/bin/Release/net10.0/Dispatch.Server.dll}"

# bench_server PORT DATABASE PREFIX LOG [NAME=VALUE...]: one Dispatch.Server process in the background (pid in
# $bench_server_pid), Development, its own database and Redis prefix; returns when /health/ready answers.
bench_server() {
  local port="$1" db="$2" prefix="$3" log="$4"; shift 4
  port_in_use "$port" && die "port $port is in use; pick other ports"
  env "$@" ConnectionStrings__Postgres="${ConnectionStrings__Postgres/Database=dispatch;/Database=$db;}" \
    ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning Dispatch__RedisPrefix="$prefix" \
    Auth__SigningKey="$bench_secret" Auth__LinkSigningKey="$bench_secret" Payments__CallbackSecret="$bench_secret" \
    Privacy__KeyEncryptionKey="$bench_secret" Privacy__PhoneHashKey="$bench_secret" \
    dotnet "$bench_server_dll" --environment Development --urls "http://127.0.0.1:$port" \
    --contentRoot "$PWD/Dispatch.Server" >> "$log" 2>&1 &
  bench_server_pid=$!
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$bench_server_pid" 2>/dev/null || break
    sleep 0.5
  done
  die "server on port $port did not become ready; see $log"
}

# bench_stop PID...: stops processes this script started, and waits for them.
bench_stop() {
  local pid
  for pid in "$@"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
}

bench_drop() {
  bench_psql "drop database if exists $1 with (force)" >/dev/null 2>&1 || say "could not drop database $1; drop it by hand"
}

bench_clean_redis() {
  redis-cli -p "$bench_redis_port" --scan --pattern "$1:*" | xargs -r -n 1000 redis-cli -p "$bench_redis_port" DEL >/dev/null 2>&1 || true
}

bench_load() { printf 'load average %s' "$(cut -d' ' -f1-3 /proc/loadavg)"; }
