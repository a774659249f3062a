// Custom objects validated against the CustomResourceDefinitions in checks/crds/ as the API server does:
// the version's openAPIV3Schema, with fields it does not name rejected (structural-schema pruning would drop
// them silently; here they are errors), except under x-kubernetes-preserve-unknown-fields.
import { readdirSync, readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";

interface CustomResourceDefinition {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: Record<string, unknown> } }[];
  };
}

const crdDir = new URL("crds/", import.meta.url);

/** Schema node rewritten for ajv: closed objects, int-or-string as a union. */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = strict(value);
  if (out["x-kubernetes-int-or-string"] === true && out.type === undefined) {
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (
    out.type === "object" &&
    out.properties !== undefined &&
    out.additionalProperties === undefined &&
    out["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** Go's RE2 takes inline flags such as `^(?i)(abort|warn)?$`; JavaScript takes them beside the pattern. */
const goRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const inline = [...pattern.matchAll(/\(\?([a-z]+)\)/g)].map((m) => m[1]).join("");
    return new RegExp(pattern.replaceAll(/\(\?[a-z]+\)/g, ""), [...new Set(flags + inline)].join(""));
  },
  { code: "new RegExp" },
);

function loadValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, code: { regExp: goRegExp } });
  const validators = new Map<string, ValidateFunction>();
  for (const file of readdirSync(crdDir).filter((f) => f.endsWith(".yaml"))) {
    const crd = parse(readFileSync(new URL(file, crdDir), "utf8")) as CustomResourceDefinition;
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const key = `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`;
      validators.set(key, ajv.compile(strict(version.schema.openAPIV3Schema) as Record<string, unknown>));
    }
  }
  return validators;
}

const validators = loadValidators();

/** The problems of a custom object against its CRD, or undefined when no CRD here defines its kind. */
export function crdProblems(object: { apiVersion: string; kind: string }): string[] | undefined {
  const validate = validators.get(`${object.apiVersion} ${object.kind}`);
  if (!validate) return undefined;
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : "";
    return `${e.instancePath || "/"} ${e.message ?? e.keyword}${extra}`;
  });
}
