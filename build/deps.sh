#!/usr/bin/env bash
# Installs or checks everything `make test` needs on a fresh Debian machine:
# Debian packages (promtool, curl, dig), the npm packages the tests drive, and helm.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v promtool >/dev/null || need_apt+=(prometheus)
command -v curl >/dev/null || need_apt+=(curl)
command -v dig >/dev/null || need_apt+=(dnsutils)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages ${need_apt[*]}; install them with apt-get (needs root)" >&2
    exit 1
  fi
  echo "deps: installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# npm packages live in .tools/ (ignored by git), pinned by build/tools/package.json.
if [ ! -d .tools/node_modules ] || ! cmp -s build/tools/package.json .tools/package.json; then
  mkdir -p .tools
  cp build/tools/package.json .tools/package.json
  [ -f build/tools/package-lock.json ] && cp build/tools/package-lock.json .tools/package-lock.json
  (cd .tools && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
echo "deps: ok"
