// Strategic merge patch (`application/strategic-merge-patch+json`) for the common cases of the built-in
// kinds: keyed lists (containers, env, ports, volumes, …) merge item by item, `finalizers` merge as a
// set, other lists are replaced; null deletes; directives `$patch: replace|delete`, `$retainKeys`,
// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` (what `kubectl apply` sends).
import { isDeepStrictEqual } from "node:util";
import { isObject, type JsonObject } from "./json-value.ts";
import { type ListType, listType, patchMergeKey } from "./list-types.ts";

const setOrderPrefix = "$setElementOrder/";
const deleteFromPrefix = "$deleteFromPrimitiveList/";

export function strategicMergePatch(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  return mergeObject(isObject(original) ? original : {}, patch);
}

function withoutDirectives(patch: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$")) continue;
    result[key] = isObject(value) ? withoutDirectives(value) : value;
  }
  return result;
}

function mergeObject(original: JsonObject, patch: JsonObject): JsonObject {
  if (patch.$patch === "replace") return withoutDirectives(patch);
  const result = structuredClone(original);
  const orders = new Map<string, unknown[]>();
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys") continue;
    if (key.startsWith(setOrderPrefix)) {
      if (Array.isArray(value)) orders.set(key.slice(setOrderPrefix.length), value);
      continue;
    }
    if (key.startsWith(deleteFromPrefix)) {
      const field = key.slice(deleteFromPrefix.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter((item) => !value.some((gone) => isDeepStrictEqual(gone, item)));
      }
      continue;
    }
    if (key.startsWith("$")) continue;
    if (value === null) {
      delete result[key];
    } else if (isObject(value)) {
      if (value.$patch === "delete") delete result[key];
      else result[key] = mergeObject(isObject(result[key]) ? (result[key] as JsonObject) : {}, value);
    } else if (Array.isArray(value)) {
      const current = Array.isArray(result[key]) ? (result[key] as unknown[]) : [];
      result[key] = mergeList(key, current, value);
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const current = result[field];
    if (Array.isArray(current)) result[field] = reorder(field, current, order);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys.filter((key) => typeof key === "string"));
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }
  return result;
}

function mergeList(field: string, current: unknown[], patch: unknown[]): unknown[] {
  if (patch.some((item) => isObject(item) && item.$patch === "replace")) {
    return patch
      .filter((item) => !(isObject(item) && item.$patch === "replace"))
      .map((item) => (isObject(item) ? withoutDirectives(item) : item));
  }
  const type: ListType = listType(field, [...patch, ...current]);
  if (type.kind === "set") {
    const result = [...current];
    for (const item of patch)
      if (!result.some((existing) => isDeepStrictEqual(existing, item))) result.push(item);
    return result;
  }
  if (type.kind !== "map") return patch.map((item) => (isObject(item) ? withoutDirectives(item) : item));
  const key = patchMergeKey(type);
  const result = current.map((item) => structuredClone(item));
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (item.$patch === "delete") {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = mergeObject(result[index] as JsonObject, item);
    } else {
      result.push(withoutDirectives(item));
    }
  }
  return result;
}

/** `$setElementOrder`: items named in the order list first, in that order; the others after. */
function reorder(field: string, items: unknown[], order: unknown[]): unknown[] {
  const type = listType(field, items);
  const key = type.kind === "map" ? patchMergeKey(type) : undefined;
  const sameItem = (item: unknown, wanted: unknown) =>
    key !== undefined && isObject(item) && isObject(wanted)
      ? item[key] === wanted[key]
      : isDeepStrictEqual(item, wanted);
  const ordered: unknown[] = [];
  for (const wanted of order) {
    const found = items.find((item) => sameItem(item, wanted) && !ordered.includes(item));
    if (found !== undefined) ordered.push(found);
  }
  return [...ordered, ...items.filter((item) => !ordered.includes(item))];
}
