// The same object twice in one manifest set: the second apply would silently win over the first.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Problem } from "../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../manifests/manifest-document.ts";
import { groupOf } from "./pod-templates.ts";

/** kind.group/namespace/name: the identity the API server keys an object by. */
export function objectIdentity(object: KubernetesObject): string {
  const group = groupOf(object.apiVersion);
  return `${object.kind}${group === "" ? "" : `.${group}`} ${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
}

/** `objects[i]` is the object of `documents[i]` after namespace defaulting. */
export function duplicateObjectProblems(
  documents: ManifestDocument[],
  objects: KubernetesObject[],
): Problem[] {
  const first = new Map<string, ManifestDocument>();
  const problems: Problem[] = [];
  for (const [position, document] of documents.entries()) {
    const object = objects[position] ?? document.object;
    const identity = objectIdentity(object);
    const earlier = first.get(identity);
    if (!earlier) {
      first.set(identity, document);
      continue;
    }
    const namespace = object.metadata?.namespace;
    problems.push(
      problemAt(
        document,
        "metadata.name",
        `${object.kind} "${object.metadata?.name}"${namespace ? ` in namespace "${namespace}"` : ""} is also defined in ${earlier.file} (document ${earlier.index})`,
        "keep one definition of each object",
      ),
    );
  }
  return problems;
}
