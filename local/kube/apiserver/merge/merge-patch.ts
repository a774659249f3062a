// JSON merge patch (RFC 7386, `application/merge-patch+json`): objects merge, null deletes, anything
// else (lists included) replaces.
import { isObject } from "./json-value.ts";

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
