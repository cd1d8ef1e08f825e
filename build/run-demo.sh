#!/usr/bin/env bash
# `make run`: the local fleet on loopback, no cluster: a demo origin, two shields, and two regions
# (eu, us) of two edges each, supervised by the fleet runner (src/EdgeFleet.Fleet), which restarts
# a process that dies and writes artifacts/fleet.json. BASE_PORT moves every port (default 8000:
# origin 8000, shields 8101-8102, edges 8111-8112 and 8121-8122, admin ports +100). Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_PORT=${BASE_PORT:-8000}
CONFIGURATION=${CONFIGURATION:-Debug}
LEASE_DURATION=${LEASE_DURATION:-00:01:00}

dotnet build src/EdgeFleet.Fleet -c "$CONFIGURATION" -nologo -v q >/dev/null
mkdir -p artifacts
rm -f artifacts/fleet.json

dotnet "src/EdgeFleet.Fleet/bin/$CONFIGURATION/net10.0/EdgeFleet.Fleet.dll" run --base-port "$BASE_PORT" \
  --lease-duration "$LEASE_DURATION" --admin-token demo-token --cache-arg "--config=build/demo.json" &
runner=$!
trap 'kill -TERM $runner 2>/dev/null || true; wait $runner 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 600); do
  [[ -f artifacts/fleet.json ]] && break
  kill -0 $runner 2>/dev/null || { echo "the fleet runner stopped; see artifacts/fleet/*.log" >&2; exit 1; }
  sleep 0.1
done
sleep 0.5

edge="http://127.0.0.1:$((BASE_PORT + 111))"
edge2="http://127.0.0.1:$((BASE_PORT + 121))"
origin="http://127.0.0.1:$BASE_PORT"
echo
echo "Try:"
for path in /images/sunrise.png /images/ocean.png /audio/tone.wav /video/sweep.y4m; do
  echo "  curl -sI $edge$path"
done
echo "  curl -s -H 'Range: bytes=0-99' $edge/video/sweep.y4m | wc -c"
echo "  curl -s -X PUT --data 'hello v1' '$origin/notes/hello.txt?tags=greetings'; curl -s $edge2/notes/hello.txt"
echo "  dotnet run --project src/EdgeFleet.Fleet -- invalidate --url /images/sunrise.png --wait"
echo "  curl -s -H 'Authorization: Bearer demo-token' http://127.0.0.1:$((BASE_PORT + 211))/admin/fleet"
echo "  curl -s http://127.0.0.1:$((BASE_PORT + 211))/metrics | grep edgefleet_fleet"
echo
echo "First and second request for /images/sunrise.png at edge-eu-1:"
for i in 1 2; do
  echo "  $(curl -sI "$edge/images/sunrise.png" | tr -d '\r' | grep -i '^cache-status' | tr '\n' ' ')"
done
echo
echo "Press Ctrl-C to stop."
wait $runner
