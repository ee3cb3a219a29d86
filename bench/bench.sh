#!/usr/bin/env bash
# Runs the benchmarks: bench/bench.sh [scenario…], scenarios out of ingest, reject-401, reject-429,
# duplicates, list, pgbench and queries (all by default). Starts the benchmark's own PostgreSQL and Redis,
# builds the service, pins the load generator to CPU 0 (servers under test go to CPU 1) and writes
# raw results to bench/results/. BENCH_KEEP_SERVERS=1 leaves PostgreSQL and Redis running afterwards.
# BENCH_BEFORE_REF=<git ref> also builds that commit into /tmp/aias-bench/before-<sha> and measures
# it as the target nest-fastify-before, for before/after numbers of a change in one run.
set -euo pipefail
cd "$(dirname "$0")/.."

http=()
pgbench=0
queries=0

for scenario in "${@:-all}"; do
  case "$scenario" in
    all) http=(ingest reject-401 reject-429 duplicates list); pgbench=1; queries=1 ;;
    pgbench) pgbench=1 ;;
    queries) queries=1 ;;
    *) http+=("$scenario") ;;
  esac
done

bash bench/cluster.sh start
trap '[ "${BENCH_KEEP_SERVERS:-0}" = 1 ] || bash bench/cluster.sh stop' EXIT

status=0

if [ "${#http[@]}" -gt 0 ]; then
  npm run build --silent

  if [ -n "${BENCH_BEFORE_REF:-}" ]; then
    sha="$(git rev-parse --short "$BENCH_BEFORE_REF")"
    export BENCH_BEFORE_DIR="${BENCH_DIR:-/tmp/aias-bench}/before-$sha"

    if [ ! -f "$BENCH_BEFORE_DIR/dist/main.js" ]; then
      rm -rf "$BENCH_BEFORE_DIR"
      mkdir -p "$BENCH_BEFORE_DIR"
      git archive "$sha" | tar -x -C "$BENCH_BEFORE_DIR"
      ln -s "$PWD/node_modules" "$BENCH_BEFORE_DIR/node_modules"
      (cd "$BENCH_BEFORE_DIR" && node prisma/generate.cjs >/dev/null && npx tsc -p tsconfig.build.json)
    fi
  fi

  taskset -c "${BENCH_LOAD_CPU:-0}" node -r ts-node/register/transpile-only bench/run.ts "${http[@]}" || status=$?
fi

# pgbench reuses the tenants that the HTTP scenarios of this run seeded, or seeds its own.
if [ "$pgbench" = 1 ]; then
  if [ "${#http[@]}" -eq 0 ]; then
    taskset -c "${BENCH_LOAD_CPU:-0}" node -r ts-node/register/transpile-only -e \
      "require('./bench/support/seed').seedDatabase().then(() => process.exit(0))"
  fi

  node -r ts-node/register/transpile-only bench/db/run.ts || status=$?
fi

if [ "$queries" = 1 ]; then
  taskset -c "${BENCH_LOAD_CPU:-0}" node -r ts-node/register/transpile-only bench/query/run.ts || status=$?
fi

exit "$status"
