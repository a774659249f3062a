// Server-side field validation for the built-in kinds (fieldValidation=Strict|Warn|Ignore): unknown
// and duplicate fields, found by walking the request against client-node's generated models (which know
// every field of every built-in kind), with the real server's paths and wording.
import * as clientNode from "@kubernetes/client-node";
import { isMap, isScalar, isSeq, type Node, parseDocument } from "yaml";
import { isObject } from "./merge/json-value.ts";

interface Attribute {
  baseName: string;
  type: string;
}

interface ModelClass {
  getAttributeTypeMap(): Attribute[];
}

const models = clientNode as unknown as Record<string, unknown>;

function modelClass(type: string): ModelClass | undefined {
  const candidate = models[type];
  return typeof candidate === "function" && "getAttributeTypeMap" in candidate
    ? (candidate as unknown as ModelClass)
    : undefined;
}

/** The generated model of a built-in kind, e.g. ("apps/v1", "Deployment") -> "V1Deployment". */
export function modelTypeFor(apiVersion: string, kind: string): string | undefined {
  const version = apiVersion.slice(apiVersion.indexOf("/") + 1);
  const prefix = version.charAt(0).toUpperCase() + version.slice(1);
  return [`${prefix}${kind}`, `Core${prefix}${kind}`].find((name) => modelClass(name) !== undefined);
}

const arrayType = /^Array<(.+)>$/;
const mapType = /^\{ \[key: string\]: (.+); \}$/;

function childPath(path: string, field: string): string {
  return path === "" ? field : `${path}.${field}`;
}

/** Unknown fields of a parsed object, sorted, as paths like `spec.template.spec.containers[0].foo`. */
export function unknownFields(value: unknown, type: string, path = ""): string[] {
  const found: string[] = [];
  const walk = (current: unknown, currentType: string, currentPath: string) => {
    const array = arrayType.exec(currentType);
    if (array?.[1]) {
      if (Array.isArray(current)) {
        for (const [index, item] of current.entries())
          walk(item, array[1] ?? "any", `${currentPath}[${index}]`);
      }
      return;
    }
    const map = mapType.exec(currentType);
    if (map?.[1]) {
      if (isObject(current))
        for (const [key, item] of Object.entries(current))
          walk(item, map[1] ?? "any", childPath(currentPath, key));
      return;
    }
    const model = modelClass(currentType);
    if (!model || !isObject(current)) return;
    const attributes = model.getAttributeTypeMap();
    for (const [key, item] of Object.entries(current)) {
      const attribute = attributes.find((candidate) => candidate.baseName === key);
      if (!attribute) found.push(childPath(currentPath, key));
      else walk(item, attribute.type, childPath(currentPath, key));
    }
  };
  walk(value, type, path);
  return found.sort();
}

/** Removes the unknown fields in place (what the real decoder drops under Warn and Ignore). */
export function pruneUnknownFields(value: unknown, type: string): void {
  const array = arrayType.exec(type);
  if (array?.[1]) {
    if (Array.isArray(value)) for (const item of value) pruneUnknownFields(item, array[1]);
    return;
  }
  const map = mapType.exec(type);
  if (map?.[1]) {
    if (isObject(value)) for (const item of Object.values(value)) pruneUnknownFields(item, map[1]);
    return;
  }
  const model = modelClass(type);
  if (!model || !isObject(value)) return;
  const attributes = model.getAttributeTypeMap();
  for (const key of Object.keys(value)) {
    const attribute = attributes.find((candidate) => candidate.baseName === key);
    if (attribute) pruneUnknownFields(value[key], attribute.type);
    else delete value[key];
  }
}

export interface ParsedBody {
  value: unknown;
  /** Problems in document order: `duplicate field "x"` and, when a type is given, `unknown field "y"`. */
  problems: string[];
}

/** A parsed document's structure with duplicate keys kept: maps, sequences, scalars (null). */
type Shape = { entries: [string, Shape][] } | { items: Shape[] } | null;

function yamlShape(node: Node | null | undefined): Shape {
  if (isSeq(node)) return { items: node.items.map((item) => yamlShape(item as Node)) };
  if (!isMap(node)) return null;
  return {
    entries: node.items.map((pair) => [
      isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
      yamlShape(pair.value as Node),
    ]),
  };
}

/** The shape of a JSON text already known to be valid (JSON.parse accepted it); fast, unlike a YAML parse. */
function jsonShape(text: string): Shape {
  let at = 0;
  const space = () => {
    while (at < text.length && " \t\r\n".includes(text.charAt(at))) at++;
  };
  const string = (): string => {
    const start = at++;
    while (text.charAt(at) !== '"') at += text.charAt(at) === "\\" ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (): Shape => {
    space();
    const char = text.charAt(at);
    if (char === "{" || char === "[") {
      at++;
      const entries: [string, Shape][] = [];
      const items: Shape[] = [];
      space();
      while (text.charAt(at) !== "}" && text.charAt(at) !== "]") {
        if (char === "{") {
          space();
          const key = string();
          space();
          at++;
          entries.push([key, value()]);
        } else items.push(value());
        space();
        if (text.charAt(at) === ",") at++;
        space();
      }
      at++;
      return char === "{" ? { entries } : { items };
    }
    if (char === '"') string();
    else while (at < text.length && !",]} \t\r\n".includes(text.charAt(at))) at++;
    return null;
  };
  return value();
}

function parseText(text: string): { value: unknown; shape: Shape } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { value: JSON.parse(text) as unknown, shape: jsonShape(text) };
    } catch {
      // not JSON after all: YAML flow syntax, parsed below
    }
  }
  const document = parseDocument(text, { uniqueKeys: false, version: "1.2" });
  if (document.errors.length > 0) throw new SyntaxError(document.errors[0]?.message ?? "invalid body");
  return {
    value: document.toJS({ maxAliasCount: 100 }) as unknown,
    shape: yamlShape(document.contents as Node),
  };
}

/**
 * Parses a JSON or YAML request body keeping duplicate keys visible (the last one wins, as in Go), and
 * lists duplicate and unknown fields in document order. A field both unknown and duplicated counts as
 * unknown once, as on the real server.
 */
export function parseBody(text: string, type: string | undefined): ParsedBody {
  const { value, shape } = parseText(text);
  const problems: string[] = [];
  const walk = (node: Shape, nodeType: string | undefined, path: string) => {
    if (node === null) return;
    if ("items" in node) {
      const item = nodeType ? arrayType.exec(nodeType)?.[1] : undefined;
      for (const [index, child] of node.items.entries()) walk(child, item, `${path}[${index}]`);
      return;
    }
    const valueType = nodeType ? mapType.exec(nodeType)?.[1] : undefined;
    const attributes = nodeType && !valueType ? modelClass(nodeType)?.getAttributeTypeMap() : undefined;
    const seen = new Set<string>();
    for (const [key, child] of node.entries) {
      const fieldPath = childPath(path, key);
      const attribute = attributes?.find((candidate) => candidate.baseName === key);
      const unknown = attributes !== undefined && attribute === undefined;
      if (seen.has(key)) {
        if (!unknown) problems.push(`duplicate field "${fieldPath}"`);
        continue;
      }
      seen.add(key);
      if (unknown) problems.push(`unknown field "${fieldPath}"`);
      walk(child, valueType ?? attribute?.type, fieldPath);
    }
  };
  walk(shape, type, "");
  return { value, problems };
}
