#!/usr/bin/env bash
# Lints the pages' own scripts (Dispatch.Server/wwwroot, not the vendored lib/) with ESLint (web/eslint.config.js) and
# checks their formatting with Prettier (web/.prettierrc), both from web/node_modules (bash web/build.sh installs them).
# Prints what to fix and exits non-zero when either finds something. `bash web/lint.sh --fix` applies ESLint's fixes
# and formats the files instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=web/node_modules/.bin
pages=Dispatch.Server/wwwroot
if [ ! -x "$bin/eslint" ] || [ ! -x "$bin/prettier" ]; then
  echo "[lint] ESLint or Prettier is not installed in web/node_modules; run: bash web/build.sh"
  exit 2
fi
mapfile -t files < <(find "$pages" -path "$pages/lib" -prune -o -name '*.js' -type f -print | sort)

if [ "${1:-}" = "--fix" ]; then
  "$bin/eslint" -c web/eslint.config.js --fix "${files[@]}" || true
  "$bin/prettier" --config web/.prettierrc --log-level warn --write "${files[@]}"
  exit 0
fi

status=0
if ! "$bin/eslint" -c web/eslint.config.js --max-warnings 0 "${files[@]}"; then
  echo "[lint] ESLint found the problems above (rules: web/eslint.config.js)."
  status=1
fi
if ! "$bin/prettier" --config web/.prettierrc --log-level warn --check "${files[@]}"; then
  echo "[lint] Prettier would reformat the files above; run: bash web/lint.sh --fix"
  status=1
fi
[ "$status" -eq 0 ] && echo "[lint] ${#files[@]} scripts: ESLint and Prettier are happy"
exit "$status"
