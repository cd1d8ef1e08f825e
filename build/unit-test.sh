#!/usr/bin/env bash
# Runs every test assembly, one at a time, and keeps the whole output in
# artifacts/unit-test.log. When a test fails, the failures are printed again at the end, so
# the last lines of a long run (all a CI summary may show) name what failed and why.
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=${CONFIGURATION:-Debug}
log=artifacts/unit-test.log
mkdir -p artifacts

# One test assembly at a time: the fleet tests start many processes, and on two cores running
# them beside the other assemblies only measures the machine.
status=0
${DOTNET:-dotnet} test EdgeFleet.sln -c "$configuration" --no-build -m:1 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo
  echo "unit-test: failed (exit $status); the failures again (whole output: $log):"
  # Each failure: its name line, then its message and stack, up to the next test's line.
  awk '/^  Failed / { show = 1 } /^  (Passed|Skipped) |^(Passed|Failed)! / { show = 0 } show' "$log" | head -n 300
  grep -E '^(Passed|Failed)! ' "$log" || true
fi
exit "$status"
