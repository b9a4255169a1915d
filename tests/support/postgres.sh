#!/usr/bin/env bash
# Starts or stops a private PostgreSQL 15 server for the tests: initdb into a temporary
# directory (as the postgres system user when run as root), a free loopback port, no fsync
# (with GRIDGOV_PG_DURABLE=1, PostgreSQL's durable defaults instead, statements over a second
# logged: for benchmarks).
#   postgres.sh start STATE_DIR   writes STATE_DIR/url (a libpq URL) and STATE_DIR/data_dir
#   postgres.sh stop STATE_DIR
set -euo pipefail
cmd=${1:?start or stop}
state=${2:?state directory}
bin=/usr/lib/postgresql/15/bin
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  [ -f "$state/data_dir" ] || return 0
  local data
  data=$(cat "$state/data_dir")
  as_pg "$bin/pg_ctl" -D "$data/pgdata" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$data"
  rm -f "$state/data_dir" "$state/url"
}

case "$cmd" in
start)
  mkdir -p "$state"
  stop
  data=$(mktemp -d /tmp/gridgov-test-pg.XXXXXX)
  chmod 755 "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres "$data"
  as_pg "$bin/initdb" -D "$data/pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$data/initdb.log" 2>&1 \
    || { cat "$data/initdb.log"; exit 1; }
  speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  # durable, with the slow statements (over a second) in the server's log
  [ "${GRIDGOV_PG_DURABLE:-0}" = 1 ] && speed="-c log_min_duration_statement=1000"
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    if as_pg "$bin/pg_ctl" -D "$data/pgdata" -l "$data/server.log" -w -t 30 \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 $speed -c max_connections=200" \
        start >/dev/null 2>&1; then
      echo "$data" >"$state/data_dir"
      echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$state/url"
      echo "PostgreSQL for the tests on 127.0.0.1:$port ($data)"
      exit 0
    fi
  done
  cat "$data/server.log" >&2 || true
  echo "could not start PostgreSQL" >&2
  exit 1
  ;;
stop) stop ;;
*) echo "usage: $0 start|stop STATE_DIR" >&2; exit 2 ;;
esac
