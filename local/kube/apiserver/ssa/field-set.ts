// Field sets as server-side apply tracks them (sigs.k8s.io/structured-merge-diff): a set of paths, each
// a list of tokens in the managedFields encoding: `f:<field>`, `k:<json key>` (an item of a keyed list),
// `v:<json value>` (an item of a set), `i:<index>`. A member is a leaf value, an atomic list, an empty
// map, or a keyed-list item; maps are not members themselves.
import { isDeepStrictEqual } from "node:util";
import { isObject, type JsonObject } from "../merge/json-value.ts";
import { itemKey, listType } from "../merge/list-types.ts";

export type Path = string[];
export type FieldSet = Map<string, Path>;

const separator = "\u0000";

export function pathId(path: Path): string {
  return path.join(separator);
}

export function addPath(set: FieldSet, path: Path): void {
  set.set(pathId(path), path);
}

/** JSON with object keys sorted, as managedFields encodes list keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function collect(value: unknown, path: Path, field: string, set: FieldSet): void {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && path.length > 0) addPath(set, path);
    for (const key of keys) collect(value[key], [...path, `f:${key}`], key, set);
    return;
  }
  if (Array.isArray(value)) {
    const type = listType(field, value);
    if (type.kind === "map") {
      for (const item of value as JsonObject[]) {
        const itemPath = [...path, `k:${canonicalJson(itemKey(type, item))}`];
        addPath(set, itemPath);
        for (const key of Object.keys(item)) collect(item[key], [...itemPath, `f:${key}`], key, set);
      }
      return;
    }
    if (type.kind === "set") {
      for (const item of value) addPath(set, [...path, `v:${canonicalJson(item)}`]);
      return;
    }
  }
  addPath(set, path);
}

/** Every member path of `value` (an object fragment: the caller strips what is not tracked). */
export function fieldSetOf(value: JsonObject): FieldSet {
  const set: FieldSet = new Map();
  collect(value, [], "", set);
  return set;
}

function findKeyed(list: unknown[], field: string, key: string): number {
  const type = listType(field, list);
  if (type.kind !== "map") return -1;
  return list.findIndex((item) => isObject(item) && canonicalJson(itemKey(type, item)) === key);
}

interface Located {
  found: boolean;
  value: unknown;
}

/** The value at a path, or found: false. */
export function valueAt(root: unknown, path: Path): Located {
  let current: unknown = root;
  let field = "";
  for (const token of path) {
    const kind = token.slice(0, 2);
    const rest = token.slice(2);
    if (kind === "f:") {
      if (!isObject(current) || !Object.hasOwn(current, rest)) return { found: false, value: undefined };
      current = current[rest];
      field = rest;
    } else if (kind === "k:") {
      if (!Array.isArray(current)) return { found: false, value: undefined };
      const index = findKeyed(current, field, rest);
      if (index < 0) return { found: false, value: undefined };
      current = current[index];
    } else if (kind === "v:") {
      if (!Array.isArray(current)) return { found: false, value: undefined };
      const wanted = JSON.parse(rest) as unknown;
      const found = current.some((item) => isDeepStrictEqual(item, wanted));
      return { found, value: found ? wanted : undefined };
    } else {
      const index = Number(rest);
      if (!Array.isArray(current) || index >= current.length) return { found: false, value: undefined };
      current = current[index];
    }
  }
  return { found: true, value: current };
}

/** Removes the member at `path` from `root` in place (a field, a keyed item, a set value). */
export function removeAt(root: JsonObject, path: Path): void {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1] ?? "";
  const parent = valueAt(root, parentPath);
  if (!parent.found) return;
  const field =
    [...parentPath]
      .reverse()
      .find((token) => token.startsWith("f:"))
      ?.slice(2) ?? "";
  if (last.startsWith("f:") && isObject(parent.value)) delete parent.value[last.slice(2)];
  else if (last.startsWith("k:") && Array.isArray(parent.value)) {
    const index = findKeyed(parent.value, field, last.slice(2));
    if (index >= 0) parent.value.splice(index, 1);
  } else if (last.startsWith("v:") && Array.isArray(parent.value)) {
    const wanted = JSON.parse(last.slice(2)) as unknown;
    const index = parent.value.findIndex((item) => isDeepStrictEqual(item, wanted));
    if (index >= 0) parent.value.splice(index, 1);
  }
}

/** The path as conflict messages print it: `.spec.template.spec.containers[name="app"].image`. */
export function pathString(path: Path): string {
  return path
    .map((token) => {
      const rest = token.slice(2);
      if (token.startsWith("f:")) return `.${rest}`;
      if (token.startsWith("k:")) {
        const key = JSON.parse(rest) as JsonObject;
        return `[${Object.entries(key)
          .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
          .join(",")}]`;
      }
      if (token.startsWith("v:")) return `[=${rest}]`;
      return `[${rest}]`;
    })
    .join("");
}

/** managedFields' FieldsV1 tree from a set: members with children carry a "." entry. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const path of set.values()) {
    let node = root;
    for (const token of path) {
      const child = isObject(node[token]) ? (node[token] as JsonObject) : {};
      node[token] = child;
      node = child;
    }
    node["."] = {};
  }
  const prune = (node: JsonObject): JsonObject => {
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === ".") return {};
    const result: JsonObject = {};
    for (const key of keys.sort()) result[key] = key === "." ? {} : prune(node[key] as JsonObject);
    return result;
  };
  return prune(root);
}

export function fromFieldsV1(tree: unknown): FieldSet {
  const set: FieldSet = new Map();
  const walk = (node: unknown, path: Path) => {
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (path.length > 0 && (keys.length === 0 || keys.includes("."))) addPath(set, path);
    for (const key of keys) if (key !== ".") walk(node[key], [...path, key]);
  };
  walk(tree, []);
  return set;
}
