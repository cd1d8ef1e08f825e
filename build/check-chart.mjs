#!/usr/bin/env node
// Checks on a rendered chart (`helm template` output) that the Kubernetes schemas cannot make:
//   node build/check-chart.mjs <rendered.yaml> [values.yaml]
// (the values file the output was rendered with, if any, over the chart's values.yaml)
// - every CRD rendered equals its file in crds/ except for the labels and the keep annotation the
//   chart adds (the chart reads crds/ through a symlink; this proves nothing else changed on the way);
// - the operator is given the cache image of cacheImage as the default for EdgeCaches;
// - the operator pods keep the secure defaults: non-root, read-only root filesystem, no privilege
//   escalation, all capabilities dropped, seccomp RuntimeDefault, resource requests, both probes;
// - the operator's rules are cluster-wide or confined to the watched namespace, as asked, and grant
//   exactly the verbs on exactly the resources it uses; leases only in a Role of the release namespace.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tools = process.env.EDGEFLEET_TOOLS ?? join(repo, ".tools");
const { parse, parseAllDocuments } = await import(pathToFileURL(join(tools, "node_modules", "yaml", "dist", "index.js")).href);

const [file, valuesFile] = process.argv.slice(2);
if (!file) {
  console.error("usage: node build/check-chart.mjs <rendered.yaml> [values.yaml]");
  process.exit(2);
}
const defaults = parse(readFileSync(join(repo, "charts", "edgefleet", "values.yaml"), "utf8"));
const given = valuesFile ? parse(readFileSync(valuesFile, "utf8")) ?? {} : {};
const crdsMode = (given.crds?.install ?? defaults.crds.install) ? "present" : "absent";
const rbacMode = (given.watchNamespace ?? defaults.watchNamespace) ? "namespaced" : "cluster";
const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);
const errors = [];
const chartLabels = ["helm.sh/chart", "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/managed-by"];

// CRDs: what renders is the file plus labels and (with crds.keep) one annotation.
const sources = new Map(readdirSync(join(repo, "crds")).filter((f) => /^edgefleet\.io_.*\.yaml$/.test(f))
  .map((f) => parse(readFileSync(join(repo, "crds", f), "utf8"))).map((crd) => [crd.metadata.name, crd]));
const crds = docs.filter((d) => d.kind === "CustomResourceDefinition");
if (crdsMode === "absent" && crds.length > 0) {
  errors.push(`crds.install=false rendered ${crds.length} CRDs`);
}
if (crdsMode === "present") {
  const names = crds.map((c) => c.metadata.name).sort();
  if (!isDeepStrictEqual(names, [...sources.keys()].sort())) {
    errors.push(`CRDs rendered ${names.join(", ")}; crds/ has ${[...sources.keys()].sort().join(", ")}`);
  }
  for (const crd of crds) {
    const copy = structuredClone(crd);
    for (const label of chartLabels) delete copy.metadata.labels?.[label];
    if (copy.metadata.annotations) {
      delete copy.metadata.annotations["helm.sh/resource-policy"];
      if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
    }
    if (sources.has(crd.metadata.name) && !isDeepStrictEqual(copy, sources.get(crd.metadata.name))) {
      errors.push(`CRD ${crd.metadata.name} differs from its file in crds/ beyond the chart's labels and annotation`);
    }
  }
}

