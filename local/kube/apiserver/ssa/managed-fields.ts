// Server-side apply and field ownership, as pure functions over plain objects:
// - `apply`: merges an applied configuration into the live object for one field manager, with the
//   real conflict rules (another manager owns a field with a different value -> 409 unless force),
//   removes the fields this manager applied before and no longer applies (unless others own them),
//   and records managedFields (`operation: Apply`);
// - `recordUpdate`: ownership after any other write (`operation: Update`): the writer takes every
//   field it changed, owners of removed fields lose them.

import { isDeepStrictEqual } from "node:util";
import type { ManagedFieldsEntry } from "../../api/meta.ts";
import { isObject, type JsonObject } from "../merge/json-value.ts";
import { itemKey, listType } from "../merge/list-types.ts";
import {
  type FieldSet,
  fieldSetOf,
  fromFieldsV1,
  type Path,
  pathId,
  pathString,
  removeAt,
  toFieldsV1,
  valueAt,
} from "./field-set.ts";

export interface Conflict {
  manager: ManagedFieldsEntry;
  path: Path;
}

/** Thrown by `apply`; the API server turns it into the real 409 Status. */
export class ApplyConflictError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(conflictMessage(conflicts));
    this.name = "ApplyConflictError";
  }
}

export interface OwnershipContext {
  manager: string;
  /** "apps/v1": recorded on the entry. */
  apiVersion: string;
  /** RFC 3339, second precision. */
  time: string;
  /** Set for writes through /status or /scale (scale writes own parent fields, like main writes). */
  subresource?: "status" | "scale";
  /** The kind serves /status: its main resource does not track status, and /status tracks only status. */
  statusSubresource: boolean;
}

const untrackedMetadata = [
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
  "generateName",
];

/** The part of an object ownership is tracked on, for the main resource or /status. */
export function trackedPart(
  object: JsonObject,
  context: Pick<OwnershipContext, "subresource" | "statusSubresource">,
): JsonObject {
  if (context.subresource === "status")
    return object.status === undefined ? {} : { status: structuredClone(object.status) };
  const part: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === "apiVersion" || key === "kind") continue;
    if (key === "status" && context.statusSubresource) continue;
    if (key === "metadata" && isObject(value)) {
      const metadata: JsonObject = {};
      for (const [field, inner] of Object.entries(value))
        if (!untrackedMetadata.includes(field)) metadata[field] = structuredClone(inner);
      if (Object.keys(metadata).length > 0) part.metadata = metadata;
      continue;
    }
    part[key] = structuredClone(value);
  }
  return part;
}

function managerLabel(entry: ManagedFieldsEntry): string {
  let label = JSON.stringify(entry.manager ?? "");
  if (entry.subresource) label += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === "Update") label += ` using ${entry.apiVersion}`;
  return label;
}

