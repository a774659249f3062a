// Discovery documents (/version, /api, /api/v1, /apis, /apis/<group>/<version>) built from the resource
// table. Plain (unaggregated) discovery: kubectl asks for the aggregated form first and falls back when
// the answer is a plain `application/json` document.
import { groupVersion, type ResourceInfo, type ResourceRegistry } from "../store/resources.ts";

/** The version reported: its minor selects the kubectl the machine's dispatcher runs (1.27–1.33). */
export const serverVersion = {
  major: "1",
  minor: "31",
  gitVersion: "v1.31.0",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-11-24T00:00:00Z",
  goVersion: "go1.22.5",
  compiler: "gc",
  platform: "linux/amd64",
};

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

export function apiGroupList(registry: ResourceRegistry) {
  const groups = new Map<string, Set<string>>();
  for (const info of registry.all()) {
    if (info.group === "") continue;
    const versions = groups.get(info.group) ?? new Set<string>();
    versions.add(info.version);
    groups.set(info.group, versions);
  }
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups].map(([name, versions]) => {
      const list = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

function entries(info: ResourceInfo) {
  const main = {
    name: info.resource,
    singularName: info.singular,
    namespaced: info.namespaced,
    kind: info.kind,
    verbs,
    ...(info.shortNames.length > 0 ? { shortNames: info.shortNames } : {}),
    ...(info.categories.length > 0 ? { categories: info.categories } : {}),
    storageVersionHash: Buffer.from(`${groupVersion(info)}/${info.kind}`)
      .toString("base64")
      .slice(0, 11),
  };
  const result: object[] = [main];
  if (info.status) {
    result.push({
      name: `${info.resource}/status`,
      singularName: "",
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: ["get", "patch", "update"],
    });
  }
  if (info.kind === "Pod" && info.group === "") {
    result.push({ name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] });
  }
  if (info.scale) {
    result.push({
      name: `${info.resource}/scale`,
      singularName: "",
      namespaced: info.namespaced,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    });
  }
  return result;
}

/** The APIResourceList of one group version, or undefined when the platform does not serve it. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const infos = registry.all().filter((info) => info.group === group && info.version === version);
  if (infos.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: groupVersion({ group, version }),
    resources: infos.flatMap(entries),
  };
}
