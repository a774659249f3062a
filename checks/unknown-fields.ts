// Fields the API server would not know: client-node's models are generated from Kubernetes' OpenAPI, and each
// model's attribute type map lists exactly the fields of its kind (kubernetes-models' schemas allow any).
import * as k8s from "@kubernetes/client-node";

interface Attribute {
  baseName: string;
  type: string;
}

type ModelClass = { getAttributeTypeMap(): Attribute[] };

const models = k8s as unknown as Record<string, unknown>;

function modelClass(typeName: string): ModelClass | undefined {
  const candidate = models[typeName];
  return typeof candidate === "function" && "getAttributeTypeMap" in candidate
    ? (candidate as unknown as ModelClass)
    : undefined;
}

/** client-node's model name of a built-in kind: apps/v1 Deployment -> V1Deployment. */
export function modelName(apiVersion: string, kind: string): string | undefined {
  const version = apiVersion.split("/").at(-1) ?? "";
  const name = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  return modelClass(name) ? name : undefined;
}

/** Every path in `value` that the model `typeName` does not define, e.g. `spec.template.spec.containers[0].bogus`. */
export function unknownFields(value: unknown, typeName: string, path = ""): string[] {
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array?.[1]) {
    const element = array[1];
    return Array.isArray(value)
      ? value.flatMap((item, i) => unknownFields(item, element, `${path}[${i}]`))
      : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map?.[1]) {
    const entry = map[1];
    return isRecord(value)
      ? Object.entries(value).flatMap(([key, item]) => unknownFields(item, entry, `${path}[${key}]`))
      : [];
  }
  const model = modelClass(typeName);
  if (!model || !isRecord(value)) return [];
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const at = path ? `${path}.${key}` : key;
    const type = attributes.get(key);
    return type === undefined ? [at] : unknownFields(item, type, at);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
