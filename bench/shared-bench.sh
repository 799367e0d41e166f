#!/usr/bin/env bash
# Runs the shared harness (/work/shared/bench, read-only) with bench/shared-bench.config.mjs.
# run.sh installs its npm dependencies and Portkey into its own directory, which it cannot do in a read-only
# checkout, so the harness is copied to a writable place first (node_modules there are kept between runs).
#   bench/shared-bench.sh [suite options...]     e.g. --rounds 1 --duration 5 --warmup 2 --conns 1,16
# Env: SHARED_BENCH (/work/shared/bench), SHARED_BENCH_COPY (/tmp/shared-bench), results: --out (default
# /tmp/shared-bench-results/<timestamp>).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${SHARED_BENCH:-/work/shared/bench}"
copy="${SHARED_BENCH_COPY:-/tmp/shared-bench}"
[[ -f "$here/../dist/main.js" ]] || { echo "dist/ is missing: run npm run build first" >&2; exit 1; }
mkdir -p "$copy"
# source files only: node_modules, results and logs of the copy survive
(cd "$src" && find . -path ./node_modules -prune -o -path ./peers/node_modules -prune -o -path ./results -prune -o -type f -print0 |
  xargs -0 -I{} cp --parents {} "$copy/")
chmod -R u+w "$copy"
out=(--out "/tmp/shared-bench-results/$(date +%Y%m%d-%H%M%S)")
for a in "$@"; do [[ "$a" == --out* ]] && out=(); done
cd "$copy" && exec ./run.sh --config "$here/shared-bench.config.mjs" "${out[@]}" "$@"
