// The coarse value kinds offline checks can compare literals against, from the provider schema or from
// a variable's type constraint.
import { isRecord } from "./tf-tree.ts";

export type ValueKind = "string" | "number" | "bool" | "list" | "map" | "any";

/**
 * Whether a literal value (as hcl2json writes it) can convert to the kind the schema expects, the way
 * Terraform converts: numbers and bools become strings, "true"/"12" strings become bools/numbers.
 * Expressions ("${...}") are not literals: only validate and plan know their types.
 */
export function literalFits(value: unknown, kind: ValueKind): boolean {
  if (kind === "any" || (typeof value === "string" && value.includes("${"))) return true;
  if (Array.isArray(value)) return kind === "list";
  if (isRecord(value)) return kind === "map";
  if (value === null) return true;
  switch (kind) {
    case "string":
      return true;
    case "number":
      return (
        typeof value === "number" ||
        (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
      );
    case "bool":
      return typeof value === "boolean" || value === "true" || value === "false";
    default:
      return false;
  }
}

/** The kind of a variable's `type` constraint as hcl2json writes it ("${list(string)}", "${bool}"...). */
export function kindOfTypeConstraint(type: unknown): ValueKind {
  const constraint = typeof type === "string" ? type.replace(/^\$\{|\}$/g, "").trim() : "";
  const head = /^[a-z]+/.exec(constraint)?.[0];
  if (head === "string" || head === "number") return head;
  if (head === "bool") return "bool";
  if (head === "list" || head === "set" || head === "tuple") return "list";
  if (head === "map" || head === "object") return "map";
  return "any";
}
