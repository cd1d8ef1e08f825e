#!/usr/bin/env bash
# make chart-test: lints the Helm chart, renders it with the default values and with every file in
# charts/edgefleet/ci/, validates every rendered object against the Kubernetes schemas
# (build/validate-k8s.mjs), checks what the schemas cannot (build/check-chart.mjs: CRDs equal to
# crds/, secure pod defaults, RBAC scope), and checks that bad values are refused with a message
# naming them.
set -euo pipefail
cd "$(dirname "$0")/.."
chart=charts/edgefleet
helm=$(build/helm.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() {
  echo "chart-test: FAIL $*" >&2
  failed=1
}

# The chart reads the CRDs through a symlink to crds/, so there is no copy to drift.
if [ "$(realpath "$chart/files/crds")" != "$(realpath crds)" ]; then
  fail "$chart/files/crds must be a symlink to crds/ (ln -s ../../../crds $chart/files/crds)"
fi

# Helm logs an INFO line for the symlink on every load; keep the output to what matters.
quiet() { grep -v 'found symbolic link in path' || true; }

variants=("" "$chart"/ci/*.yaml)
for values in "${variants[@]}"; do
  name=${values:-default values}
  args=(${values:+--values "$values"})
  if ! "$helm" lint --strict "$chart" "${args[@]}" 2>&1 | quiet >"$work/lint.txt"; then
    fail "helm lint --strict ($name)"
  fi
  if ! grep -q '0 chart(s) failed' "$work/lint.txt"; then
    cat "$work/lint.txt" >&2
    fail "helm lint --strict ($name)"
  fi
  if ! "$helm" template edgefleet "$chart" --namespace edgefleet-system "${args[@]}" >"$work/rendered.yaml" 2>"$work/err.txt"; then
    quiet <"$work/err.txt" >&2
    fail "helm template ($name)"
    continue
  fi
  if ! node build/validate-k8s.mjs "$work/rendered.yaml" >"$work/validate.txt"; then
    grep -v '^ok ' "$work/validate.txt" >&2
    fail "rendered objects are not valid Kubernetes objects ($name)"
  fi
  if ! node build/check-chart.mjs "$work/rendered.yaml" ${values:+"$values"} >"$work/check.txt"; then
    cat "$work/check.txt" >&2
    fail "chart checks ($name)"
  fi
  echo "chart-test: $name: lint ok, $(tail -n1 "$work/validate.txt" | sed 's/^validate-k8s: //'), $(tail -n1 "$work/check.txt" | sed 's/^check-chart: //')"
done

# A mistyped value must be refused by values.schema.json with a message that names it.
refused() {
  local what=$1 expect=$2
  shift 2
  if "$helm" template edgefleet "$chart" "$@" >/dev/null 2>"$work/err.txt"; then
    fail "$what was accepted"
  elif ! grep -qF -- "$expect" "$work/err.txt"; then
    quiet <"$work/err.txt" >&2
    fail "$what was refused without naming it (expected: $expect)"
  else
    echo "chart-test: refused $what: $(grep -F -- "$expect" "$work/err.txt" | head -n1 | sed 's/^[- ]*//')"
  fi
}
printf 'replicaCount: "two"\n' >"$work/bad-type.yaml"
refused 'replicaCount: "two"' "/replicaCount': got string, want integer" --values "$work/bad-type.yaml"
printf 'replicaConut: 2\n' >"$work/bad-key.yaml"
refused 'an unknown key replicaConut' "'replicaConut' not allowed" --values "$work/bad-key.yaml"
refused 'image.pullPolicy=Sometimes' "/image/pullPolicy': value must be one of" --set image.pullPolicy=Sometimes
refused 'crds.kept=true (a typo of crds.keep)' "'kept' not allowed" --set crds.kept=true

if [ "$failed" -ne 0 ]; then
  echo "chart-test: FAILED" >&2
  exit 1
fi
echo "chart-test: ok (helm $("$helm" version --template '{{.Version}}'))"
