#!/usr/bin/env bash
# Stops what scripts/services/start.sh started in <dir>, removes the containers
# dockerd ran, and deletes the folder.
set -uo pipefail
dir=${1:?usage: stop.sh <dir>}
[ -d "$dir" ] || exit 0
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC1091
[ -f "$dir/env" ] && . "$dir/env"

# Every engine start.sh ran (docker.sock, docker2.sock, docker3.sock), stopped in parallel.
stop_dockerd() { # stop_dockerd <suffix>
  local sock="$dir/docker$1.sock" pidfile="$dir/dockerd$1.pid" ids id pid
  if [ -S "$sock" ]; then
    ids=$(curl -s --max-time 10 --unix-socket "$sock" 'http://localhost/containers/json?all=1' | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{for(const c of JSON.parse(s))console.log(c.Id)}catch{}})')
    for id in $ids; do curl -s --max-time 30 -X DELETE --unix-socket "$sock" "http://localhost/containers/$id?force=1&v=1" >/dev/null; done
  fi
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile"); kill "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
for suffix in "" 2 3; do stop_dockerd "$suffix" & done
wait
for r in "$dir"/registry*; do [ -d "$r" ] && "$here/registry.sh" stop "$r"; done
if [ -d "$dir/pg/data" ]; then
  pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1
  else "$pg_bin/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1; fi
fi
# dockerd leaves mounts behind under its exec/data roots when killed hard.
grep -o " $dir/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
rm -rf "$dir"
