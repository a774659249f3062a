// The StoreErrors the registry raises, with the real server's messages and Status details.
import { StoreError } from "./object-store.ts";
import { qualifiedKind, qualifiedResource, type ResourceInfo } from "./resources.ts";

export function notFound(info: ResourceInfo, name: string): StoreError {
  return new StoreError(404, "NotFound", `${qualifiedResource(info)} "${name}" not found`, {
    name,
    group: info.group,
    kind: info.resource,
  });
}

export function conflict(info: ResourceInfo, name: string, message?: string): StoreError {
  return new StoreError(
    409,
    "Conflict",
    message ??
      `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: info.group, kind: info.resource },
  );
}

export function invalid(info: ResourceInfo, name: string, detail: string): StoreError {
  const field = detail.slice(0, detail.indexOf(":"));
  return new StoreError(422, "Invalid", `${qualifiedKind(info)} "${name}" is invalid: ${detail}`, {
    name,
    group: info.group,
    kind: info.kind,
    causes: [{ reason: "FieldValueInvalid", message: detail.slice(field.length + 2), field }],
  });
}
