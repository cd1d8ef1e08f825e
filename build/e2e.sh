#!/usr/bin/env bash
# make e2e: the end-to-end suite on a throwaway k3d cluster. Needs Docker, k3d and kubectl (helm v4
# and node come from build/deps.sh). Never part of `make test`: the build machines have no Docker.
#
#  1. a k3d cluster with two agents, labelled into regions eu and us (topology.kubernetes.io/region)
#  2. the cache and operator images built and imported into the cluster
#  3. the chart installed with those images, the examples applied (adjusted: imported image, both
#     regions, an in-cluster origin), the EdgeCache waited on until Ready
#  4. through the eu region's Service: a miss, then a hit (Cache-Status)
#  5. `kubectl edgefleet invalidate --wait`, then the next request misses
#  6. the cache pod's and the operator's /metrics answer
#  7. the cluster is deleted on exit, success or not (E2E_KEEP=1 keeps it for debugging)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=build/lib.sh
source build/lib.sh

say() { echo "e2e: $*"; }
die() {
  echo "e2e: FAIL: $*" >&2
  exit 1
}

# Fail fast, and say why, where the suite cannot run.
if ! command -v docker >/dev/null; then
  die "docker is not installed; make e2e needs a Docker engine (it is not part of make test)"
fi
if ! docker_error=$(docker info 2>&1 >/dev/null); then
  die "Docker is not usable here (docker info: $(echo "$docker_error" | grep -m1 -v '^$')); make e2e needs a running Docker engine (it is not part of make test)"
fi
command -v k3d >/dev/null || die "k3d is not installed (https://k3d.io: curl -s https://raw.githubusercontent.com/k3d-io/k3d/main/install.sh | bash)"
command -v kubectl >/dev/null || die "kubectl is not installed"
build/deps.sh >/dev/null
helm=$(build/helm.sh)

cluster=edgefleet-e2e-$$
tag=e2e-$$
ns=edgefleet-e2e
# Not named `work`: stop_all (build/lib.sh) would remove it before the cluster is deleted.
work_dir=$(mktemp -d)
export KUBECONFIG=$work_dir/kubeconfig

cleanup() {
  local status=$?
  stop_all
  if [ "${E2E_KEEP:-0}" = 1 ]; then
    echo "e2e: keeping cluster $cluster (k3d cluster delete $cluster when done)"
  else
    k3d cluster delete "$cluster" >/dev/null 2>&1 || true
  fi
  rm -rf "$work_dir"
  exit "$status"
}
trap cleanup EXIT

# On failure, show what the cluster was doing.
diagnose() {
  echo "e2e: --- cluster state" >&2
  kubectl get nodes -L topology.kubernetes.io/region >&2 || true
  kubectl get edgefleet,statefulsets,pods,services -A -o wide >&2 || true
  kubectl -n edgefleet-system logs deployment/edgefleet --tail=50 >&2 || true
}

say "creating k3d cluster $cluster (1 server, 2 agents)"
k3d cluster create "$cluster" --agents 2 --no-lb --wait --timeout 180s \
  --kubeconfig-update-default=false --kubeconfig-switch-context=false >/dev/null
k3d kubeconfig get "$cluster" >"$KUBECONFIG"
kubectl label node "k3d-$cluster-agent-0" topology.kubernetes.io/region=eu --overwrite >/dev/null
kubectl label node "k3d-$cluster-agent-1" topology.kubernetes.io/region=us --overwrite >/dev/null

say "building images edgefleet/edgefleet-cache:$tag and edgefleet/edgefleet-operator:$tag"
docker build -q -f build/docker/cache.Dockerfile -t "edgefleet/edgefleet-cache:$tag" . >/dev/null
docker build -q -f build/docker/operator.Dockerfile -t "edgefleet/edgefleet-operator:$tag" . >/dev/null
k3d image import -c "$cluster" "edgefleet/edgefleet-cache:$tag" "edgefleet/edgefleet-operator:$tag" >/dev/null

say "installing the chart"
if ! "$helm" install edgefleet charts/edgefleet --namespace edgefleet-system --create-namespace \
  --set image.repository=edgefleet/edgefleet-operator --set image.tag="$tag" --set image.pullPolicy=Never \
  --wait --timeout 5m >"$work_dir/helm.log" 2>&1; then
  cat "$work_dir/helm.log" >&2
  diagnose
  die "helm install failed"
fi

