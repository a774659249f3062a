// Unknown fields of built-in kinds: the object walked against client-node's generated models, which list
// every field of every built-in type (getAttributeTypeMap). The API server would drop such a field
// silently (or reject it under strict field validation); a misspelt readinessProbe must not deploy.
import * as clientNode from "@kubernetes/client-node";
import type { Problem } from "../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../manifests/manifest-document.ts";
import { groupOf } from "./pod-templates.ts";
import { schemaKnows } from "./schema.ts";

interface Attribute {
  baseName: string;
  type: string;
}

interface Model {
  getAttributeTypeMap(): Attribute[];
}

const exported = clientNode as unknown as Record<string, unknown>;

function model(type: string): Model | undefined {
  const candidate = exported[type];
  return typeof candidate === "function" && "getAttributeTypeMap" in candidate
    ? (candidate as unknown as Model)
    : undefined;
}

/** client-node's name for a built-in kind: V1Deployment, V2HorizontalPodAutoscaler, CoreV1Event, EventsV1Event. */
function modelName(apiVersion: string, kind: string): string | undefined {
  if (!schemaKnows(apiVersion, kind)) return undefined;
  const version = apiVersion.slice(apiVersion.indexOf("/") + 1);
  const prefix = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  const group = groupOf(apiVersion);
  const qualifier = group === "" ? "Core" : (group.split(".")[0] ?? "").replace(/^./, (c) => c.toUpperCase());
  return [prefix, `${qualifier}${prefix}`].find((name) => model(name) !== undefined);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function suggestion(field: string, known: Attribute[]): string | undefined {
  const close = known
    .map((attribute) => ({
      name: attribute.baseName,
      distance: editDistance(field.toLowerCase(), attribute.baseName.toLowerCase()),
    }))
    .filter((candidate) => candidate.distance <= 2)
    .sort((a, b) => a.distance - b.distance)[0];
  return close?.name;
}

const arrayType = /^Array<(.+)>$/;
const mapType = /^\{ \[key: string\]: (.+); \}$/;

function join(path: string, field: string): string {
  return path === "" ? field : `${path}.${field}`;
}

export function unknownFieldProblems(document: ManifestDocument): Problem[] {
  const { object } = document;
  const name = modelName(object.apiVersion ?? "", object.kind ?? "");
  if (!name) return [];
  const problems: Problem[] = [];
  const walk = (value: unknown, type: string, path: string) => {
    const item = arrayType.exec(type)?.[1];
    if (item !== undefined) {
      if (Array.isArray(value))
        for (const [index, entry] of value.entries()) walk(entry, item, `${path}[${index}]`);
      return;
    }
    const entryType = mapType.exec(type)?.[1];
    if (entryType !== undefined) {
      if (typeof value === "object" && value !== null && !Array.isArray(value))
        for (const [key, entry] of Object.entries(value)) walk(entry, entryType, join(path, key));
      return;
    }
    const described = model(type);
    if (!described || typeof value !== "object" || value === null || Array.isArray(value)) return;
    const attributes = described.getAttributeTypeMap();
    for (const [key, entry] of Object.entries(value)) {
      const attribute = attributes.find((candidate) => candidate.baseName === key);
      if (attribute) {
        walk(entry, attribute.type, join(path, key));
        continue;
      }
      const closest = suggestion(key, attributes);
      problems.push(
        problemAt(
          document,
          join(path, key),
          `unknown field "${key}"`,
          closest
            ? `did you mean "${closest}"?`
            : `check spelling and indentation (kubectl explain ${object.kind?.toLowerCase()}${path === "" ? "" : `.${path.replace(/\[\d+\]/g, "")}`})`,
        ),
      );
    }
  };
  walk(object, name, "");
  return problems;
}
