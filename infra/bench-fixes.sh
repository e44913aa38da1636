#!/usr/bin/env bash
# Hot-path benchmark: simulated couriers send fixes over WebSockets + MessagePack to a real server,
# measured end to end into Redis, next to redis-benchmark GEOADD (with and without pipelining) on the same Redis,
# in the same invocation. Not a test: it prints numbers and ratios.
#   BENCH_COURIERS (default 10000), BENCH_SECONDS (30), BENCH_BATCH (10 fixes per call), BENCH_PORT (5090)
set -euo pipefail
cd "$(dirname "$0")/.."
couriers="${BENCH_COURIERS:-10000}"
seconds="${BENCH_SECONDS:-30}"
batch="${BENCH_BATCH:-10}"
port="${BENCH_PORT:-5090}"
url="http://127.0.0.1:$port"

bash infra/start.sh >/dev/null
source infra/env.sh
set -a; source "$DATA_DIR/services.env"; set +a
redis_port="${ConnectionStrings__Redis##*:}"

echo "[bench] building Release"
dotnet build Dispatch.sln -c Release -nologo > "$DATA_DIR/log/bench-build.log" 2>&1 || { echo "[bench] build failed; see $DATA_DIR/log/bench-build.log"; exit 1; }

echo "[bench] baseline: redis-benchmark GEOADD on the same Redis (200k commands, 50 clients)"
geoadd() {
  redis-benchmark -h 127.0.0.1 -p "$redis_port" -n 200000 -c 50 -r 100000 -P "$1" -q \
    GEOADD benchmark:geo 7.42 43.73 member:__rand_int__ | tr '\r' '\n' | grep -Eo '[0-9.]+ requests per second' | tail -n1 | awk '{print int($1)}'
}
redis_plain=$(geoadd 1)
redis_piped=$(geoadd 16)
redis-cli -p "$redis_port" DEL benchmark:geo >/dev/null
echo "[bench]   GEOADD, no pipelining:     $redis_plain /s"
echo "[bench]   GEOADD, 16-deep pipeline:  $redis_piped /s"

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "[bench] port $port in use; set BENCH_PORT"; exit 1; fi
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The server shares the demo's database, whose names, phones and PINs only the demo's privacy keys open: use (or make) those.
umask 077
for key in Privacy__KeyEncryptionKey Privacy__PhoneHashKey; do
  grep -qs "^$key=" "$DATA_DIR/secrets.env" || echo "$key='$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')'" >> "$DATA_DIR/secrets.env"
done
umask 022
eval "$(grep -E '^Privacy__(KeyEncryptionKey|PhoneHashKey)=' "$DATA_DIR/secrets.env" | sed 's/^/export /')"
echo "[bench] starting server on $url (log: $DATA_DIR/log/bench-server.log)"
ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning Dispatch__RedisPrefix=bench \
  Auth__SigningKey="$secret" Auth__LinkSigningKey="$secret" Payments__CallbackSecret="$secret" \
  dotnet Dispatch.Server/bin/Release/net10.0/Dispatch.Server.dll --urls "$url" --contentRoot "$PWD/Dispatch.Server" \
  > "$DATA_DIR/log/bench-server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true; redis-cli -p "$redis_port" --scan --pattern "bench:*" | xargs -r -n 1000 redis-cli -p "$redis_port" DEL >/dev/null' EXIT
for _ in $(seq 1 120); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "$url/healthz" >/dev/null || { echo "[bench] server did not start; see $DATA_DIR/log/bench-server.log"; exit 1; }

admin=$(curl -sf -X POST "$url/dev/token" -H 'content-type: application/json' -d '{"role":"admin","subject":"bench"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
stats() { curl -sf "$url/api/metrics/pipeline" -H "authorization: Bearer $admin"; }
flushed() { stats | sed -E 's/.*"fixesFlushedToRedis":([0-9]+).*/\1/'; }

echo "[bench] load: $couriers couriers, $batch fixes per SendFixes, $seconds s (client and server on this machine)"
before=$(flushed)
start=$(date +%s.%N)
dotnet Dispatch.Courier/bin/Release/net10.0/Dispatch.Courier.dll bench --server "$url" --couriers "$couriers" \
  --seconds "$seconds" --fixes-per-batch "$batch" --connections-per-second "${BENCH_CONNECT_RATE:-250}" | tee "$DATA_DIR/log/bench-client.log"
# Let the last flush land, then read how many fixes reached Redis.
sleep 1.5
after=$(flushed)
line=$(grep '^BENCH ' "$DATA_DIR/log/bench-client.log" | tail -n1)
client_fps=$(sed -E 's/.*fixes_per_second=([0-9.]+).*/\1/' <<<"$line")
into_redis=$((after - before))
accepted=$(sed -E 's/.*accepted=([0-9]+).*/\1/' <<<"$line")

echo
echo "RESULT couriers=$couriers batch=$batch seconds=$seconds"
echo "RESULT fixes/s accepted end to end:            $client_fps   (acknowledged by the hub during the load phase)"
echo "RESULT fixes flushed into Redis by the server:  $into_redis   ($accepted acknowledged in the window, plus the batches still in flight when it closed)"
sleep 2 # let the write-behind COPY catch up before reading its counters
final=$(stats)
echo "RESULT track points COPYed to Postgres:       $(sed -E 's/.*"trackPointsWritten":([0-9]+).*/\1/' <<<"$final")   dropped: $(sed -E 's/.*"trackPointsDropped":([0-9]+).*/\1/' <<<"$final")"
echo "RESULT redis-benchmark GEOADD plain:            $redis_plain /s   ratio fixes/GEOADD = $(awk -v a="$client_fps" -v b="$redis_plain" 'BEGIN{printf "%.2f", a/b}')"
echo "RESULT redis-benchmark GEOADD pipelined (P16):  $redis_piped /s   ratio fixes/GEOADD = $(awk -v a="$client_fps" -v b="$redis_piped" 'BEGIN{printf "%.2f", a/b}')"
