#!/usr/bin/env bash
# The live figures of a city's year of events (10 million by default) on PostgreSQL: generation
# time and size; the figures built from the database at start (time, memory); the same question —
# what stands now by status × category × street for the whole city — answered from memory and as
# a GROUP BY over the same rows, side by side (bench/figures_bench.cpp); and over HTTP with wrk:
# the city's status cube and the figures of today and of the month by district; and the command
# centre's first view in Chromium (bench/first_view.mjs).
# Usage: bench/figures.sh [build/release] [events] [duration_s]
set -euo pipefail
BUILD=$(cd "${1:-build/release}" && pwd)
EVENTS=${2:-10000000}
DURATION=${3:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/gridgov-figures.XXXXXX)
chmod 755 "$work"
state="$work/pg"
cleanup() {
  [ -n "${GG_PID:-}" ] && kill "$GG_PID" 2>/dev/null || true
  bash "$here/../tests/support/postgres.sh" stop "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
for tool in wrk psql curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (make bench installs it)"; exit 1; }
done
GRIDGOV_PG_DURABLE=1 bash "$here/../tests/support/postgres.sh" start "$state" >/dev/null
pg_url=$(cat "$state/url")
psql "$pg_url" -qc "CREATE DATABASE figures" >/dev/null
db="${pg_url%/*}/figures"
key="$work/k.key"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$key"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $EVENTS events, ${DURATION}s runs"

started=$(date +%s.%N)
"$BUILD/gridgov" demo --scale city --events "$EVENTS" --database "$db" --key-file "$key" --log-level warn |
  grep -E '^generated|^built' | sed 's/^/  /'
seconds=$(echo "$(date +%s.%N) - $started" | bc)
psql "$db" -qc "VACUUM (ANALYZE) events" -c "VACUUM (ANALYZE) event_assignments" -c "CHECKPOINT"
echo "PostgreSQL: demo city and $EVENTS events in $(printf %.0f "$seconds") s, events $(($(psql "$db" -AtqX -c "SELECT pg_total_relation_size('events') + pg_total_relation_size('event_assignments')") / 1048576)) MiB"

"$BUILD/gridgov_bench_figures" --database "$db"

port=$((20000 + RANDOM % 30000))
"$BUILD/gridgov" serve --database "$db" --key-file "$key" --log-level info --port "$port" \
  --threads 2 --access-log "" --web-root "${WEB_ROOT:-$here/../web/dist}" 2> "$work/serve.log" &
GG_PID=$!
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
COOKIE=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"login":"admin","password":"Gridgov@2026"}' "http://127.0.0.1:$port/api/v1/auth/login" |
  sed -n 's/^Set-Cookie: \(gridgov_session=[^;]*\).*/\1/p')
for _ in $(seq 1200); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$port/api/v1/figures")" = 200 ] && break
  sleep 0.5
done
grep -o 'figures of .*' "$work/serve.log" | sed 's/^/  serve: /'
run_wrk() { # label, path [accept-encoding]
  local out
  curl -fs -o /dev/null -H "Cookie: $COOKIE" "http://127.0.0.1:$port$2"
  echo "$2" > "$work/path"
  out=$(PATHS="$work/path" COOKIE=$COOKIE ENCODING=${3:-} wrk -t1 -c1 -d"${DURATION}s" --latency -s "$here/paths.lua" "http://127.0.0.1:$port")
  echo "  $1: $(awk '/^Requests\/sec/ {print $2}' <<<"$out") requests/s, p50 $(awk '$1=="50%" {print $2}' <<<"$out"), p99 $(awk '$1=="99%" {print $2}' <<<"$out"), $(curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: ${3:-identity}" -H "Cookie: $COOKIE" "http://127.0.0.1:$port$2") bytes"
}
run_wrk "HTTP: now, by status x category x street" "/api/v1/figures/status?level=3&by_category=true"
run_wrk "HTTP: the same, gzipped" "/api/v1/figures/status?level=3&by_category=true" "gzip"
run_wrk "HTTP: today's figures by district" "/api/v1/figures?by=child"
run_wrk "HTTP: this month's figures by district" "/api/v1/figures?by=child&since=$(date +%Y-%m-01)"
run_wrk "HTTP: the year's figures by district" "/api/v1/figures?by=child&since=$(date -d '-364 days' +%Y-%m-%d)"
run_wrk "HTTP: the year's figures by category" "/api/v1/figures?by=category&since=$(date -d '-364 days' +%Y-%m-%d)"
# the command centre's first view in Chromium (needs the web app and the tests' node modules)
if [ -f "${WEB_ROOT:-$here/../web/dist}/index.html" ] && [ -d "$here/../tests/node_modules/playwright-core" ]; then
  node "$here/first_view.mjs" "http://127.0.0.1:$port"
fi