// Secure pod defaults of the operator.
const deployment = docs.find((d) => d.kind === "Deployment");
const pod = deployment?.spec?.template?.spec;
const container = pod?.containers?.[0];
const expect = (ok, what) => ok || errors.push(`operator Deployment: ${what}`);
expect(pod?.securityContext?.runAsNonRoot === true, "pod securityContext.runAsNonRoot must be true");
expect(pod?.securityContext?.seccompProfile?.type === "RuntimeDefault", "pod seccompProfile must be RuntimeDefault");
expect(container?.securityContext?.readOnlyRootFilesystem === true, "readOnlyRootFilesystem must be true");
expect(container?.securityContext?.allowPrivilegeEscalation === false, "allowPrivilegeEscalation must be false");
expect(isDeepStrictEqual(container?.securityContext?.capabilities?.drop, ["ALL"]), "capabilities must drop ALL");
expect(container?.resources?.requests?.cpu && container?.resources?.requests?.memory, "cpu and memory requests are required");
expect(container?.livenessProbe?.httpGet?.path === "/healthz", "livenessProbe must GET /healthz");
expect(container?.readinessProbe?.httpGet?.path === "/readyz", "readinessProbe must GET /readyz");
expect(container?.args?.includes("--leader-election-namespace"), "--leader-election-namespace must be passed");
{
  // The default cache image for EdgeCaches: cacheImage by digest, else by tag (default: appVersion).
  const cache = { ...defaults.cacheImage, ...given.cacheImage };
  const version = deployment?.metadata?.labels?.["app.kubernetes.io/version"];
  const image = cache.digest ? `${cache.repository}@${cache.digest}` : `${cache.repository}:${cache.tag || version}`;
  const args = container?.args ?? [];
  const at = args.indexOf("--default-image");
  expect(at >= 0 && args[at + 1] === image, `--default-image must be ${image} (cacheImage), got ${at >= 0 ? args[at + 1] : "none"}`);
}

// Where the operator's rules live.
const operatorRoles = docs.filter((d) => (d.kind === "ClusterRole" || d.kind === "Role")
  && d.rules?.some((r) => r.resources?.includes("edgecaches/status")));
const kinds = operatorRoles.map((r) => r.kind);
if (rbacMode === "cluster" && !isDeepStrictEqual(kinds, ["ClusterRole"])) {
  errors.push(`expected the operator's rules in one ClusterRole, found: ${kinds.join(", ") || "none"}`);
}
if (rbacMode === "namespaced" && !(kinds.length === 1 && kinds[0] === "Role" && operatorRoles[0].metadata.namespace)) {
  errors.push(`expected the operator's rules in one namespaced Role, found: ${kinds.join(", ") || "none"}`);
}
// Least privilege: the operator's grants, as (group, resource, verb) triples, are exactly what it uses.
const crud = ["get", "list", "watch", "create", "update", "patch", "delete"];
const expected = [
  ...["origins", "edgecaches", "invalidations"].flatMap((r) => ["get", "list", "watch", "update", "patch"].map((v) => `edgefleet.io/${r}/${v}`)),
  ...["origins/status", "edgecaches/status", "invalidations/status"].flatMap((r) => ["get", "update", "patch"].map((v) => `edgefleet.io/${r}/${v}`)),
  ...crud.map((v) => `apps/statefulsets/${v}`),
  ...["services", "configmaps", "secrets"].flatMap((r) => crud.map((v) => `/${r}/${v}`)),
  ...crud.map((v) => `policy/poddisruptionbudgets/${v}`),
  ...["create", "patch"].flatMap((v) => [`/events/${v}`, `events.k8s.io/events/${v}`]),
].sort();
const triples = (roles) => roles.flatMap((role) => role.rules ?? []).flatMap((rule) =>
  rule.apiGroups.flatMap((g) => rule.resources.flatMap((r) => rule.verbs.map((v) => `${g}/${r}/${v}`))));
const granted = [...new Set(triples(operatorRoles))].sort();
if (operatorRoles.length > 0 && !isDeepStrictEqual(granted, expected)) {
  const extra = granted.filter((g) => !expected.includes(g));
  const missing = expected.filter((e) => !granted.includes(e));
  errors.push(`operator rules differ from what it uses: extra [${extra.join(", ")}] missing [${missing.join(", ")}]`);
}
const leases = docs.filter((d) => d.rules?.some((r) => r.resources?.includes("leases")));
if (leases.length !== 1 || leases[0].kind !== "Role" || !isDeepStrictEqual(triples(leases).sort(),
  ["coordination.k8s.io/leases/create", "coordination.k8s.io/leases/get", "coordination.k8s.io/leases/update"])) {
  errors.push("leases must be granted (get, create, update) by one Role in the release namespace, and nothing else by it");
}

for (const error of errors) console.log(`FAIL ${error}`);
console.log(`check-chart: ${docs.length} objects, ${errors.length} problems`);
process.exit(errors.length > 0 ? 1 : 0);