/** The real server's message (k8s.io/apimachinery managedfields/internal/conflict.go). */
export function conflictMessage(conflicts: Conflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    return `Apply failed with 1 conflict: conflict with ${managerLabel(only.manager)}: ${pathString(only.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const conflict of conflicts) {
    const label = managerLabel(conflict.manager);
    byManager.set(label, [...(byManager.get(label) ?? []), pathString(conflict.path)]);
  }
  const lines: string[] = [];
  for (const label of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${label}:`);
    for (const path of byManager.get(label) ?? []) lines.push(`- ${path}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}

/** Two objects hold the same value at a path (a keyed item counts as the same when present in both). */
function sameAt(a: unknown, b: unknown, path: Path): boolean {
  const left = valueAt(a, path);
  const right = valueAt(b, path);
  if (!left.found || !right.found) return left.found === right.found;
  if ((path[path.length - 1] ?? "").startsWith("k:")) return true;
  return isDeepStrictEqual(left.value, right.value);
}

/** Structural merge of an applied configuration into the live object (keyed lists by key, sets by value). */
export function mergeApplied(live: unknown, config: unknown, field = ""): unknown {
  if (isObject(config)) {
    const result: JsonObject = isObject(live) ? structuredClone(live) : {};
    for (const [key, value] of Object.entries(config)) result[key] = mergeApplied(result[key], value, key);
    return result;
  }
  if (Array.isArray(config) && Array.isArray(live)) {
    const type = listType(field, [...config, ...live]);
    if (type.kind === "set")
      return [
        ...live,
        ...config.filter((item) => !live.some((existing) => isDeepStrictEqual(existing, item))),
      ];
    if (type.kind === "map") {
      const result = live.map((item) => structuredClone(item));
      for (const item of config as JsonObject[]) {
        const key = JSON.stringify(itemKey(type, item));
        const index = result.findIndex(
          (existing) => isObject(existing) && JSON.stringify(itemKey(type, existing)) === key,
        );
        if (index >= 0) result[index] = mergeApplied(result[index], item);
        else result.push(structuredClone(item));
      }
      return result;
    }
  }
  return structuredClone(config);
}

function entrySet(entry: ManagedFieldsEntry): FieldSet {
  return fromFieldsV1(entry.fieldsV1);
}

function withSet(entry: ManagedFieldsEntry, set: FieldSet): ManagedFieldsEntry {
  return { ...entry, fieldsType: "FieldsV1", fieldsV1: toFieldsV1(set) };
}

/** Status entries track status only; main-resource and scale entries share the parent's fields. */
function sameScope(entry: ManagedFieldsEntry, subresource: string | undefined): boolean {
  return (entry.subresource === "status") === (subresource === "status");
}

function sameSubresource(entry: ManagedFieldsEntry, subresource: string | undefined): boolean {
  return (entry.subresource ?? undefined) === subresource;
}

function sameSet(a: FieldSet, b: FieldSet): boolean {
  return a.size === b.size && [...a.keys()].every((id) => b.has(id));
}

export interface ApplyResult {
  object: JsonObject;
  managedFields: ManagedFieldsEntry[];
}

/**
 * Server-side apply of `config` by `context.manager` onto `live` (undefined: the object is created).
 * Throws ApplyConflictError unless `force`.
 */
export function apply(
  live: JsonObject | undefined,
  config: JsonObject,
  context: OwnershipContext,
  force: boolean,
): ApplyResult {
  const entries: ManagedFieldsEntry[] = structuredClone(
    (isObject(live?.metadata)
      ? (live.metadata.managedFields as ManagedFieldsEntry[] | undefined)
      : undefined) ?? [],
  );
  const applied = trackedPart(config, context);
  const appliedSet = fieldSetOf(applied);
  const isOwn = (entry: ManagedFieldsEntry) =>
    entry.manager === context.manager &&
    entry.operation === "Apply" &&
    sameSubresource(entry, context.subresource);
  const conflicts: Conflict[] = [];
  const taken = new Map<ManagedFieldsEntry, FieldSet>();
  for (const entry of entries) {
    if (isOwn(entry) || !sameScope(entry, context.subresource)) continue;
    const owned = entrySet(entry);
    for (const [id, path] of appliedSet) {
      if (!owned.has(id) || sameAt(live, applied, path)) continue;
      conflicts.push({ manager: entry, path });
      owned.delete(id);
    }
    taken.set(entry, owned);
  }
  if (conflicts.length > 0 && !force) throw new ApplyConflictError(conflicts);

  const result = mergeApplied(live ?? {}, applied) as JsonObject;
  const previous = entries.find(isOwn);
  const othersOwn = new Set<string>();
  for (const [, owned] of taken) for (const id of owned.keys()) othersOwn.add(id);
  if (previous) {
    const stale = [...entrySet(previous)].filter(([id]) => !appliedSet.has(id) && !othersOwn.has(id));
    for (const [, path] of stale.sort((a, b) => b[1].length - a[1].length)) removeAt(result, path);
  }

  const unchanged = previous !== undefined && sameSet(entrySet(previous), appliedSet);
  const own: ManagedFieldsEntry = {
    manager: context.manager,
    operation: "Apply",
    apiVersion: context.apiVersion,
    // The time moves only when the manager's set of fields does, so a repeated apply is a no-op.
    time: unchanged ? previous.time : context.time,
    ...(context.subresource ? { subresource: context.subresource } : {}),
  };
  const managedFields: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const entry of entries) {
    if (isOwn(entry)) {
      managedFields.push(withSet(own, appliedSet));
      placed = true;
      continue;
    }
    const owned = taken.get(entry);
    if (!owned || !conflicts.some((conflict) => conflict.manager === entry)) managedFields.push(entry);
    else if (owned.size > 0) managedFields.push(withSet(entry, owned));
  }
  if (!placed && appliedSet.size > 0) managedFields.push(withSet(own, appliedSet));
  return { object: result, managedFields };
}

function managedFieldsOf(object: JsonObject | undefined): ManagedFieldsEntry[] | undefined {
  const value = isObject(object?.metadata) ? object.metadata.managedFields : undefined;
  return Array.isArray(value) ? (value as ManagedFieldsEntry[]) : undefined;
}

/**
 * managedFields after a non-apply write (create, update, patch) by `context.manager`: the writer owns
 * every field it set or changed; fields that disappeared leave their owners. As on the real server, a
 * write that carries non-empty managedFields sets them (kubectl rewrites them when it moves a
 * client-side-applied object to server-side apply); `[{}]` clears them; absent or empty keeps the live ones.
 */
export function recordUpdate(
  before: JsonObject | undefined,
  after: JsonObject,
  context: OwnershipContext,
): ManagedFieldsEntry[] {
  const incoming = managedFieldsOf(after);
  const base = incoming !== undefined && incoming.length > 0 ? incoming : (managedFieldsOf(before) ?? []);
  const entries: ManagedFieldsEntry[] = structuredClone(
    base.filter((entry) => isObject(entry) && Object.keys(entry).length > 0),
  );
  const afterSet = fieldSetOf(trackedPart(after, context));
  const beforeSet = before ? fieldSetOf(trackedPart(before, context)) : new Map<string, Path>();
  const changed: FieldSet = new Map();
  for (const [id, path] of afterSet)
    if (!beforeSet.has(id) || !sameAt(before, after, path)) changed.set(id, path);
  const removed = [...beforeSet.keys()].filter((id) => !afterSet.has(id));
  if (changed.size === 0 && removed.length === 0) return entries;
  const isOwn = (entry: ManagedFieldsEntry) =>
    entry.manager === context.manager &&
    entry.operation === "Update" &&
    entry.apiVersion === context.apiVersion &&
    sameSubresource(entry, context.subresource);
  const result: ManagedFieldsEntry[] = [];
  let ownSet: FieldSet = new Map(changed);
  let ownIndex = -1;
  for (const entry of entries) {
    if (!sameScope(entry, context.subresource)) {
      result.push(entry);
      continue;
    }
    const owned = entrySet(entry);
    for (const id of owned.keys()) if (!afterSet.has(id)) owned.delete(id);
    if (isOwn(entry)) {
      ownSet = new Map([...owned, ...changed]);
      ownIndex = result.length;
      result.push(entry);
      continue;
    }
    for (const id of changed.keys()) owned.delete(id);
    if (owned.size > 0) result.push(withSet(entry, owned));
  }
  const own = withSet(
    {
      manager: context.manager,
      operation: "Update",
      apiVersion: context.apiVersion,
      time: context.time,
      ...(context.subresource ? { subresource: context.subresource } : {}),
    },
    ownSet,
  );
  if (ownIndex >= 0 && ownSet.size > 0) result[ownIndex] = own;
  else if (ownIndex >= 0) result.splice(ownIndex, 1);
  else if (ownSet.size > 0) result.push(own);
  return result;
}

const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * The real server's upgrade path from client-side to server-side apply (fieldmanager's
 * lastAppliedManager): for the manager "kubectl" only, conflicts on fields whose live value still equals
 * the last-applied-configuration annotation are forgiven (the apply is then forced). True when every
 * conflict is such a field.
 */
export function conflictsForgivenByLastApplied(
  live: JsonObject | undefined,
  manager: string,
  conflicts: Conflict[],
  context: OwnershipContext,
): boolean {
  if (manager !== "kubectl" || !isObject(live?.metadata) || !isObject(live.metadata.annotations))
    return false;
  const text = live.metadata.annotations[lastAppliedAnnotation];
  if (typeof text !== "string" || text === "") return false;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isObject(lastApplied)) return false;
  const allowed = fieldSetOf(trackedPart(lastApplied, context));
  return conflicts.every(
    (conflict) => allowed.has(pathId(conflict.path)) && sameAt(live, lastApplied, conflict.path),
  );
}
