// Every namespaced object goes to the target namespace: set when the manifest names none, a problem when
// it names another. Cluster-scoped objects may not name one (ValidateObjectMeta: "not allowed on this type").
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Problem } from "../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../manifests/manifest-document.ts";

/** Sets metadata.namespace on `object` (a copy of the document's) and returns the problems. */
export function targetNamespace(
  document: ManifestDocument,
  object: KubernetesObject,
  namespaced: boolean,
  namespace: string,
): Problem[] {
  const given = object.metadata?.namespace;
  if (!namespaced) {
    if (given === undefined) return [];
    return [
      problemAt(
        document,
        "metadata.namespace",
        `${object.kind} is cluster-scoped: a namespace is not allowed on this type`,
        "remove metadata.namespace",
      ),
    ];
  }
  if (given === undefined || given === "") {
    object.metadata = { ...object.metadata, namespace };
    return [];
  }
  if (given === namespace) return [];
  return [
    problemAt(
      document,
      "metadata.namespace",
      `namespace "${given}" is not the target namespace "${namespace}"`,
      "remove metadata.namespace (the target namespace is set), or deploy it in a run for that namespace",
    ),
  ];
}
