#!/usr/bin/env bash
# Intake over HTTP (authenticate, parse, route the place to its grid, look for the channel's case
# number, write the event, its first action in the hash chain and the audit record durably,
# answer) on SQLite and on PostgreSQL, side by side in the same run with the raw insert rate of
# the same two rows per event into the same database (sqlite3 / pgbench), one transaction each.
# Then, on the same server, latency at a fixed 1,000 events/s (bench/paced_load.cpp, open loop).
# Starts its own PostgreSQL, durable (fsync on, synchronous commit). Usage: bench/intake.sh [build/release] [duration_s] [connections]
set -euo pipefail
BUILD=${1:-build/release}
DURATION=${2:-10}
CONNECTIONS=${3:-32}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/gridgov-intake.XXXXXX)
chmod 755 "$work"
state="$work/pg"
cleanup() {
  [ -n "${GG_PID:-}" ] && kill "$GG_PID" 2>/dev/null || true
  bash "$here/../tests/support/postgres.sh" stop "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
for tool in wrk sqlite3 pgbench; do
  command -v "$tool" >/dev/null || [ -x "/usr/lib/postgresql/15/bin/$tool" ] || { echo "$tool is missing (make bench installs it)"; exit 1; }
done
PGBENCH=$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)
GRIDGOV_PG_DURABLE=1 bash "$here/../tests/support/postgres.sh" start "$state" >/dev/null
pg_url=$(cat "$state/url")

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, ${DURATION}s runs, $CONNECTIONS connections"
port=$((20000 + RANDOM % 30000))

# one database of each kind with the demo street in it
pg_db="${pg_url%/*}/intake_bench"
psql "${pg_url}" -qc "CREATE DATABASE intake_bench" >/dev/null
for db in "sqlite:$work/intake.db" "$pg_db"; do
  name=$([[ $db == sqlite:* ]] && echo SQLite || echo PostgreSQL)
  common=(--database "$db" --key-file "$work/k.key" --log-level warn)
  "$BUILD/gridgov" demo "${common[@]}" >/dev/null
  "$BUILD/gridgov" serve "${common[@]}" --port "$port" --threads 2 --access-log "" --web-root "$work" &
  GG_PID=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"login":"center","password":"Gridgov@2026"}' "http://127.0.0.1:$port/api/v1/auth/login" |
    sed -n 's/^Set-Cookie: \(gridgov_session=[^;]*\).*/\1/p')
  COOKIE=$cookie wrk -t2 -c"$CONNECTIONS" -d2s -s "$here/intake.lua" "http://127.0.0.1:$port" >/dev/null
  out=$(COOKIE=$cookie wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$here/intake.lua" "http://127.0.0.1:$port")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  # latency at a fixed 1,000 events/s, measured from when each report was due
  paced=$("$BUILD/gridgov_bench_paced_load" --port "$port" --cookie "$cookie" --rate 1000 --seconds "$DURATION" --connections "$CONNECTIONS" || true)
  kill "$GG_PID"; wait "$GG_PID" 2>/dev/null || true; GG_PID=
  echo "gridgov intake on $name: $rps events/s, p50 $p50, p99 $p99 $errors"
  echo "gridgov intake on $name, paced: $paced"
  port=$((port + 1))
done

# the peers: the same two rows per event (the event, its first action), one transaction each
rows_sql() { # n → a script of n transactions
  for i in $(seq "$1"); do
    echo "BEGIN;"
    echo "INSERT INTO raw_events (tracking_code, channel, external_id, title, description, category_code, status, lon, lat, node_path, reporter_phone, reported_at, updated_at) VALUES ('T$i', 'hotline_12345', 'R$i', '暴露垃圾', '路边垃圾桶满溢，垃圾散落', 'CG0101', 'reported', 118.85, 31.67, '/1/2/3/4/5/', 'sealed-phone-bytes-of-the-same-length-as-gridgov-writes-them', 1795000000000, 1795000000000);"
    echo "INSERT INTO raw_actions (event_id, seq, action, actor_kind, at, to_status, note, data, prev_hash, hash) VALUES ($i, 1, 'report', 'user', 1795000000000, 'reported', '路边垃圾桶满溢', '{\"channel\":\"hotline_12345\"}', '0000000000000000000000000000000000000000000000000000000000000000', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');"
    echo "COMMIT;"
  done
}
schema="CREATE TABLE raw_events (id INTEGER PRIMARY KEY, tracking_code TEXT UNIQUE, channel TEXT, external_id TEXT, title TEXT, description TEXT, category_code TEXT, status TEXT, lon DOUBLE PRECISION, lat DOUBLE PRECISION, node_path TEXT, reporter_phone TEXT, reported_at BIGINT, updated_at BIGINT, UNIQUE (channel, external_id));
CREATE TABLE raw_actions (id INTEGER PRIMARY KEY, event_id BIGINT, seq INTEGER, action TEXT, actor_kind TEXT, at BIGINT, to_status TEXT, note TEXT, data TEXT, prev_hash TEXT, hash TEXT, UNIQUE (event_id, seq));"
n=20000
sqlite3 "$work/raw.db" "PRAGMA journal_mode=WAL;" >/dev/null
sqlite3 "$work/raw.db" "$schema"
rows_sql "$n" >"$work/rows.sql"
start=$(date +%s.%N)
sqlite3 -cmd "PRAGMA synchronous=FULL;" "$work/raw.db" <"$work/rows.sql" >/dev/null
end=$(date +%s.%N)
echo "raw inserts on SQLite (sqlite3, WAL, synchronous=FULL, one writer): $(awk -v n=$n -v s="$start" -v e="$end" 'BEGIN {printf "%.0f", n / (e - s)}') events/s"

psql "$pg_url" -qc "${schema//INTEGER PRIMARY KEY/BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY}" >/dev/null
cat >"$work/pgbench.sql" <<'SQL'
\set i random(1, 1000000000)
BEGIN;
INSERT INTO raw_events (tracking_code, channel, external_id, title, description, category_code, status, lon, lat, node_path, reporter_phone, reported_at, updated_at) VALUES ('T' || :client_id || '-' || :i, 'hotline_12345', 'R' || :client_id || '-' || :i, '暴露垃圾', '路边垃圾桶满溢，垃圾散落', 'CG0101', 'reported', 118.85, 31.67, '/1/2/3/4/5/', 'sealed-phone-bytes-of-the-same-length-as-gridgov-writes-them', 1795000000000, 1795000000000) ON CONFLICT DO NOTHING;
INSERT INTO raw_actions (event_id, seq, action, actor_kind, at, to_status, note, data, prev_hash, hash) VALUES (:i, :client_id, 'report', 'user', 1795000000000, 'reported', '路边垃圾桶满溢', '{"channel":"hotline_12345"}', '0000000000000000000000000000000000000000000000000000000000000000', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855') ON CONFLICT DO NOTHING;
COMMIT;
SQL
out=$("$PGBENCH" -n -f "$work/pgbench.sql" -c "$CONNECTIONS" -j 2 -T "$DURATION" "$pg_url" 2>&1)
echo "raw inserts on PostgreSQL (pgbench, $CONNECTIONS clients): $(awk '/^tps/ {printf "%.0f", $3}' <<<"$out") events/s"
