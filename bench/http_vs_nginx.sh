#!/usr/bin/env bash
# gridgov's HTTP server side by side with nginx on this machine, under wrk with keep-alive:
#   nginx       GET of a small static JSON file
#   gridgov     GET /healthz
#   gridgov     GET /api/v1/auth/me with a session cookie (session lookup in the database)
# Both servers get 2 worker threads/processes and no access log; wrk runs on the same machine.
# Usage: bench/http_vs_nginx.sh [path/to/gridgov] [duration_s] [connections]
set -euo pipefail
BIN=${1:-build/release/gridgov}
DURATION=${2:-10}
CONNECTIONS=${3:-64}
THREADS=2
command -v wrk >/dev/null || { echo "wrk is missing (make deps)"; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is missing (make deps)"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d /tmp/gridgov-bench.XXXXXX)
chmod 755 "$work"  # nginx workers read the static file as another user
cleanup() {
  [ -n "${GG_PID:-}" ] && kill "$GG_PID" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { echo $((20000 + RANDOM % 30000)); }
GG_PORT=$(free_port)
NG_PORT=$((GG_PORT + 1))

# gridgov on a fresh SQLite database with one account
common=(--database "sqlite:$work/bench.db" --key-file "$work/bench.key" --log-level warn)
echo 'Bench#2026pw' | "$BIN" user "${common[@]}" add bench --role center --name 压测 --password-stdin >/dev/null
"$BIN" serve "${common[@]}" --port "$GG_PORT" --threads "$THREADS" --access-log "" --web-root "$work" &
GG_PID=$!

# nginx serving a file of the size of the authenticated answer
mkdir -p "$work/www" && chmod 755 "$work/www"
cat >"$work/nginx.conf" <<CONF
worker_processes $THREADS;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$NG_PORT;
    root $work/www;
    location / { default_type application/json; }
  }
}
CONF
mkdir -p "$work/tmp"

for _ in $(seq 50); do curl -fs "http://127.0.0.1:$GG_PORT/healthz" >/dev/null && break; sleep 0.1; done
cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"login":"bench","password":"Bench#2026pw"}' "http://127.0.0.1:$GG_PORT/api/v1/auth/login" |
  sed -n 's/^Set-Cookie: \(gridgov_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "login failed"; exit 1; }
curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$GG_PORT/api/v1/auth/me" >"$work/www/me.json"
chmod 644 "$work/www/me.json"
"$NGINX" -c "$work/nginx.conf" -p "$work"
sleep 0.3

run() { # name url [header]
  local name=$1 url=$2 out
  shift 2
  # warm up, then measure
  wrk -t2 -c"$CONNECTIONS" -d2s "$@" "$url" >/dev/null
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "${errors:-none}"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, wrk -t2 -c$CONNECTIONS -d${DURATION}s, keep-alive"
printf 'server\trequests/s\tp50\tp99\terrors\n'
NG=$(run "nginx static $(stat -c %s "$work/www/me.json") B" "http://127.0.0.1:$NG_PORT/me.json")
echo "$NG"
HZ=$(run "gridgov /healthz" "http://127.0.0.1:$GG_PORT/healthz")
echo "$HZ"
ME=$(run "gridgov /api/v1/auth/me (session)" "http://127.0.0.1:$GG_PORT/api/v1/auth/me" -H "Cookie: $cookie")
echo "$ME"
ng=$(cut -f2 <<<"$NG")
awk -v ng="$ng" -v hz="$(cut -f2 <<<"$HZ")" -v me="$(cut -f2 <<<"$ME")" \
  'BEGIN { printf "ratio to nginx: /healthz %.2f, /api/v1/auth/me %.2f\n", hz / ng, me / ng }'
