// The custom resources k8s/prod applies, read from its manifests (the files its kustomization lists), each
// as the plural kind the CRD in checks/crds/ names and its API group: what the pipeline's custom role may
// write (terraform/modules/identity), derived so the role and the manifests cannot drift apart.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { isRecord, ROOT } from "../tf-tree.ts";

const REPOSITORY = path.dirname(ROOT);
const PROD = path.join(REPOSITORY, "k8s/prod");
const CRDS = path.join(REPOSITORY, "checks/crds");

/** Groups Kubernetes serves itself; *.x-k8s.io groups are SIG projects installed as CRDs. */
function isBuiltInGroup(group: string): boolean {
  return !group.includes(".") || (group.endsWith(".k8s.io") && !group.endsWith(".x-k8s.io"));
}

/** "group kind" to the plural resource name, from the CRDs the manifests are validated against. */
function pluralsByKind(): Map<string, string> {
  const plurals = new Map<string, string>();
  for (const file of readdirSync(CRDS).filter((name) => name.endsWith(".yaml"))) {
    const crd: unknown = parse(readFileSync(path.join(CRDS, file), "utf8"));
    const spec = isRecord(crd) && isRecord(crd.spec) ? crd.spec : {};
    const names = isRecord(spec.names) ? spec.names : {};
    plurals.set(`${spec.group} ${names.kind}`, String(names.plural));
  }
  return plurals;
}

/**
 * Plural kind to API group of every custom resource in `manifests` (objects as parsed). A kind without a
 * CRD in checks/crds/ keeps its kind, lower-cased, with "(no CRD in checks/crds)" so the mismatch says why.
 */
export function customResourcesOf(manifests: unknown[]): Record<string, string> {
  const plurals = pluralsByKind();
  const kinds: Record<string, string> = {};
  for (const object of manifests.filter(isRecord)) {
    const apiVersion = String(object.apiVersion ?? "");
    const group = apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";
    if (isBuiltInGroup(group)) continue;
    const kind = String(object.kind);
    kinds[plurals.get(`${group} ${kind}`) ?? `${kind.toLowerCase()} (no CRD in checks/crds)`] = group;
  }
  return Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)));
}

/** The objects of the files k8s/prod/kustomization.yaml lists under `resources`. */
export function prodManifests(): unknown[] {
  const kustomization: unknown = parse(readFileSync(path.join(PROD, "kustomization.yaml"), "utf8"));
  const files =
    isRecord(kustomization) && Array.isArray(kustomization.resources) ? kustomization.resources : [];
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(PROD, String(file)), "utf8")).map((doc) => doc.toJS()),
  );
}
