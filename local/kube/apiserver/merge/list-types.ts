// How the built-in kinds' lists merge, from the `patchMergeKey` / `listType=map|set` markers of
// k8s.io/api: keyed lists merge item by item (strategic merge patch and server-side apply), sets merge
// by value, everything else is atomic (replaced whole). Recognised by the field's name and its items,
// which is unambiguous for the kinds the platform serves.

export type ListType =
  | { kind: "map"; keys: string[]; defaults?: Record<string, unknown> }
  | { kind: "set" }
  | { kind: "atomic" };

const byName: Record<string, ListType> = {
  containers: { kind: "map", keys: ["name"] },
  initContainers: { kind: "map", keys: ["name"] },
  ephemeralContainers: { kind: "map", keys: ["name"] },
  env: { kind: "map", keys: ["name"] },
  volumes: { kind: "map", keys: ["name"] },
  volumeMounts: { kind: "map", keys: ["mountPath"] },
  volumeDevices: { kind: "map", keys: ["devicePath"] },
  imagePullSecrets: { kind: "map", keys: ["name"] },
  hostAliases: { kind: "map", keys: ["ip"] },
  conditions: { kind: "map", keys: ["type"] },
  ownerReferences: { kind: "map", keys: ["uid"] },
  resourceClaims: { kind: "map", keys: ["name"] },
  topologySpreadConstraints: { kind: "map", keys: ["topologyKey", "whenUnsatisfiable"] },
  finalizers: { kind: "set" },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The list's merge behaviour, from its field name and (for `ports`) the shape of its items. */
export function listType(field: string, items: unknown[]): ListType {
  if (field === "ports") {
    const first = items.find(isRecord);
    if (first && "containerPort" in first)
      return { kind: "map", keys: ["containerPort", "protocol"], defaults: { protocol: "TCP" } };
    if (first && "port" in first)
      return { kind: "map", keys: ["port", "protocol"], defaults: { protocol: "TCP" } };
    return { kind: "atomic" };
  }
  const known = byName[field];
  if (known?.kind === "map" && !items.every(isRecord)) return { kind: "atomic" };
  return known ?? { kind: "atomic" };
}

/** The key of one item of a keyed list (with the schema's defaults for absent key fields). */
export function itemKey(
  type: Extract<ListType, { kind: "map" }>,
  item: Record<string, unknown>,
): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const field of type.keys) {
    const value = item[field] ?? type.defaults?.[field];
    if (value !== undefined) key[field] = value;
  }
  return key;
}

/** The strategic-merge-patch key: only the first key field (patchMergeKey). */
export function patchMergeKey(type: Extract<ListType, { kind: "map" }>): string {
  return type.keys[0] ?? "name";
}
