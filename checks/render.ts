// Renders a kustomization the way the pipeline does (`kubectl kustomize`, as actions/aks-deploy does for a
// folder with a kustomization.yaml) and parses every document.
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { execFileAsync } from "../local/common/exec-file.ts";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** A rendered object: what every manifest has, the rest left to the kind's schema. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export const overlays = ["k8s/prod", "k8s/local"] as const;

export async function renderKustomization(dir: string): Promise<KubeObject[]> {
  const { stdout } = await execFileAsync("kubectl", ["kustomize", dir], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(stdout).map((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${dir}: document ${index + 1}: ${doc.errors[0]?.message}`);
    const object: unknown = doc.toJS();
    if (!isKubeObject(object))
      throw new Error(`${dir}: document ${index + 1} has no apiVersion, kind or name`);
    return object;
  });
}

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== "object" || value === null) return false;
  const { apiVersion, kind, metadata } = value as Record<string, unknown>;
  return (
    typeof apiVersion === "string" &&
    typeof kind === "string" &&
    typeof metadata === "object" &&
    metadata !== null &&
    typeof (metadata as Record<string, unknown>).name === "string"
  );
}

/** The one object of a kind and name, or a failure naming what is missing. */
export function find<T>(objects: KubeObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered output`);
  return found as unknown as T;
}
