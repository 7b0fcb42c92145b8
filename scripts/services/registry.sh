#!/usr/bin/env bash
# Runs one Debian docker-registry on 127.0.0.1 with its storage in <dir>.
#   registry.sh start <dir> <port> [htpasswd-file]   (auth: htpasswd when a file is given)
#   registry.sh stop <dir>
# REGISTRY_NOTIFY_URL (+ REGISTRY_NOTIFY_TOKEN) set: the registry sends its push/pull events there
# (Distribution notifications, `Authorization: Bearer <token>`), as Fleetpin's README configures it.
set -euo pipefail
cmd=$1 dir=$2
case "$cmd" in
  start)
    port=$3 htpasswd=${4:-}
    mkdir -p "$dir/storage"
    {
      echo "version: 0.1"
      echo "log: { level: warn }"
      echo "storage:"
      echo "  filesystem: { rootdirectory: $dir/storage }"
      echo "  delete: { enabled: true }"
      echo "http: { addr: 127.0.0.1:$port }"
      if [ -n "${REGISTRY_NOTIFY_URL:-}" ]; then
        echo "notifications:"
        echo "  endpoints:"
        echo "    - name: fleetpin"
        echo "      url: $REGISTRY_NOTIFY_URL"
        echo "      headers: { Authorization: [\"Bearer ${REGISTRY_NOTIFY_TOKEN:-}\"] }"
        echo "      timeout: 2s"
        echo "      threshold: 3"
        echo "      backoff: 1s"
        echo "      ignore: { actions: [pull] }"
      fi
      if [ -n "$htpasswd" ]; then
        echo "auth:"
        echo "  htpasswd: { realm: fleetpin-test, path: $htpasswd }"
      fi
    } >"$dir/config.yml"
    docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    echo $! >"$dir/registry.pid"
    for _ in $(seq 1 200); do
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
      if [ "$code" = 200 ] || [ "$code" = 401 ]; then exit 0; fi
      sleep 0.1
    done
    echo "registry on 127.0.0.1:$port did not come up; log:" >&2
    cat "$dir/registry.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/registry.pid" ]; then kill "$(cat "$dir/registry.pid")" 2>/dev/null || true; rm -f "$dir/registry.pid"; fi
    ;;
esac
