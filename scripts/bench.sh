#!/usr/bin/env bash
# `npm run bench`: the figures of issue #7 (stale-fleet queries and pages at
# scale, reprovision throughput against plain Docker, registry calls), one line
# each, written to bench-results/bench-<timestamp>.json (or $BENCH_OUTPUT), and the job queue's
# overhead per operation item (issue #16, section `queue`).
#
#   npm run bench                      full run (100k rows, N=20, concurrency 1/4/8)
#   BENCH_SMOKE=1 npm run bench        the small run `npm test` does
#   BENCH_SIZES=1000,10000 BENCH_BACKENDS=postgres BENCH_CONCURRENCY=4 BENCH_N=10 npm run bench
#   BENCH_SECTIONS=queue npm run bench    only the queue's overhead per item
#   BENCH_SECTIONS=hosts npm run bench    only the bulk over three hosts (one TLS) against plain Docker
#
# Uses the services named by TEST_PG_ADMIN_URL, DOCKER_HOST and TEST_REGISTRY_HOST
# (as scripts/test-all.sh exports them); when any is missing it starts its own
# (scripts/services/start.sh) in a temp folder and stops them on exit. Builds the
# app first when there is no production build. Exits non-zero only when the
# script itself breaks: a missed target is a MISS line, not a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
# The figures are the output: the code under test logs only warnings and errors unless asked.
export FLEETPIN_LOG_LEVEL="${FLEETPIN_LOG_LEVEL:-warn}"

services=""
cleanup() { if [ -n "$services" ]; then scripts/services/stop.sh "$services"; fi; }
trap cleanup EXIT

if [ -z "${TEST_PG_ADMIN_URL:-}" ] || [ -z "${DOCKER_HOST:-}" ] || [ -z "${TEST_REGISTRY_HOST:-}" ]; then
  services="$(mktemp -d /tmp/fleetpin-bench.XXXXXX)"
  echo "bench: TEST_PG_ADMIN_URL, DOCKER_HOST or TEST_REGISTRY_HOST unset; starting PostgreSQL, dockerd and a registry in $services" >&2
  scripts/services/start.sh "$services" >/dev/null || { echo "bench: could not start the services (see scripts/services/start.sh)" >&2; exit 1; }
  set -a
  # shellcheck disable=SC1091
  . "$services/env"
  set +a
fi

if [ ! -f .next/BUILD_ID ]; then
  echo "bench: no production build (.next); running npm run build" >&2
  npm run --silent build
fi

# --conditions react-server: lib/ modules import "server-only", which only resolves (to an
# empty module) under the React server condition, exactly as in the Next server bundle.
node_modules/.bin/tsx --conditions react-server bench/run.ts
