#!/usr/bin/env bash
# Starts the real services Fleetpin's tests talk to, on loopback and inside one
# scratch folder: PostgreSQL (Debian binaries), three dockerds (own data roots and
# sockets; the third also on tcp://127.0.0.1 with TLS client certificates, as a
# remote engine is exposed) and a Docker registry (Debian docker-registry). The
# engines start in parallel with the rest. Writes <dir>/env with the variables the
# tests read. Stop everything with scripts/services/stop.sh <dir>.
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
command -v openssl >/dev/null || { echo "services: openssl not found (apt-get install openssl)" >&2; exit 1; }

# --- dockerds ---------------------------------------------------------------
# Each engine has its own --default-address-pool, so networks made on one never overlap
# another's (test/address-pool.ts has the same list for the tests' private engines).
pools=(10.210.0.0/16 10.211.0.0/16 10.212.0.0/16)
start_dockerd() { # start_dockerd <n> <suffix> [extra dockerd args...]
  local n=$1 suffix=$2; shift 2
  mkdir -p "$dir/docker$suffix-data" "$dir/docker$suffix-exec"
  dockerd --data-root "$dir/docker$suffix-data" --exec-root "$dir/docker$suffix-exec" --pidfile "$dir/dockerd$suffix.pid" \
    -H "unix://$dir/docker$suffix.sock" "$@" --iptables=false --ip-masq=false --bridge=none \
    --default-address-pool "base=${pools[$n]},size=24" \
    >"$dir/dockerd$suffix.log" 2>&1 &
}

# The TLS engine's material, made the way Docker's "Protect the daemon socket" guide makes it:
# a CA, a server certificate for 127.0.0.1 and a client certificate, named as the Docker CLI
# wants them in DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem).
tls="$dir/tls"
mkdir -p "$tls"
(
  cd "$tls"
  ossl() { openssl "$@" 2>>"$tls/openssl.log" >/dev/null; }
  ossl req -x509 -newkey rsa:2048 -nodes -days 7 -subj /CN=fleetpin-test-ca -keyout ca-key.pem -out ca.pem
  printf 'subjectAltName = IP:127.0.0.1,DNS:localhost\nextendedKeyUsage = serverAuth\n' >server.ext
  printf 'extendedKeyUsage = clientAuth\n' >client.ext
  ossl req -newkey rsa:2048 -nodes -subj /CN=server -keyout server-key.pem -out server.csr
  ossl x509 -req -days 7 -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -extfile server.ext -out server-cert.pem
  ossl req -newkey rsa:2048 -nodes -subj /CN=client -keyout key.pem -out client.csr
  ossl x509 -req -days 7 -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -extfile client.ext -out cert.pem
  chmod 600 ca-key.pem server-key.pem key.pem
)
docker3_port="$(free_port)"

start_dockerd 0 ""
start_dockerd 1 2
start_dockerd 2 3 -H "tcp://127.0.0.1:$docker3_port" --tlsverify \
  --tlscacert "$tls/ca.pem" --tlscert "$tls/server-cert.pem" --tlskey "$tls/server-key.pem"

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

# --- registry --------------------------------------------------------------
registry_port="$(free_port)"
"$here/registry.sh" start "$dir/registry" "$registry_port"

# --- engines answering -----------------------------------------------------
for suffix in "" 2 3; do
  wait_for 90 "dockerd$suffix" curl -sf --unix-socket "$dir/docker$suffix.sock" http://localhost/_ping
done
wait_for 30 "dockerd3 over TLS" curl -sf --cacert "$tls/ca.pem" --cert "$tls/cert.pem" --key "$tls/key.pem" \
  "https://127.0.0.1:$docker3_port/_ping"

cat >"$dir/env" <<ENV
FLEETPIN_SERVICES_DIR=$dir
TEST_PG_ADMIN_URL=postgres://postgres@127.0.0.1:$pg_port/postgres
DOCKER_HOST=unix://$dir/docker.sock
FLEETPIN_TEST_DOCKER_HOST_2=unix://$dir/docker2.sock
FLEETPIN_TEST_DOCKER_HOST_3=tcp://127.0.0.1:$docker3_port
FLEETPIN_TEST_DOCKER_HOST_3_UNIX=unix://$dir/docker3.sock
FLEETPIN_TEST_DOCKER_TLS_DIR=$tls
FLEETPIN_TEST_DOCKER_TLS_CA=$tls/ca.pem
FLEETPIN_TEST_DOCKER_TLS_CERT=$tls/cert.pem
FLEETPIN_TEST_DOCKER_TLS_KEY=$tls/key.pem
TEST_REGISTRY_HOST=127.0.0.1:$registry_port
PG_BIN=$pg_bin
ENV
echo "$dir"
