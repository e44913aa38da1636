#!/usr/bin/env bash
# Two nodes against one (issue 20): the ingestion benchmark through HAProxy with one server node, then with two on the
# same database and Redis, in one run (see infra/bench-ingest.sh for what is measured and the BENCH_* settings).
set -euo pipefail
exec bash "$(dirname "$0")/bench-ingest.sh" 1 2
