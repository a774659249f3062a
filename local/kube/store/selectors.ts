// Label and field selectors with the real server's syntax: equality (`a=b`, `a==b`, `a!=b`), set-based
// (`a in (x,y)`, `a notin (x)`), existence (`a`, `!a`). Field selectors support the fields the real server
// indexes for the kinds the platform serves.
import type { V1LabelSelector } from "@kubernetes/client-node";
import type { KubeObject, LabelSelector } from "../api/meta.ts";
import { type ListOptions, StoreError } from "./object-store.ts";

export type Requirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists" };

export type ObjectPredicate = (object: KubeObject) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

const keyPattern = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function badRequirement(text: string): StoreError {
  return new StoreError(400, "BadRequest", `unable to parse requirement: ${text}`);
}

function checked(requirement: Requirement, text: string, keyRule: RegExp): Requirement {
  if (!keyRule.test(requirement.key)) throw badRequirement(text);
  const values =
    "values" in requirement ? requirement.values : "value" in requirement ? [requirement.value] : [];
  if (values.some((value) => !valuePattern.test(value))) throw badRequirement(text);
  return requirement;
}

function parseRequirement(text: string, keyRule: RegExp): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (set?.[1] && set[2] && set[3] !== undefined) {
    const values = set[3].split(",").map((value) => value.trim());
    return checked({ key: set[1], op: set[2] === "in" ? "in" : "notin", values }, text, keyRule);
  }
  const equality = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (equality?.[1] && equality[2] && equality[3] !== undefined) {
    const op = equality[2] === "!=" ? "!=" : "=";
    return checked({ key: equality[1], op, value: equality[3] }, text, keyRule);
  }
  if (text.startsWith("!")) return checked({ key: text.slice(1).trim(), op: "!exists" }, text, keyRule);
  return checked({ key: text, op: "exists" }, text, keyRule);
}

export function parseLabelSelector(text: string): Requirement[] {
  return splitTopLevel(text).map((part) => parseRequirement(part, keyPattern));
}

export function matchesRequirements(
  labels: Record<string, string> | undefined,
  requirements: Requirement[],
): boolean {
  return requirements.every((requirement) => {
    const present = labels !== undefined && Object.hasOwn(labels, requirement.key);
    const value = present ? labels[requirement.key] : undefined;
    switch (requirement.op) {
      case "=":
        return value === requirement.value;
      case "!=":
        return value !== requirement.value;
      case "in":
        return value !== undefined && requirement.values.includes(value);
      case "notin":
        return value === undefined || !requirement.values.includes(value);
      case "exists":
        return present;
      default:
        return !present;
    }
  });
}

/** A metav1.LabelSelector (matchLabels + matchExpressions) as requirements. */
export function requirementsFromLabelSelector(selector: V1LabelSelector | undefined): Requirement[] {
  const requirements: Requirement[] = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => ({
    key,
    op: "=",
    value,
  }));
  for (const expression of selector?.matchExpressions ?? []) {
    const values = expression.values ?? [];
    if (expression.operator === "In") requirements.push({ key: expression.key, op: "in", values });
    else if (expression.operator === "NotIn") requirements.push({ key: expression.key, op: "notin", values });
    else if (expression.operator === "Exists") requirements.push({ key: expression.key, op: "exists" });
    else if (expression.operator === "DoesNotExist")
      requirements.push({ key: expression.key, op: "!exists" });
  }
  return requirements;
}

export function labelPredicate(requirements: Requirement[]): ObjectPredicate {
  return (object) => matchesRequirements(object.metadata.labels, requirements);
}

/** Fields the real server lets a field selector use, per kind (metadata.name/namespace for all). */
const extraFields: Record<string, string[]> = {
  Pod: [
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "status.phase",
    "status.podIP",
    "status.nominatedNodeName",
  ],
  Event: [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
  ],
  Secret: ["type"],
  Namespace: ["status.phase"],
  ReplicaSet: ["status.replicas"],
};

function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const segment of path.split(".")) {
    current =
      typeof current === "object" && current !== null
        ? (current as Record<string, unknown>)[segment]
        : undefined;
  }
  if (typeof current === "string") return current;
  if (typeof current === "number" || typeof current === "boolean") return String(current);
  return "";
}

/** Parses a field selector for `kind`; unknown fields are a 400 with the real server's message. */
export function parseFieldSelector(text: string, kind: string): ObjectPredicate {
  const allowed = ["metadata.name", "metadata.namespace", ...(extraFields[kind] ?? [])];
  const requirements = splitTopLevel(text).map((part) => {
    const match = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!match?.[1] || !match[2] || match[3] === undefined) {
      throw new StoreError(400, "BadRequest", `invalid selector: '${text}'; can't understand '${part}'`);
    }
    if (!allowed.includes(match[1])) {
      throw new StoreError(400, "BadRequest", `field label not supported: ${match[1]}`);
    }
    return { field: match[1], equal: match[2] !== "!=", value: match[3].trim() };
  });
  return (object) =>
    requirements.every(
      (requirement) => (fieldValue(object, requirement.field) === requirement.value) === requirement.equal,
    );
}

/** Whether labels satisfy a metav1.LabelSelector (matchLabels and matchExpressions). */
export function selectorMatches(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  return matchesRequirements(labels, requirementsFromLabelSelector(selector));
}

/** What a list or watch of a resource selects: its namespace (for namespaced kinds), labels and fields. */
export function listPredicate(
  resource: { kind: string; namespaced: boolean },
  options: ListOptions,
): ObjectPredicate {
  const tests: ObjectPredicate[] = [];
  if (resource.namespaced && options.namespace) {
    const namespace = options.namespace;
    tests.push((object) => object.metadata.namespace === namespace);
  }
  if (options.matchLabels) {
    tests.push(
      labelPredicate(Object.entries(options.matchLabels).map(([key, value]) => ({ key, op: "=", value }))),
    );
  }
  if (options.labelSelector) tests.push(labelPredicate(parseLabelSelector(options.labelSelector)));
  if (options.fieldSelector) tests.push(parseFieldSelector(options.fieldSelector, resource.kind));
  return (object) => tests.every((test) => test(object));
}
