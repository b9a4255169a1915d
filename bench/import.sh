#!/usr/bin/env bash
# The import of people from an Excel workbook, three times on each database: a city-scale registry
# of PEOPLE people is generated and exported unmasked as XLSX over HTTP, then imported (checked and
# written in one transaction) into an empty registry of the same city, each time a fresh one.
# Starts its own PostgreSQL, durable. Usage: [KINDS="sqlite postgres"] bench/import.sh [build/release] [people]
set -euo pipefail
BUILD=$(cd "${1:-build/release}" && pwd)
PEOPLE=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/gridgov-import.XXXXXX)
chmod 755 "$work"
state="$work/pg"
cleanup() {
  [ -n "${GG_PID:-}" ] && kill "$GG_PID" 2>/dev/null || true
  bash "$here/../tests/support/postgres.sh" stop "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
GRIDGOV_PG_DURABLE=1 bash "$here/../tests/support/postgres.sh" start "$state" >/dev/null
pg_url=$(cat "$state/url")
key="$work/k.key"
port=$((20000 + RANDOM % 30000))
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $PEOPLE people a workbook"
serve() {
  "$BUILD/gridgov" serve --database "$1" --key-file "$key" --log-level warn --port "$port" \
    --threads 2 --access-log "" --web-root "$work" &
  GG_PID=$!
  for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  COOKIE=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"login":"admin","password":"Gridgov@2026"}' "http://127.0.0.1:$port/api/v1/auth/login" |
    sed -n 's/^Set-Cookie: \(gridgov_session=[^;]*\).*/\1/p')
}
stop() { kill "$GG_PID"; wait "$GG_PID" 2>/dev/null || true; GG_PID=; port=$((port + 1)); }
database() { # kind, name → url
  if [ "$1" = sqlite ]; then echo "sqlite:$work/$2.db"; else
    psql "$pg_url" -qc "CREATE DATABASE $2" >/dev/null; echo "${pg_url%/*}/$2"; fi
}
for kind in ${KINDS:-sqlite postgres}; do
  source=$(database "$kind" source)
  "$BUILD/gridgov" demo --scale city --people "$PEOPLE" --database "$source" --key-file "$key" --log-level warn >/dev/null
  serve "$source"
  curl -fs -H "Cookie: $COOKIE" -o "$work/people.xlsx" \
    "http://127.0.0.1:$port/api/v1/people.xlsx?reveal=id_number,phone&reason=benchmark"
  stop
  rows=$(($(unzip -p "$work/people.xlsx" xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l) - 1))
  for run in 1 2 3; do
    target=$(database "$kind" "empty$run")
    "$BUILD/gridgov" demo --scale city --database "$target" --key-file "$key" --log-level warn >/dev/null
    serve "$target"
    started=$(date +%s.%N)
    result=$(curl -s -H "Cookie: $COOKIE" -H 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' \
      --data-binary "@$work/people.xlsx" "http://127.0.0.1:$port/api/v1/people/import")
    seconds=$(echo "$(date +%s.%N) - $started" | bc)
    stop
    added=$(node -e 'const r=JSON.parse(process.argv[1]);console.log(r.added ?? JSON.stringify(r).slice(0,300))' "$result")
    echo "  $kind run $run: $added of $rows people imported in $(printf %.1f "$seconds") s, $(echo "$rows * 60 / $seconds" | bc) rows/min"
  done
done
