#!/usr/bin/env bash
# The whole test suite, as the README and CI run it:
#   1. start real services in a temp dir (PostgreSQL, dockerd, registry)
#   2. static checks: layer rules (dependency-cruiser), ESLint, Prettier's format check
#   3. unit + integration tests (Vitest) against the services, on PostgreSQL and PGlite
#   4. production build, then the tests of processes on it (two dashboards, two workers) and the
#      browser journeys (Playwright on Debian Chromium)
#   5. a smoke run of the benchmark script
# and print one summary line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 FLEETPIN_REQUIRE_SERVICES=1

missing=()
[ -n "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null)" ] || missing+=(postgresql)
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v openssl >/dev/null || missing+=(openssl) # the TLS test engine's certificates
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/busybox ] || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-all: missing system packages: ${missing[*]} (as root: apt-get install -y ${missing[*]}; .ci/run does this)" >&2
  exit 1
fi
[ -d node_modules ] || { echo "test-all: run npm install first" >&2; exit 1; }

# Playwright empties its own output folder (test-results/) when it starts, so
# the runners' reports live apart from it.
results="$(pwd)/test-reports"
rm -rf "$results"
mkdir -p "$results"
services="$(mktemp -d /tmp/fleetpin-test.XXXXXX)"
cleanup() { scripts/services/stop.sh "$services"; }
trap cleanup EXIT
scripts/services/start.sh "$services" >/dev/null || { echo "test-all: could not start the test services" >&2; exit 1; }
set -a
# shellcheck disable=SC1091
. "$services/env"
set +a

status=0

# Each static check is one pass/fail line of the summary (test-summary.mjs reads checks.jsonl);
# a failed one fails the run. Its full output is in test-reports/<name>.log.
run_check() {
  local name="$1" log="$results/${1//:/-}.log" ok=true
  echo "== $name =="
  if npm run --silent "$name" >"$log" 2>&1; then
    echo "$name ok"
  else
    ok=false
    cat "$log"
    echo "test-all: npm run $name failed" >&2
    status=1
  fi
  printf '{"name":"%s","ok":%s}\n' "$name" "$ok" >>"$results/checks.jsonl"
}
run_check lint:deps
run_check lint
run_check format:check

echo "== unit + integration tests (vitest) =="
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json" || status=1

echo "== production build =="
if npm run --silent build >"$results/build.log" 2>&1; then
  echo "build ok"
  # Tests of whole processes on the built server (two dashboards, two workers): they need this build.
  echo "== processes on the built server (vitest) =="
  FLEETPIN_BUILT_SERVER_TESTS=1 npx vitest run lib/operations/queue/dashboards-and-workers.process.test.ts \
    --reporter=default --reporter=json --outputFile.json="$results/vitest-built.json" || status=1
  echo "== browser journeys (playwright) =="
  E2E_JSON_REPORT="$results/e2e.json" scripts/e2e.sh || status=1
else
  cat "$results/build.log"
  echo "test-all: next build failed" >&2
  status=1
fi

echo "== benchmark smoke run =="
if [ -f scripts/bench.sh ]; then
  BENCH_SMOKE=1 BENCH_OUTPUT="$results/bench-smoke.json" bash scripts/bench.sh >"$results/bench-smoke.log" 2>&1 \
    && echo "bench smoke ok" || { cat "$results/bench-smoke.log"; echo "test-all: benchmark smoke run failed" >&2; status=1; }
fi

node scripts/test-summary.mjs "$results" || status=1
exit $status
