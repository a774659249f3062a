import type { FieldSpec, JsonType } from "../config/checks-file.ts";

/** The value at an RFC 6901 JSON Pointer, or `missing` when the pointer leads nowhere. */
export function resolvePointer(
  document: unknown,
  pointer: string,
): { found: true; value: unknown } | { found: false } {
  let current: unknown = document;
  for (const raw of pointer.split("/").slice(1)) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < current.length) {
      current = current[Number(token)];
    } else if (
      typeof current === "object" &&
      current !== null &&
      !Array.isArray(current) &&
      Object.hasOwn(current, token)
    ) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

export function jsonTypeOf(value: unknown): Exclude<JsonType, "integer"> {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean" ? type : "object";
}

/** What is wrong with one declared field of a JSON body (expected and actual named), or undefined. */
export function fieldProblem(document: unknown, spec: FieldSpec): string | undefined {
  const at = resolvePointer(document, spec.field);
  const expected = [
    spec.type === undefined ? undefined : `type ${spec.type}`,
    spec.equals === undefined ? undefined : JSON.stringify(spec.equals),
  ]
    .filter((part) => part !== undefined)
    .join(" and ");
  if (!at.found) return `${spec.field}: expected ${expected}, got nothing (no such field)`;
  const actualType = jsonTypeOf(at.value);
  const typeHolds =
    spec.type === undefined ||
    spec.type === actualType ||
    (spec.type === "integer" && actualType === "number" && Number.isInteger(at.value));
  if (!typeHolds) return `${spec.field}: expected type ${spec.type}, got ${actualType} ${preview(at.value)}`;
  if (spec.equals !== undefined && at.value !== spec.equals) {
    return `${spec.field}: expected ${JSON.stringify(spec.equals)}, got ${preview(at.value)}`;
  }
  return undefined;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
