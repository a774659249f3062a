// Where each workload kind keeps its pod spec, and the containers in it with their field paths. Manifests
// are unchecked input here, so every step guards the shape instead of trusting the V1 types.
import type { KubernetesObject, V1Container, V1PodSpec } from "@kubernetes/client-node";

export interface PodSpecAt {
  /** Field path of the pod spec, e.g. `spec.template.spec`. */
  path: string;
  spec: V1PodSpec;
}

export interface ContainerAt {
  path: string;
  container: V1Container;
  init: boolean;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function at(object: unknown, path: string[]): unknown {
  let current: unknown = object;
  for (const key of path) current = record(current)?.[key];
  return current;
}

const templatePaths: Record<string, string[]> = {
  "apps/Deployment": ["spec", "template", "spec"],
  "apps/StatefulSet": ["spec", "template", "spec"],
  "apps/DaemonSet": ["spec", "template", "spec"],
  "apps/ReplicaSet": ["spec", "template", "spec"],
  "batch/Job": ["spec", "template", "spec"],
  "batch/CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
  "/Pod": ["spec"],
};

/** "apps/v1" -> "apps", "v1" -> "". */
export function groupOf(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? "").indexOf("/");
  return slash < 0 ? "" : (apiVersion ?? "").slice(0, slash);
}

/** The pod spec of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod). */
export function podSpecOf(object: KubernetesObject): PodSpecAt | undefined {
  const path = templatePaths[`${groupOf(object.apiVersion)}/${object.kind}`];
  if (!path) return undefined;
  const spec = record(at(object, path));
  return spec ? { path: path.join("."), spec: spec as unknown as V1PodSpec } : undefined;
}

/** Init containers, then containers, each with its field path; entries that are not objects are left out. */
export function containersOf(pod: PodSpecAt): ContainerAt[] {
  const found: ContainerAt[] = [];
  for (const field of ["initContainers", "containers"] as const) {
    const list: unknown = pod.spec[field];
    if (!Array.isArray(list)) continue;
    for (const [index, item] of list.entries()) {
      if (record(item))
        found.push({
          path: `${pod.path}.${field}[${index}]`,
          container: item,
          init: field === "initContainers",
        });
    }
  }
  return found;
}
