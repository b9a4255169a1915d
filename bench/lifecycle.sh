#!/usr/bin/env bash
# The event loop's throughput (report → … → evaluated, seven durable steps an event) through the
# domain, on SQLite and on a durable PostgreSQL, each filled by gridgov demo first.
# Usage: bench/lifecycle.sh [build/release] [events] [threads]
set -euo pipefail
BUILD=${1:-build/release}
EVENTS=${2:-2000}
THREADS=${3:-4}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/gridgov-lifecycle.XXXXXX)
state="$work/pg"
cleanup() { bash "$here/../tests/support/postgres.sh" stop "$state" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
GRIDGOV_PG_DURABLE=1 bash "$here/../tests/support/postgres.sh" start "$state" >/dev/null
pg_url=$(cat "$state/url")
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores"
for db in "sqlite:$work/loop.db" "$pg_url"; do
  "$BUILD/gridgov" demo --database "$db" --key-file "$work/k.key" --log-level warn >/dev/null
  "$BUILD/gridgov_bench_lifecycle" --database "$db" --events "$EVENTS" --threads "$THREADS"
done
