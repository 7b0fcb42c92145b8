#!/usr/bin/env bash
# Starts the real services Fleetpin's tests talk to, on loopback and inside one
# scratch folder: PostgreSQL (Debian binaries), dockerd (own data root and socket)
# and a Docker registry (Debian docker-registry). Writes <dir>/env with the
# variables the tests read. Stop everything with scripts/services/stop.sh <dir>.
#
#   scripts/services/start.sh [dir]       (default: a new mktemp -d)
set -euo pipefail

dir="${1:-$(mktemp -d /tmp/fleetpin-services.XXXXXX)}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for() { # wait_for <seconds> <description> <command...>
  local limit=$1 what=$2; shift 2
  for _ in $(seq 1 $((limit * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "services: $what did not come up within ${limit}s" >&2
  return 1
}

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$pg_bin/initdb" ] || { echo "services: PostgreSQL binaries not found (apt-get install postgresql)" >&2; exit 1; }
command -v dockerd >/dev/null || { echo "services: dockerd not found (apt-get install docker.io)" >&2; exit 1; }
command -v docker-registry >/dev/null || { echo "services: docker-registry not found (apt-get install docker-registry)" >&2; exit 1; }

# --- PostgreSQL ------------------------------------------------------------
# initdb refuses to run as root, so the cluster belongs to the postgres user.
pg_port="$(free_port)"
mkdir -p "$dir/pg"
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir/pg"
  chmod 755 "$dir"
  as_postgres=(runuser -u postgres --)
fi
"${as_postgres[@]}" "$pg_bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/pg/initdb.log" 2>&1
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w \
  -o "-h 127.0.0.1 -p $pg_port -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null

# --- dockerd ---------------------------------------------------------------
docker_sock="$dir/docker.sock"
mkdir -p "$dir/docker-data" "$dir/docker-exec"
dockerd --data-root "$dir/docker-data" --exec-root "$dir/docker-exec" --pidfile "$dir/dockerd.pid" \
  -H "unix://$docker_sock" --iptables=false --ip-masq=false --bridge=none \
  --default-address-pool base=10.210.0.0/16,size=24 \
  >"$dir/dockerd.log" 2>&1 &
wait_for 60 dockerd curl -sf --unix-socket "$docker_sock" http://localhost/_ping

# --- registry --------------------------------------------------------------
registry_port="$(free_port)"
"$here/registry.sh" start "$dir/registry" "$registry_port"

cat >"$dir/env" <<ENV
FLEETPIN_SERVICES_DIR=$dir
TEST_PG_ADMIN_URL=postgres://postgres@127.0.0.1:$pg_port/postgres
DOCKER_HOST=unix://$docker_sock
TEST_REGISTRY_HOST=127.0.0.1:$registry_port
PG_BIN=$pg_bin
ENV
echo "$dir"
