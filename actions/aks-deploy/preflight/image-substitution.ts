// `image: <container>=<registry>/<repository>@sha256:…` replaces that container's image in every workload
// (init containers too), so what runs is what the build produced, whatever the manifests say.
import type { KubernetesObject } from "@kubernetes/client-node";
import { ImageReferenceError, parseImageReference } from "../../lib/image-ref/parse.ts";
import type { Problem } from "../../lib/report/problem.ts";
import { isDns1123Label } from "./names.ts";
import { containersOf, podSpecOf } from "./pod-templates.ts";

export interface ImageSubstitution {
  /** Container name, as in the workloads' pod templates. */
  container: string;
  /** The image reference, pinned by digest. */
  reference: string;
}

const form = "<container>=<registry>/<repository>@sha256:<digest>";

/** Parses one `image` line; throws an Error saying what is wrong with it. */
export function parseImageSubstitution(text: string): ImageSubstitution {
  const trimmed = text.trim();
  const equals = trimmed.indexOf("=");
  if (equals < 0) throw new Error(`image "${trimmed}" must be ${form}`);
  const container = trimmed.slice(0, equals).trim();
  const reference = trimmed.slice(equals + 1).trim();
  if (!isDns1123Label(container))
    throw new Error(
      `image "${trimmed}": "${container}" is not a container name (lowercase letters, digits and '-', at most 63)`,
    );
  let digest: string | undefined;
  try {
    digest = parseImageReference(reference).digest;
  } catch (error) {
    if (error instanceof ImageReferenceError) throw new Error(`image "${trimmed}": ${error.message}`);
    throw error;
  }
  if (digest === undefined)
    throw new Error(`image "${trimmed}": "${reference}" is not pinned by digest; write it as ${form}`);
  return { container, reference };
}

/**
 * Sets each substituted container's image in every workload of `objects` (changed in place). Problems: a
 * container given twice, a substitution that matches no container.
 */
export function substituteImages(objects: KubernetesObject[], substitutions: ImageSubstitution[]): Problem[] {
  const problems: Problem[] = [];
  const byContainer = new Map<string, ImageSubstitution>();
  for (const substitution of substitutions) {
    if (byContainer.has(substitution.container)) {
      problems.push({
        path: "image",
        message: `container "${substitution.container}" is given more than one image`,
        hint: "give each container one image line",
      });
    }
    byContainer.set(substitution.container, substitution);
  }
  const names = new Set<string>();
  const matched = new Set<string>();
  for (const object of objects) {
    const pod = podSpecOf(object);
    if (!pod) continue;
    for (const { container } of containersOf(pod)) {
      if (typeof container.name !== "string") continue;
      names.add(container.name);
      const substitution = byContainer.get(container.name);
      if (!substitution) continue;
      container.image = substitution.reference;
      matched.add(container.name);
    }
  }
  for (const substitution of byContainer.values()) {
    if (matched.has(substitution.container)) continue;
    problems.push({
      path: "image",
      message: `image "${substitution.container}=${substitution.reference}" matches no container in the manifests`,
      hint: `the workloads' containers are: ${[...names].sort().join(", ") || "none"}`,
    });
  }
  return problems;
}