say "starting an origin and applying the examples"
kubectl create namespace "$ns" >/dev/null
# The origin: nginx serving a page that shared caches may keep for ten minutes.
kubectl -n "$ns" apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: origin
data:
  default.conf: |
    server {
      listen 8080;
      location / {
        add_header Cache-Control "public, max-age=600" always;
        add_header Surrogate-Key "e2e" always;
        return 200 "hello from the origin\n";
      }
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: origin
spec:
  selector:
    matchLabels: {app: origin}
  template:
    metadata:
      labels: {app: origin}
    spec:
      containers:
        - name: nginx
          image: nginxinc/nginx-unprivileged:1.27-alpine
          ports: [{containerPort: 8080}]
          volumeMounts: [{name: conf, mountPath: /etc/nginx/conf.d}]
      volumes: [{name: conf, configMap: {name: origin}}]
---
apiVersion: v1
kind: Service
metadata:
  name: origin
spec:
  selector: {app: origin}
  ports: [{port: 8080, targetPort: 8080}]
YAML
# examples/origin.yaml and examples/edgecache-emptydir.yaml, adjusted: the in-cluster origin without
# the TLS and notification Secrets, both regions, and the imported image.
node --input-type=module - "$ns" "$tag" >"$work_dir/examples.yaml" <<'JS'
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const { parse, stringify } = await import(pathToFileURL(".tools/node_modules/yaml/dist/index.js").href);
const [ns, tag] = process.argv.slice(2);
const origin = parse(readFileSync("examples/origin.yaml", "utf8"));
origin.metadata.namespace = ns;
origin.spec.url = "http://origin:8080";
delete origin.spec.hostHeader;
delete origin.spec.tls;
delete origin.spec.notificationSecretRef;
const cache = parse(readFileSync("examples/edgecache-emptydir.yaml", "utf8"));
cache.metadata.namespace = ns;
cache.spec.originRef.name = origin.metadata.name;
cache.spec.regions = ["eu", "us"].map((name) => ({ name, replicas: 1, dnsName: `${name}.cdn.e2e.example` }));
cache.spec.image = `edgefleet/edgefleet-cache:${tag}`;
cache.spec.imagePullPolicy = "Never";
process.stdout.write([origin, cache].map((d) => stringify(d)).join("---\n"));
JS
kubectl apply -f "$work_dir/examples.yaml" >/dev/null
edgecache=$(kubectl -n "$ns" get edgecache -o jsonpath='{.items[0].metadata.name}')

say "waiting for EdgeCache $edgecache to be Ready"
kubectl -n "$ns" wait "edgecache/$edgecache" --for=condition=Ready --timeout=5m >/dev/null || { diagnose; die "EdgeCache $edgecache did not become Ready"; }

say "requests through the eu region's Service"
public_port=$(free_port)
start "$work_dir/pf-eu.log" kubectl -n "$ns" port-forward "service/$edgecache-edge-eu" "$public_port:8080"
wait_http "port-forward to the eu Service" "http://127.0.0.1:$public_port/" 60 "$work_dir/pf-eu.log"
url=http://127.0.0.1:$public_port/e2e/page.html
cache_status() { curl -s -o /dev/null -D - --max-time 10 "$url" | tr -d '\r' | grep -i '^cache-status:' || true; }
first=$(cache_status)
second=$(cache_status)
echo "  first:  $first"
echo "  second: $second"
[[ "$first" == *"fwd=miss"* ]] || { diagnose; die "the first request was not a miss: $first"; }
[[ "$second" == *"; hit"* ]] || { diagnose; die "the second request was not a hit: $second"; }

say "invalidating with the plugin"
make -s plugin >/dev/null
PATH=$PWD/artifacts/plugin/bin:$PATH kubectl edgefleet -n "$ns" invalidate "$edgecache" --url /e2e/page.html --wait --timeout 2m \
  || { diagnose; die "kubectl edgefleet invalidate --wait failed"; }
after=$(cache_status)
echo "  after:  $after"
[[ "$after" == *"fwd=miss"* ]] || { diagnose; die "the request after the invalidation was not a miss: $after"; }
PATH=$PWD/artifacts/plugin/bin:$PATH kubectl edgefleet -n "$ns" status "$edgecache"

say "checking metrics"
pod=$(kubectl -n "$ns" get pods -l "app.kubernetes.io/instance=$edgecache,edgefleet.io/region=eu" -o jsonpath='{.items[0].metadata.name}')
admin_port=$(free_port)
start "$work_dir/pf-admin.log" kubectl -n "$ns" port-forward "pod/$pod" "$admin_port:8081"
wait_http "port-forward to $pod's admin port" "http://127.0.0.1:$admin_port/healthz" 60 "$work_dir/pf-admin.log"
curl -sf "http://127.0.0.1:$admin_port/metrics" | grep -q '^edgefleet_' || die "no edgefleet_ metrics on $pod's admin port"
operator_port=$(free_port)
start "$work_dir/pf-operator.log" kubectl -n edgefleet-system port-forward service/edgefleet-metrics "$operator_port:8080"
wait_http "port-forward to the operator's metrics Service" "http://127.0.0.1:$operator_port/healthz" 60 "$work_dir/pf-operator.log"
curl -sf "http://127.0.0.1:$operator_port/metrics" | grep -q '^# TYPE ' || die "the operator's /metrics has no metrics"

say "passed"
