#!/usr/bin/env bash
# Runs the Playwright browser journeys against the production build, with a
# fresh PostgreSQL database, an operator and a viewer account, and the test
# dockerd + registry. Needs the variables scripts/services/start.sh writes
# (scripts/test-all.sh loads them) and a finished `next build`.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TEST_PG_ADMIN_URL:?run through npm test (scripts/test-all.sh) or load a services env file}"
: "${DOCKER_HOST:?}" "${TEST_REGISTRY_HOST:?}"

suffix=$(node -e 'console.log(require("crypto").randomBytes(4).toString("hex"))')
db="fleetpin_e2e_$suffix"
psql "$TEST_PG_ADMIN_URL" -qc "CREATE DATABASE $db" >/dev/null
trap 'psql "$TEST_PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

export DATABASE_URL="${TEST_PG_ADMIN_URL%/*}/$db"
export MOLECULE_IMAGE_REGISTRY="$TEST_REGISTRY_HOST/e2e-$suffix"
export FLEETPIN_CONTAINER_NETWORK=none
export FLEETPIN_BULK_CONCURRENCY=4
# The journeys sync on purpose; live state would also adopt the containers other test files
# are making on the shared test dockerd at the same time.
export FLEETPIN_LIVE_STATE=0
# Webhook secrets are sealed at rest; on PostgreSQL every process needs the same key (lib/db/secret-key.ts).
export FLEETPIN_SECRET_KEY="$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')"
# A receiver that was down gets its delivery within seconds of coming back (the default base is 30 s).
export FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS=1
export E2E_OPERATOR_EMAIL="operator-$suffix@e2e.test" E2E_OPERATOR_PASSWORD="operator-pass-$suffix"
export E2E_VIEWER_EMAIL="viewer-$suffix@e2e.test" E2E_VIEWER_PASSWORD="viewer-pass-$suffix"
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1

npm run --silent db:migrate
npm run --silent user:create -- --email "$E2E_OPERATOR_EMAIL" --role operator --password "$E2E_OPERATOR_PASSWORD" >/dev/null
npm run --silent user:create -- --email "$E2E_VIEWER_EMAIL" --role viewer --password "$E2E_VIEWER_PASSWORD" >/dev/null

npx playwright test "$@"
