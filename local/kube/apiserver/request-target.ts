// Which resource a URL addresses: /api/v1/... for the core group, /apis/<group>/<version>/... otherwise,
// optionally under /namespaces/<ns>/, then <resource>[/<name>[/<subresource>]].
import type { ResourceInfo, ResourceRegistry } from "../store/resources.ts";

export interface ResourceTarget {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function parseTarget(path: string, registry: ResourceRegistry): ResourceTarget | undefined {
  const segments = path
    .split("/")
    .filter((segment) => segment !== "")
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === "api" && segments.length >= 3) {
    group = "";
    version = segments[1] ?? "";
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 4) {
    group = segments[1] ?? "";
    version = segments[2] ?? "";
    rest = segments.slice(3);
  } else return undefined;
  const lookup = (resource: string | undefined) =>
    resource ? registry.byRef({ group, version, resource }) : undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const info = lookup(rest[2]);
    if (info?.namespaced) return { info, namespace: rest[1], name: rest[3], subresource: rest[4] };
  }
  const info = lookup(rest[0]);
  if (!info || rest.length > 3) return undefined;
  return { info, name: rest[1], subresource: rest[2] };
}
