#!/usr/bin/env node
// Validates Kubernetes manifests against the official Kubernetes OpenAPI schemas (through the
// kubernetes-models package), plus what kubernetes-models lets through but an API server refuses:
// unknown fields (kubectl's default strict field validation), object names, label syntax, and
// workload selectors that do not match their pod template.
//
//   node build/validate-k8s.mjs [--allow-unknown-kinds] <file|dir|->...
//
// Every YAML document in every file (directories: *.yaml, *.yml, *.json, recursively) is checked by
// its apiVersion and kind (prometheus-operator kinds through @kubernetes-models/prometheus-operator).
// Exit code 0 when all are valid, 1 when any is not, 2 on bad usage.
// Kinds without an official schema (custom resources) fail unless --allow-unknown-kinds is given;
// the CRD schemas of edgefleet.io are checked by the C# tests instead.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tools = process.env.EDGEFLEET_TOOLS ?? join(repo, ".tools");
const modelsRoot = join(tools, "node_modules", "kubernetes-models");
if (!existsSync(modelsRoot)) {
  console.error(`validate-k8s: ${modelsRoot} is missing; run build/deps.sh first`);
  process.exit(2);
}
// Custom resources of other projects that the chart renders (the ServiceMonitor) have their schemas
// in companion packages laid out the same way, <group>/<version>/<Kind>.js.
const modelRoots = [modelsRoot, join(tools, "node_modules", "@kubernetes-models", "prometheus-operator")];
const { parseAllDocuments } = await import(pathToFileURL(join(tools, "node_modules", "yaml", "dist", "index.js")).href);

const args = process.argv.slice(2);
const allowUnknown = args.includes("--allow-unknown-kinds");
const inputs = args.filter((a) => a !== "--allow-unknown-kinds");
if (inputs.length === 0) {
  console.error("usage: node build/validate-k8s.mjs [--allow-unknown-kinds] <file|dir|->...");
  process.exit(2);
}

function listFiles(path) {
  if (path === "-") {
    return ["-"];
  }
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .sort()
      .flatMap((entry) => listFiles(join(path, entry)))
      .filter((f) => /\.(ya?ml|json)$/.test(f));
  }
  return [path];
}

// apiVersion "apps/v1" lives in kubernetes-models/apps/v1, the core "v1" in kubernetes-models/v1.
async function loadModel(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9]+$/.test(kind)) {
    return null;
  }
  const parts = apiVersion.split("/");
  if (parts.some((p) => !/^[a-z0-9.-]+$/.test(p)) || parts.length > 2) {
    return null;
  }
  const file = modelRoots.map((root) => join(root, ...parts, `${kind}.js`)).find((f) => existsSync(f));
  if (file === undefined) {
    return null;
  }
  const module = await import(pathToFileURL(file).href);
  const model = module[kind];
  if (!model) {
    return null;
  }
  model.declarationFile = file.replace(/\.js$/, ".d.ts");
  return model;
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkLabels(labels, path, errors) {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : null;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== null && (prefix.length > 253 || !dns1123Subdomain.test(prefix))) {
      errors.push(`${path}[${key}]: label key prefix must be a DNS subdomain`);
    }
    if (name.length > 63 || !labelName.test(name)) {
      errors.push(`${path}[${key}]: label key name must be at most 63 alphanumerics, '-', '_' or '.'`);
    }
    if (typeof value !== "string" || value.length > 63 || !labelValue.test(value)) {
      errors.push(`${path}[${key}]: label value ${JSON.stringify(value)} must be at most 63 alphanumerics, '-', '_' or '.'`);
    }
  }
}

// Rules the API server applies in its Go validation rather than in the OpenAPI schema.
function serverSideChecks(doc) {
  const errors = [];
  const meta = doc.metadata ?? {};
  const name = meta.name;
  if (typeof name !== "string" || name.length === 0) {
    if (!meta.generateName) {
      errors.push("metadata.name: Required value");
    }
  } else if (doc.kind === "Service" ? !dns1035Label.test(name) || name.length > 63 : !dns1123Subdomain.test(name) || name.length > 253) {
    errors.push(`metadata.name: Invalid value ${JSON.stringify(name)}: must be a ${doc.kind === "Service" ? "DNS-1035 label" : "DNS-1123 subdomain"}`);
  }
  checkLabels(meta.labels, "metadata.labels", errors);
  const template = doc.spec?.template;
  if (template && doc.spec?.selector?.matchLabels) {
    checkLabels(template.metadata?.labels, "spec.template.metadata.labels", errors);
    for (const [key, value] of Object.entries(doc.spec.selector.matchLabels)) {
      if (template.metadata?.labels?.[key] !== value) {
        errors.push(`spec.template.metadata.labels: Invalid value: selector does not match template labels (${key}=${value})`);
      }
    }
  }
  if (doc.kind === "StatefulSet" && typeof name === "string" && name.length > 52) {
    errors.push("metadata.name: a StatefulSet name longer than 52 characters breaks its pods' controller-revision-hash label");
  }
  for (const container of template?.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.name !== undefined && (port.name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port.name) || !/[a-z]/.test(port.name))) {
        errors.push(`spec.template.spec.containers[${container.name}].ports.name: Invalid value ${JSON.stringify(port.name)}`);
      }
    }
  }
  return errors;
}

