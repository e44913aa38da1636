#!/usr/bin/env bash
# Fan-out benchmark (issue 20): live-update deliveries per second to customers and boards through the server's hubs with
# the SignalR Redis backplane (as shipped) ÷ the same hubs with SignalR's in-process lifetime manager, alternating in one
# run. `Dispatch.Bench fanout` starts the server inside its own process on a scratch database and Redis prefix (both removed
# at the end) and connects raw WebSocket clients (JSON protocol): C customers, each in their own order's group, and B
# boards in one zone's group; customer pushes go out through the server's TrackingSender (as CustomerPushes sends them:
# watchers on the node written directly, other nodes' through the backplane) and frames through IHubContext as BoardFrames
# sends them, as fast as the server takes them, and the clients count what arrives. --second-node-percent P puts P % of the
# customers on a second node (backplane runs only), so their pushes cross Redis. Not a test: it prints numbers and the ratio.
#   bash infra/bench-fanout.sh [--customers 2000] [--boards 20] [--board-couriers 50] [--seconds 10] [--senders 4] [--runs 2]
#                              [--second-node-percent 0]
set -euo pipefail
cd "$(dirname "$0")/.."
bench_name=bench-fanout
source infra/bench-scale-lib.sh
ulimit -n "$(ulimit -Hn)"
say "$(bench_load)"
bench_build
dotnet Dispatch.Bench/bin/Release/net10.0/Dispatch.Bench.dll fanout "$@"
say "$(bench_load)"
