#!/usr/bin/env bash
# HTTP caching conformance: runs the http-cache-tests suite (the one behind cache-tests.fyi) against a
# cache on loopback and fails when more required tests fail than allowed.
#
# Usage: build/conformance.sh <max-required-failed>
#
#   CACHE_UNDER_TEST=ours   (default) src/EdgeFleet.Cache, already built (`dotnet build`), via `dotnet run --no-build`
#   CACHE_UNDER_TEST=nginx  Debian's nginx as a proxy_cache reverse proxy, configured like the one on cache-tests.fyi
#   CONFIGURATION           build configuration of our cache (default Debug)
#   CONFORMANCE_TEST_ID=id  run one test and print both sides' requests and responses instead of the summary
#   CONFORMANCE_TIMEOUT     seconds the suite may run (default 600)
#
# Writes artifacts/conformance/results.json (the suite's raw results) and summary.json (the counts, see
# build/conformance-summary.mjs). Every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 <max-required-failed>" >&2
  exit 2
fi
max_failed=$1
cache=${CACHE_UNDER_TEST:-ours}
suite=.tools/node_modules/http-cache-tests
out=artifacts/conformance
test_id=${CONFORMANCE_TEST_ID:-}

if [ ! -f "$suite/cli.mjs" ]; then
  echo "conformance: $suite is missing; run build/deps.sh (make deps) first" >&2
  exit 2
fi

# shellcheck source=build/lib.sh
source build/lib.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/conformance.XXXXXX")
trap stop_all EXIT

origin_port=$(free_port)
start "$work/origin.log" node --no-warnings build/conformance-origin.mjs "$suite" "$origin_port" "$work/origin.pid"
wait_http "the suite's origin server" "http://127.0.0.1:$origin_port/" 20 "$work/origin.log"

cache_port=$(free_port)
case "$cache" in
  ours)
    admin_port=$(free_port)
    start "$work/cache.log" dotnet run --no-build -c "${CONFIGURATION:-Debug}" --project src/EdgeFleet.Cache -- \
      --origin "http://127.0.0.1:$origin_port" \
      --listen "http://127.0.0.1:$cache_port" \
      --admin-listen "http://127.0.0.1:$admin_port"
    wait_http "the cache (src/EdgeFleet.Cache)" "http://127.0.0.1:$cache_port/" 90 "$work/cache.log"
    ;;
  nginx)
    # The configuration cache-tests.fyi publishes for nginx (its docker/nginx/nginx.conf): proxy_cache with
    # revalidation, HTTP/1.0 to the origin, nothing else tuned. Everything else lives in the temp dir.
    mkdir -p "$work/nginx/cache" "$work/nginx/temp"
    {
      nginx_main "$work/nginx"
      cat <<NGINX
worker_processes 1;
events { worker_connections 2048; }
http {
  access_log $work/nginx/access.log;
$(nginx_temp_paths "$work/nginx")
  proxy_cache_path $work/nginx/cache levels=1:2 keys_zone=conformance:8m max_size=1000m inactive=600m;
  server {
    listen 127.0.0.1:$cache_port;
    location / {
      proxy_pass http://127.0.0.1:$origin_port;
      proxy_cache conformance;
      proxy_cache_revalidate on;
    }
  }
}
NGINX
    } >"$work/nginx/nginx.conf"
    start "$work/cache.log" nginx -p "$work/nginx/" -c "$work/nginx/nginx.conf"
    wait_http "nginx" "http://127.0.0.1:$cache_port/" 20 "$work/cache.log"
    ;;
  *)
    echo "conformance: unknown CACHE_UNDER_TEST=$cache (ours or nginx)" >&2
    exit 2
    ;;
esac

# The CLI reads npm's config variables (it is meant for `npm run cli --base=...`). The base URL has no
# trailing slash: the CLI appends /test/<uuid>. An empty id must be given as the package default too,
# since the CLI treats an empty npm_config_id as unset.
run_cli() {
  (cd "$suite" && env npm_config_base="http://127.0.0.1:$cache_port" npm_package_config_base= \
    npm_config_id="$test_id" npm_package_config_id="$test_id" \
    timeout "${CONFORMANCE_TIMEOUT:-600}" node --no-warnings cli.mjs)
}

if [ -n "$test_id" ]; then
  run_cli
  exit 0
fi

mkdir -p "$out"
echo "conformance: running http-cache-tests $(node -p "require('./$suite/package.json').version") against $cache on 127.0.0.1:$cache_port (origin 127.0.0.1:$origin_port)"
if ! run_cli >"$work/results.json" 2>"$work/cli.err"; then
  echo "conformance: the suite's CLI failed or timed out:" >&2
  cat "$work/cli.err" >&2
  exit 1
fi
if ! node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (!Object.keys(r).length) process.exit(1)' "$work/results.json" 2>/dev/null; then
  echo "conformance: the suite's CLI wrote no results:" >&2
  cat "$work/cli.err" "$work/results.json" >&2
  exit 1
fi
cp "$work/results.json" "$out/results.json"

node build/conformance-summary.mjs "$suite" "$out/results.json" "$out/summary.json"
read -r required_failed untested < <(node -p 'const s = require("./'"$out"'/summary.json"); `${s.requiredFailed} ${s.untested}`')
if [ "$untested" -gt 0 ]; then
  echo "conformance: FAIL: $untested tests have no result (the run was cut short)" >&2
  exit 1
fi
if [ "$required_failed" -gt "$max_failed" ]; then
  echo "conformance: FAIL: $required_failed required tests failed, at most $max_failed allowed" >&2
  exit 1
fi
echo "conformance: ok: $required_failed required tests failed, at most $max_failed allowed"
