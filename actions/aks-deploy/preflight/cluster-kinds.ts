// Whether the cluster serves a kind, and its scope, from the API server's discovery documents (through
// client-node's KubernetesObjectApi.resource, which caches them per group version). A kind it does not
// serve is named with what to do: for a CRD kind, the CustomResourceDefinition that is missing.
import {
  ApiException,
  type KubernetesObject,
  type KubernetesObjectApi,
  type V1APIResource,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { groupOf } from "./pod-templates.ts";
import { schemaKnows, schemaVersionsOf } from "./schema.ts";

/** client-node keeps resource() protected in its types; it is the discovery lookup its own calls use. */
interface Discovery {
  resource(apiVersion: string, kind: string): Promise<V1APIResource | undefined>;
}

export type KindLookup =
  /** definedInManifests: served once a CustomResourceDefinition of the same manifests is applied. */
  | { served: true; namespaced: boolean; definedInManifests?: true }
  | { served: false; message: string; hint: string };

/** kubectl's guess of a kind's resource name (meta.UnsafeGuessKindToResource): Policy -> policies. */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith("s")) return `${lower}es`;
  if (lower.endsWith("y") && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function notServed(apiVersion: string, kind: string): KindLookup {
  const group = groupOf(apiVersion);
  const stable = schemaVersionsOf(kind).filter(
    (version) => version !== apiVersion && /\/v\d+$|^v\d+$/.test(version),
  );
  if (schemaKnows(apiVersion, kind) || !group.includes(".") || group.endsWith(".k8s.io")) {
    return {
      served: false,
      message: `the cluster does not serve ${apiVersion} ${kind}`,
      hint: stable.length > 0 ? `use apiVersion ${stable.join(" or ")}` : "check apiVersion and kind",
    };
  }
  return {
    served: false,
    message: `the cluster does not serve ${apiVersion} ${kind}: the CustomResourceDefinition ${guessResource(kind)}.${group} is missing`,
    hint: `install the CRD (or the operator that brings it) before deploying, or check apiVersion and kind`,
  };
}

/** Throws what is not an answer about the kind (cluster unreachable, unauthorised, server errors). */
export async function lookUpKind(
  objectApi: KubernetesObjectApi,
  apiVersion: string,
  kind: string,
): Promise<KindLookup> {
  try {
    const resource = await (objectApi as unknown as Discovery).resource(apiVersion, kind);
    return resource ? { served: true, namespaced: resource.namespaced } : notServed(apiVersion, kind);
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return notServed(apiVersion, kind);
    throw error;
  }
}

/** The kinds the manifests' own CustomResourceDefinitions define, by "apiVersion kind", with their scope. */
export function kindsDefinedBy(objects: KubernetesObject[]): Map<string, KindLookup> {
  const kinds = new Map<string, KindLookup>();
  for (const object of objects) {
    if (object.apiVersion !== "apiextensions.k8s.io/v1" || object.kind !== "CustomResourceDefinition")
      continue;
    const spec = (object as V1CustomResourceDefinition).spec;
    if (
      typeof spec?.group !== "string" ||
      typeof spec.names?.kind !== "string" ||
      !Array.isArray(spec.versions)
    )
      continue;
    for (const version of spec.versions) {
      kinds.set(`${spec.group}/${version.name} ${spec.names.kind}`, {
        served: true,
        namespaced: spec.scope === "Namespaced",
        definedInManifests: true,
      });
    }
  }
  return kinds;
}
