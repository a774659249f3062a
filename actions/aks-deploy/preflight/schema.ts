// Types, enums, required fields and quantities of the built-in kinds, checked against the OpenAPI schema of
// Kubernetes as kubernetes-models compiles it (ajv). Each ajv error is turned into one problem per field.
import * as models from "kubernetes-models";
import type { Problem } from "../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../manifests/manifest-document.ts";

interface ModelClass {
  new (data: unknown): { validate(): void };
  apiVersion: string;
  kind: string;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: { missingProperty?: string; allowedValues?: unknown[]; type?: string; format?: string };
  message?: string;
}

function isModelClass(value: unknown): value is ModelClass {
  if (typeof value !== "function") return false;
  const candidate = value as unknown as Partial<ModelClass>;
  return typeof candidate.apiVersion === "string" && typeof candidate.kind === "string";
}

/** Every kind kubernetes-models knows, by "apiVersion kind". Its modules nest group then version
 * (`apps.v1.Deployment`), except the core group, which is the version alone (`v1.Pod`). */
const registry = new Map<string, ModelClass>();
function register(module: object, depth: number): void {
  for (const value of Object.values(module)) {
    if (isModelClass(value)) {
      if (!value.kind.endsWith("List")) registry.set(`${value.apiVersion} ${value.kind}`, value);
    } else if (depth > 0 && typeof value === "object" && value !== null) register(value, depth - 1);
  }
}
register(models, 2);

export function schemaKnows(apiVersion: string, kind: string): boolean {
  return registry.has(`${apiVersion} ${kind}`);
}

/** The apiVersions the schema has for a kind, e.g. for a hint when the version is wrong. */
export function schemaVersionsOf(kind: string): string[] {
  return [...registry.values()].filter((model) => model.kind === kind).map((model) => model.apiVersion);
}

/** JSON pointer `/spec/containers/0/name` -> field path `spec.containers[0].name`. */
function fieldPath(pointer: string): string {
  let path = "";
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    path += /^\d+$/.test(segment) ? `[${segment}]` : path === "" ? segment : `.${segment}`;
  }
  return path;
}

function valueAt(object: unknown, pointer: string): unknown {
  let current = object;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    current =
      typeof current === "object" && current !== null
        ? (current as Record<string, unknown>)[segment]
        : undefined;
  }
  return current;
}

const typeNames: Record<string, string> = {
  integer: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
};

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** One message for all ajv errors at one field (oneOf alternatives collapse into "a or b"). */
function messageFor(errors: AjvError[], value: unknown): string {
  const enumError = errors.find((error) => error.keyword === "enum");
  if (enumError)
    return `${shown(value)} is not one of ${(enumError.params.allowedValues ?? []).map(shown).join(", ")}`;
  const format = errors.find((error) => error.keyword === "format")?.params.format;
  if (format === "quantity") return `${shown(value)} is not a quantity (e.g. 250m, 1, 512Mi, 2Gi)`;
  if (format) return `${shown(value)} is not a valid ${format}`;
  const types = errors.flatMap((error) =>
    error.keyword === "type" && error.params.type ? [error.params.type] : [],
  );
  if (types.length > 0) {
    const expected = [...new Set(types)].map((type) => typeNames[type] ?? type).join(" or ");
    return `must be ${expected}, got ${shown(value)}`;
  }
  return errors.map((error) => error.message ?? error.keyword).join("; ");
}

/** Schema problems of a built-in kind; none for kinds the schema does not know (CRDs). */
export function schemaProblems(document: ManifestDocument): Problem[] {
  const { object } = document;
  const Model = registry.get(`${object.apiVersion} ${object.kind}`);
  if (!Model) return [];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw error;
    const problems: Problem[] = [];
    const byPointer = new Map<string, AjvError[]>();
    for (const ajvError of errors) {
      if (ajvError.keyword === "required") {
        const field = `${ajvError.instancePath}/${ajvError.params.missingProperty ?? ""}`;
        problems.push(problemAt(document, fieldPath(field), "required field is missing"));
        continue;
      }
      byPointer.set(ajvError.instancePath, [...(byPointer.get(ajvError.instancePath) ?? []), ajvError]);
    }
    for (const [pointer, group] of byPointer) {
      problems.push(problemAt(document, fieldPath(pointer), messageFor(group, valueAt(object, pointer))));
    }
    return problems;
  }
}
