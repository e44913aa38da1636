#!/usr/bin/env bash
# Starts Debian's prometheus on loopback, data in the data folder, scraping /metrics of every server node given by port.
#   bash infra/prometheus.sh 5081 5082     (default: the demo's 5080)
# Idempotent: a prometheus this script started is stopped and started again with the new list. Prints its URL.
# DISPATCH_PROMETHEUS_PORT (default 9090) moves it.
set -euo pipefail
source "$(dirname "$0")/env.sh"

"$(dirname "$0")/install.sh" prometheus >/dev/null
PROM_PORT="${DISPATCH_PROMETHEUS_PORT:-9090}"
PROM_DIR="$DATA_DIR/prometheus"
mkdir -p "$PROM_DIR/data" "$LOG_DIR"
ports=("$@")
[ ${#ports[@]} -eq 0 ] && ports=("${DISPATCH_PORT:-5080}")
for p in "${ports[@]}"; do [[ "$p" =~ ^[0-9]+$ ]] || die "node ports must be numbers, got '$p'"; done

targets="$(printf "'127.0.0.1:%s', " "${ports[@]}")"
cat > "$PROM_DIR/prometheus.yml" <<YAML
# Written by infra/prometheus.sh; run it again with other ports instead of editing.
global:
  scrape_interval: 5s
  evaluation_interval: 5s
scrape_configs:
  - job_name: dispatch
    metrics_path: /metrics
    static_configs:
      - targets: [${targets%, }]
YAML

if [ -f "$PROM_DIR/pid" ] && kill -0 "$(cat "$PROM_DIR/pid")" 2>/dev/null; then
  kill "$(cat "$PROM_DIR/pid")"
  for _ in $(seq 1 40); do kill -0 "$(cat "$PROM_DIR/pid")" 2>/dev/null || break; sleep 0.25; done
fi
port_in_use "$PROM_PORT" && die "port $PROM_PORT is in use by another program; set DISPATCH_PROMETHEUS_PORT"

nohup prometheus --config.file="$PROM_DIR/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
  --storage.tsdb.retention.time=2d --web.listen-address="127.0.0.1:$PROM_PORT" > "$LOG_DIR/prometheus.log" 2>&1 &
echo $! > "$PROM_DIR/pid"
for _ in $(seq 1 40); do port_in_use "$PROM_PORT" && break; sleep 0.25; done
port_in_use "$PROM_PORT" || die "prometheus did not start; see $LOG_DIR/prometheus.log"
log "prometheus on http://127.0.0.1:$PROM_PORT scraping ${ports[*]} (dashboard: infra/dashboard.json for Grafana; log: $LOG_DIR/prometheus.log)"