// kubernetes-models validates types, required fields and enums, but lets unknown fields through,
// which a real API server refuses (kubectl's default strict field validation) or silently drops.
// Its TypeScript declarations list every field of every type, so read those to find unknown ones.
const declarations = new Map();

function resolveModule(specifier, fromFile) {
  return specifier.startsWith(".")
    ? resolve(dirname(fromFile), specifier.replace(/\.js$/, ".d.ts"))
    : join(tools, "node_modules", `${specifier}.d.ts`);
}

function readDeclaration(file) {
  if (declarations.has(file)) {
    return declarations.get(file);
  }
  let parsed = null;
  if (existsSync(file)) {
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    const imports = new Map();
    for (const [, names, from] of text.matchAll(/import \{([^}]+)\} from "([^"]+)";/g)) {
      for (const name of names.split(",").map((n) => n.trim())) {
        imports.set(name, resolveModule(from, file));
      }
    }
    const start = text.search(/export interface \w+[^{]*\{/);
    const props = new Map();
    if (start >= 0) {
      let depth = 0;
      let piece = "";
      for (const c of text.slice(text.indexOf("{", start))) {
        if (c === "{") depth++;
        if (c === "}") depth--;
        if (depth === 0) break;
        if (c === ";" && depth === 1) {
          const m = /^\s*\{?\s*"([^"]+)"\??:\s*([\s\S]+)$/.exec(piece);
          if (m) props.set(m[1], m[2].trim());
          piece = "";
        } else if (!(c === "{" && depth === 1 && piece === "")) {
          piece += c;
        }
      }
    }
    parsed = { file, imports, props };
  }
  declarations.set(file, parsed);
  return parsed;
}

function typeOf(text, declaration) {
  const array = /^Array<([\s\S]+)>$/.exec(text);
  if (array) return { array: typeOf(array[1].trim(), declaration) };
  const map = /^\{\s*\[key: string\]:\s*([\s\S]+?);?\s*\}$/.exec(text);
  if (map) return { map: typeOf(map[1].trim(), declaration) };
  const file = declaration.imports.get(text);
  return file ? { file } : null;
}

function unknownFields(value, type, path, errors) {
  if (type === null || value === null || typeof value !== "object") {
    return;
  }
  if (type.array) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, type.array, `${path}[${i}]`, errors));
    return;
  }
  if (Array.isArray(value)) {
    return;
  }
  if (type.map) {
    for (const [key, item] of Object.entries(value)) unknownFields(item, type.map, `${path}.${key}`, errors);
    return;
  }
  const declaration = readDeclaration(type.file);
  // An interface without fields is an opaque value (JSON, JSONSchemaPropsOrArray): nothing to check.
  if (declaration === null || declaration.props.size === 0) {
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (!declaration.props.has(key)) {
      errors.push(`${field}: unknown field`);
    } else {
      unknownFields(item, typeOf(declaration.props.get(key), declaration), field, errors);
    }
  }
}

function formatAjvError(error) {
  const path = error.instancePath.replace(/^\//, "").split("/").filter(Boolean)
    .map((segment) => (/^[0-9]+$/.test(segment) ? `[${segment}]` : `.${segment}`)).join("").replace(/^\./, "");
  const detail = error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : "";
  return `${path || "(root)"}: ${error.message ?? error.keyword}${detail}`;
}

let failed = 0;
let checked = 0;
for (const input of inputs) {
  for (const file of listFiles(input)) {
    const text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
    const documents = parseAllDocuments(text);
    let index = 0;
    for (const document of documents) {
      const where = `${file}#${index++}`;
      if (document.errors.length > 0) {
        failed++;
        console.log(`FAIL ${where}: YAML: ${document.errors.map((e) => e.message).join("; ")}`);
        continue;
      }
      const doc = document.toJS();
      if (doc === null || doc === undefined) {
        continue;
      }
      checked++;
      const label = `${where} ${doc.kind}/${doc.metadata?.name ?? "?"}`;
      const Model = await loadModel(doc.apiVersion, doc.kind);
      if (Model === null) {
        if (allowUnknown) {
          console.log(`SKIP ${label}: no official schema for ${doc.apiVersion} ${doc.kind}`);
        } else {
          failed++;
          console.log(`FAIL ${label}: no official schema for apiVersion ${JSON.stringify(doc.apiVersion)} kind ${JSON.stringify(doc.kind)}`);
        }
        continue;
      }
      const errors = [];
      try {
        new Model(doc).validate();
      } catch (e) {
        if (Array.isArray(e.errors)) {
          errors.push(...e.errors.map(formatAjvError));
        } else {
          errors.push(String(e.message ?? e));
        }
      }
      unknownFields(doc, { file: Model.declarationFile }, "", errors);
      errors.push(...serverSideChecks(doc));
      if (errors.length > 0) {
        failed++;
        console.log(`FAIL ${label}`);
        for (const error of errors) {
          console.log(`  ${error}`);
        }
      } else {
        console.log(`ok   ${label}`);
      }
    }
  }
}
console.log(`validate-k8s: ${checked} documents, ${failed} invalid`);
process.exit(failed > 0 ? 1 : 0);
