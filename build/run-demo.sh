#!/usr/bin/env bash
# `make run`: a demo origin and one EdgeFleet cache in front of it, on loopback, no cluster.
# Ports can be changed with ORIGIN_PORT, CACHE_PORT and ADMIN_PORT. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

ORIGIN_PORT=${ORIGIN_PORT:-8000}
CACHE_PORT=${CACHE_PORT:-8080}
ADMIN_PORT=${ADMIN_PORT:-8081}
CONFIGURATION=${CONFIGURATION:-Debug}

dotnet build src/EdgeFleet.Cache -c "$CONFIGURATION" -nologo -v q >/dev/null
dotnet build src/EdgeFleet.DemoOrigin -c "$CONFIGURATION" -nologo -v q >/dev/null

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

mkdir -p artifacts/demo
dotnet "src/EdgeFleet.DemoOrigin/bin/$CONFIGURATION/net10.0/EdgeFleet.DemoOrigin.dll" --urls "http://127.0.0.1:$ORIGIN_PORT" >artifacts/demo/origin.log 2>&1 &
pids+=($!)
dotnet "src/EdgeFleet.Cache/bin/$CONFIGURATION/net10.0/EdgeFleet.Cache.dll" --config build/demo.json \
  --origin "http://127.0.0.1:$ORIGIN_PORT" --listen "http://127.0.0.1:$CACHE_PORT" --admin-listen "http://127.0.0.1:$ADMIN_PORT" \
  >artifacts/demo/cache.log 2>&1 &
pids+=($!)

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$ORIGIN_PORT/" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null || { echo "the cache did not start; see artifacts/demo/cache.log" >&2; cat artifacts/demo/cache.log >&2; exit 1; }

cache="http://127.0.0.1:$CACHE_PORT"
admin="http://127.0.0.1:$ADMIN_PORT"
echo "EdgeFleet demo is up (logs in artifacts/demo/)."
echo
echo "  origin   http://127.0.0.1:$ORIGIN_PORT"
echo "  cache    $cache        (public)"
echo "  admin    $admin        (metrics, health, purge; token: demo-token)"
echo
echo "Try:"
for path in /images/sunrise.png /images/ocean.png /images/forest.png /audio/tone.wav /video/sweep.y4m; do
  echo "  curl -sI $cache$path"
done
echo "  curl -s -H 'Range: bytes=0-99' $cache/video/sweep.y4m | wc -c"
echo "  curl -s $admin/metrics | grep edgefleet_cache_requests_total"
echo "  curl -s -X POST -H 'Authorization: Bearer demo-token' -d '{\"tags\":[\"gallery\"]}' $admin/admin/purge"
echo
echo "First and second request for /images/sunrise.png:"
for i in 1 2; do
  echo "  $(curl -sI "$cache/images/sunrise.png" | tr -d '\r' | grep -i '^cache-status')"
done
echo
echo "Press Ctrl-C to stop."
wait
