#!/usr/bin/env bash
# Runs the whole test suite against real PostgreSQL+PostGIS and Redis (installed and started by infra/start.sh).
# Ends with the line "N passed, N failed, N skipped". Exit code is non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")"

bash infra/start.sh
set -a; source .data/services.env; set +a

mkdir -p artifacts
bash web/build.sh
# The pages' scripts: ESLint and Prettier. A lint error counts as one failure, and the tests still run.
lint_failed=0
echo "[test] linting the pages (log: artifacts/lint.log)"
if ! bash web/lint.sh > artifacts/lint.log 2>&1; then
  head -n 40 artifacts/lint.log
  echo "[test] lint failed; fix the problems above (formatting: bash web/lint.sh --fix; full log: artifacts/lint.log)"
  lint_failed=1
fi
echo "[test] building (log: artifacts/build.log)"
if ! dotnet build Dispatch.sln -c Release -nologo > artifacts/build.log 2>&1; then
  grep -E "error|Error" artifacts/build.log | sort -u | head -n 30
  echo "[test] build failed; fix the errors above (full log: artifacts/build.log)"
  echo "0 passed, $((1 + lint_failed)) failed, 0 skipped"
  exit 1
fi
log=artifacts/test-output.log
echo "[test] running (log: $log)"
status=0
dotnet test --solution Dispatch.sln -c Release --no-build 2>&1 | tee "$log" || status=$?

total=$(grep -E '^\s+total:' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+failed:' "$log" | awk '{s+=$2} END {print s+0}')
passed=$(grep -E '^\s+succeeded:' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^\s+skipped:' "$log" | awk '{s+=$2} END {print s+0}')
# The restore test is a script (it makes, backs up, loses and restores a throw-away cluster); it counts as one test.
echo "[test] restore test (log: artifacts/restore-test.log)"
if bash infra/test-restore.sh > artifacts/restore-test.log 2>&1; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); status=1
  echo "failed infra/test-restore.sh: $(tail -n 1 artifacts/restore-test.log)" >> "$log"
fi
if [ "$total" -eq 0 ]; then
  echo "[test] no test ran; see $log"
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if grep -qE '^failed ' "$log"; then
  echo "[test] failed tests (details in $log):"
  # Each with its message (up to the stack trace), so a CI log that keeps only the end still says why.
  awk '/^failed /{n=8; print "  " $0; next} n>0 && /^ +(at |from )/{n=0} n>0{print "    " $0; n--}' "$log"
fi
if [ "$lint_failed" -ne 0 ]; then
  echo "[test] lint failed (details in artifacts/lint.log)"
  failed=$((failed + 1))
  status=1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
