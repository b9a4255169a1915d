#!/usr/bin/env bash
# Routing points to grids on a Chengdu-sized tree (13,000 grids in 130,000 micro-grids), gridgov
# against PostGIS on the same polygons and points, in one run; also the coverage check of the
# Nanjing-sized tree. Starts its own PostgreSQL with PostGIS (make bench installs it).
# Usage: bench/routing_vs_postgis.sh [build/release] [points]
set -euo pipefail
BUILD=${1:-build/release}
POINTS=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/gridgov-routing.XXXXXX)
state="$work/pg"
cleanup() { bash "$here/../tests/support/postgres.sh" stop "$state" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

common=(--key-file "$work/k.key" --log-level warn)
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores"
echo "## Nanjing-sized tree (gridgov demo --scale city)"
/usr/bin/time -f "demo --scale city: %e s, %M KiB peak" "$BUILD/gridgov" demo --scale city --database "sqlite:$work/city.db" "${common[@]}" | head -1
/usr/bin/time -f "validate (coverage check of the whole city): %e s, %M KiB peak" "$BUILD/gridgov" validate --database "sqlite:$work/city.db" "${common[@]}"
echo "## Chengdu-sized tree (gridgov demo --scale chengdu)"
/usr/bin/time -f "demo --scale chengdu: %e s, %M KiB peak" "$BUILD/gridgov" demo --scale chengdu --database "sqlite:$work/chengdu.db" "${common[@]}" | head -1
bash "$here/../tests/support/postgres.sh" start "$state" >/dev/null
"$BUILD/gridgov_bench_routing" --database "sqlite:$work/chengdu.db" --postgres "$(cat "$state/url")" --points "$POINTS" 2>&1 | grep -v NOTICE
