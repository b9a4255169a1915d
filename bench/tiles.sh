#!/usr/bin/env bash
# Vector tiles served per second for the zoom levels that cover the whole city, on the
# Chengdu-sized tree: wrk (2 threads, 64 connections, keep-alive) asks for every tile of the
# level in turn. gridgov runs with 2 threads, access log off.
# Usage: bench/tiles.sh [build/release] [duration_s]
set -euo pipefail
BUILD=${1:-build/release}
DURATION=${2:-10}
work=$(mktemp -d /tmp/gridgov-tiles.XXXXXX)
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
here=$(cd "$(dirname "$0")" && pwd)
common=(--database "sqlite:$work/chengdu.db" --key-file "$work/k.key" --log-level warn)
"$BUILD/gridgov" demo --scale chengdu "${common[@]}" >/dev/null
PORT=$((20000 + RANDOM % 30000))
"$BUILD/gridgov" serve "${common[@]}" --port "$PORT" --threads 2 --access-log "" --web-root "$work" &
PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"login":"admin","password":"Gridgov@2026"}' "http://127.0.0.1:$PORT/api/v1/auth/login" |
  sed -n 's/^Set-Cookie: \(gridgov_session=[^;]*\).*/\1/p')
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, Chengdu-sized tree, wrk -t2 -c64 -d${DURATION}s"
printf 'zoom\ttiles\ttiles/s\tp50\tp99\tmean bytes\n'
for z in 10 12 14; do
  # every tile of the zoom over Nanjing (118.35-119.25 E, 31.22-32.62 N)
  awk -v z="$z" 'BEGIN {
    n = 2 ^ z; pi = atan2(0, -1)
    x0 = int((118.35 + 180) / 360 * n); x1 = int((119.25 + 180) / 360 * n)
    la = 32.62 * pi / 180; y0 = int((1 - log(sin(la) / cos(la) + 1 / cos(la)) / pi) / 2 * n)
    la = 31.22 * pi / 180; y1 = int((1 - log(sin(la) / cos(la) + 1 / cos(la)) / pi) / 2 * n)
    for (x = x0; x <= x1; x++) for (y = y0; y <= y1; y++) printf "/api/v1/grid/tiles/%d/%d/%d.mvt\n", z, x, y
  }' >"$work/tiles-$z.txt"
  count=$(wc -l <"$work/tiles-$z.txt")
  bytes=0
  while read -r path; do
    bytes=$((bytes + $(curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$PORT$path" | wc -c)))
  done <"$work/tiles-$z.txt"
  out=$(TILES="$work/tiles-$z.txt" COOKIE="$cookie" wrk -t2 -c64 -d"${DURATION}s" --latency -s "$here/tiles.lua" "http://127.0.0.1:$PORT")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$z" "$count" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" "$((bytes / count))"
done
