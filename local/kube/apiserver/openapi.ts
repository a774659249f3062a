// A minimal OpenAPI v3 discovery: the index (/openapi/v3) and one document per group version listing
// each resource's PATCH operation with its group-version-kind and the `fieldValidation` parameter. That is
// what kubectl reads to learn that the server validates fields itself (so `kubectl apply` works without
// --validate=false); no schemas are served (kubectl then computes patches from its built-in types).
import { createHash } from "node:crypto";
import { groupVersion, type ResourceRegistry } from "../store/resources.ts";

function documentPath(group: string, version: string): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}

export function openApiIndex(registry: ResourceRegistry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const info of registry.all()) {
    const path = documentPath(info.group, info.version);
    const hash = createHash("sha256")
      .update(JSON.stringify(openApiDocument(registry, path)))
      .digest("hex")
      .slice(0, 32);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

const parameter = (name: string) => ({ name, in: "query", schema: { type: "string", uniqueItems: true } });

/** The document of `api/v1` or `apis/<group>/<version>`, or undefined. */
export function openApiDocument(registry: ResourceRegistry, path: string) {
  const infos = registry.all().filter((info) => documentPath(info.group, info.version) === path);
  if (infos.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const info of infos) {
    const prefix = `/${path}${info.namespaced ? "/namespaces/{namespace}" : ""}/${info.resource}/{name}`;
    paths[prefix] = {
      patch: {
        operationId: `patch${info.kind}`,
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": { group: info.group, version: info.version, kind: info.kind },
        parameters: [
          parameter("dryRun"),
          parameter("fieldManager"),
          parameter("fieldValidation"),
          parameter("force"),
        ],
        responses: { "200": { description: "OK" } },
      },
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: groupVersion(infos[0] ?? { group: "", version: "v1" }) },
    paths,
  };
}
