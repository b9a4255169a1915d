#!/usr/bin/env bash
# A Nanjing-sized registry (9 million people, 3.5 million rooms by default) generated into SQLite
# and into PostgreSQL: generation time and database size; then, over HTTP on each, searches by
# full name and by identity number (exact), the registry figures of each district, and an import
# of 100,000 people from an Excel workbook (exported from the generated registry, unmasked, and
# imported into an empty registry of the same kind). Starts its own PostgreSQL, durable.
# Usage: [KINDS="sqlite postgres"] bench/registry.sh [build/release] [people] [rooms] [duration_s]
set -euo pipefail
BUILD=$(cd "${1:-build/release}" && pwd)
PEOPLE=${2:-9000000}
ROOMS=${3:-3500000}
DURATION=${4:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/gridgov-registry.XXXXXX)
chmod 755 "$work"
state="$work/pg"
cleanup() {
  [ -n "${GG_PID:-}" ] && kill "$GG_PID" 2>/dev/null || true
  bash "$here/../tests/support/postgres.sh" stop "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
for tool in wrk sqlite3 psql curl node; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (make bench installs it)"; exit 1; }
done
GRIDGOV_PG_DURABLE=1 bash "$here/../tests/support/postgres.sh" start "$state" >/dev/null
pg_url=$(cat "$state/url")
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $PEOPLE people, $ROOMS rooms, ${DURATION}s runs"
port=$((20000 + RANDOM % 30000))
key="$work/k.key"

serve() { # database → starts gridgov on $port, sets GG_PID and COOKIE
  "$BUILD/gridgov" serve --database "$1" --key-file "$key" --log-level warn --port "$port" \
    --threads 2 --access-log "" --web-root "$work" &
  GG_PID=$!
  for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  COOKIE=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"login":"admin","password":"Gridgov@2026"}' "http://127.0.0.1:$port/api/v1/auth/login" |
    sed -n 's/^Set-Cookie: \(gridgov_session=[^;]*\).*/\1/p')
}
stop() { kill "$GG_PID"; wait "$GG_PID" 2>/dev/null || true; GG_PID=; port=$((port + 1)); }
sql() { # database, query → rows, fields separated by |
  if [[ $1 == sqlite:* ]]; then sqlite3 "${1#sqlite:}" "$2"; else psql "$1" -AtqX -c "$2"; fi
}
run_wrk() { # label, paths file, connections; after one request of each path to warm the caches
  local out rps p50 p99 path
  while read -r path; do curl -fs -o /dev/null -H "Cookie: $COOKIE" "http://127.0.0.1:$port$path"; done < "$2"
  out=$(PATHS=$2 COOKIE=$COOKIE wrk -t"$(($3 < 2 ? 1 : 2))" -c"$3" -d"${DURATION}s" --latency -s "$here/paths.lua" "http://127.0.0.1:$port")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "  $1: $rps requests/s, p50 $p50, p99 $p99 $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)"
}

for kind in ${KINDS:-sqlite postgres}; do
  if [ "$kind" = sqlite ]; then db="sqlite:$work/registry.db"; empty="sqlite:$work/empty.db"; name=SQLite
  else
    psql "$pg_url" -qc "CREATE DATABASE registry" -c "CREATE DATABASE empty" >/dev/null
    db="${pg_url%/*}/registry"; empty="${pg_url%/*}/empty"; name=PostgreSQL
  fi
  started=$(date +%s.%N)
  "$BUILD/gridgov" demo --scale city --people "$PEOPLE" --rooms "$ROOMS" --database "$db" --key-file "$key" --log-level warn |
    grep -E '^generated|^built' | sed 's/^/  /'
  seconds=$(echo "$(date +%s.%N) - $started" | bc)
  if [ "$kind" = sqlite ]; then
    sqlite3 "${db#sqlite:}" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  else
    # after a bulk load: the visibility map, so that counts read indexes alone
    psql "$db" -qc "VACUUM (ANALYZE)"
    # and the pages VACUUM dirtied written out before measuring, not during
    psql "$db" -qc "CHECKPOINT"
  fi
  if [ "$kind" = sqlite ]; then
    bytes=$(stat -c %s "${db#sqlite:}")
  else
    bytes=$(sql "$db" "SELECT pg_database_size(current_database())")
  fi
  echo "$name: demo city and registry in $(printf %.0f "$seconds") s, database $((bytes / 1048576)) MiB"

  serve "$db"
  # 500 people spread over the registry: their names, and their identity numbers (revealed)
  sql "$db" "SELECT id FROM people WHERE id % $((PEOPLE / 500 + 1)) = 7 AND id_type = 'resident_id' LIMIT 500" > "$work/ids"
  : > "$work/names"; : > "$work/numbers"
  while read -r id; do
    curl -fs -H "Cookie: $COOKIE" "http://127.0.0.1:$port/api/v1/people/$id?reveal=id_number&reason=benchmark" |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s);
        console.log("/api/v1/people?limit=20&name="+encodeURIComponent(p.name));
        console.error("/api/v1/people?id_number="+p.id_number)})' >> "$work/names" 2>> "$work/numbers"
  done < "$work/ids"
  sql "$db" "SELECT id FROM grid_nodes WHERE level = 2" | sed 's|^|/api/v1/registry/figures?node_id=|' > "$work/districts"
  pg_log="$(cat "$state/data_dir")/server.log"
  log_mark=$(wc -l < "$pg_log")
  run_wrk "search by full name ($(wc -l < "$work/names") names)" "$work/names" 4
  run_wrk "search by identity number" "$work/numbers" 4
  run_wrk "figures of a district ($(wc -l < "$work/districts") districts)" "$work/districts" 1
  if [ "$kind" = postgres ]; then # statements of the runs above that took over a second
    echo "  statements over 1 s on the server during the runs: $(tail -n +"$log_mark" "$pg_log" | grep -c 'duration: ' || true)"
    tail -n +"$log_mark" "$pg_log" | grep 'duration: ' | cut -c1-400 | head -3 | sed 's/^/    /'
  fi
  curl -fs -H "Cookie: $COOKIE" -o "$work/people.xlsx" \
    "http://127.0.0.1:$port/api/v1/people.xlsx?reveal=id_number,phone&reason=benchmark"
  stop

  # the workbook into an empty registry of the same city
  "$BUILD/gridgov" demo --scale city --database "$empty" --key-file "$key" --log-level warn >/dev/null
  serve "$empty"
  rows=$(($(unzip -p "$work/people.xlsx" xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l) - 1))
  started=$(date +%s.%N)
  result=$(curl -s -H "Cookie: $COOKIE" -H 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' \
    --data-binary "@$work/people.xlsx" "http://127.0.0.1:$port/api/v1/people/import")
  seconds=$(echo "$(date +%s.%N) - $started" | bc)
  added=$(node -e 'const r=JSON.parse(process.argv[1]);console.log(r.added ?? JSON.stringify(r).slice(0,300))' "$result")
  echo "  import of an Excel workbook of $rows people ($(($(stat -c %s "$work/people.xlsx") / 1048576)) MiB): $added added in $(printf %.1f "$seconds") s, $(echo "$rows * 60 / $seconds" | bc) rows/min"
  stop
done
