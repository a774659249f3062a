// YAML (and JSON, a subset of it) text to Kubernetes object documents. The `yaml` package parses each
// document to a syntax tree first, so aliases are only expanded under its maxAliasCount bound: an alias
// bomb fails fast instead of filling memory. YAML 1.1 scalars, as kubectl's sigs.k8s.io/yaml reads them
// (go-yaml v2), so `defaultMode: 0644` is octal and `yes` is a boolean there and here alike.
import type { KubernetesObject } from "@kubernetes/client-node";
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type Tags,
} from "yaml";
import type { Problem } from "../../lib/report/problem.ts";
import type { ManifestDocument } from "./manifest-document.ts";

/** Aliases expanded per document before it is refused (the yaml package's own default). */
export const maxAliasCount = 100;

// go-yaml v2 leaves timestamps as strings when decoding into interface{}; so do we.
const withoutTimestamps = (tags: Tags) =>
  tags.filter((tag) => (typeof tag === "string" ? tag !== "timestamp" : !tag.tag.endsWith(":timestamp")));

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "a string";
  return `a ${typeof value}`;
}

/** The key named by a duplicate-key error: the text at its position up to the colon. */
function keyAt(text: string, line: number, column: number): string {
  const source = text.split("\n")[line - 1] ?? "";
  const key =
    source
      .slice(column - 1)
      .split(":")[0]
      ?.trim() ?? "";
  return key.replace(/^(["'])(.*)\1$/, "$2");
}

/** Where a problem is: the file, the document and a line. */
type Location = Pick<Problem, "file" | "document" | "line">;

function syntaxProblems(document: Document.Parsed, text: string, location: Location): Problem[] {
  return document.errors.map((error) => {
    const at = error.linePos?.[0];
    const where = at ? { ...location, line: at.line } : location;
    if (error.code === "DUPLICATE_KEY" && at) {
      return {
        ...where,
        message: `duplicate key "${keyAt(text, at.line, at.col)}" at line ${at.line}, column ${at.col}`,
        hint: "remove one of the two; tools disagree on which one wins",
      };
    }
    const position = at ? ` at line ${at.line}, column ${at.col}` : "";
    return {
      ...where,
      message: `YAML syntax error${position}: ${error.message.split(" at line ")[0]}`,
      hint: "fix the YAML (indentation, quotes, brackets)",
    };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeMetaProblems(object: Record<string, unknown>, location: Location): Problem[] {
  const problems: Problem[] = [];
  for (const field of ["apiVersion", "kind"] as const) {
    const value = object[field];
    if (typeof value !== "string" || value === "")
      problems.push({
        ...location,
        path: field,
        message: value === undefined ? `${field} is missing` : `${field} must be a non-empty string`,
        hint: "every object needs apiVersion and kind, e.g. apiVersion: apps/v1, kind: Deployment",
      });
  }
  return problems;
}

/** The line of every field written in a document's syntax tree, by field path; aliases are not followed. */
function fieldLines(contents: Node | null, lineCounter: LineCounter): Map<string, number> {
  const lines = new Map<string, number>();
  const walk = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key) || typeof pair.key.value !== "string" || !pair.key.range) continue;
        const child = path === "" ? pair.key.value : `${path}.${pair.key.value}`;
        lines.set(child, lineCounter.linePos(pair.key.range[0]).line);
        walk(pair.value, child);
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) {
        const child = `${path}[${index}]`;
        const range = (item as Node | null)?.range;
        if (range) lines.set(child, lineCounter.linePos(range[0]).line);
        walk(item, child);
      }
    }
  };
  walk(contents, "");
  return lines;
}

/** Every document of one file: objects with their line, and every problem found (never only the first). */
export function parseDocuments(
  file: string,
  text: string,
): { documents: ManifestDocument[]; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    version: "1.1",
    customTags: withoutTimestamps,
    uniqueKeys: true,
    prettyErrors: true,
  });
  const documents: ManifestDocument[] = [];
  const problems: Problem[] = [];
  if ("empty" in parsed) {
    // A stream without documents (only comments or directives), possibly with directive errors.
    problems.push(
      ...parsed.errors.map((error) => ({ file, message: `YAML syntax error: ${error.message}` })),
    );
    return { documents, problems };
  }
  for (const [index, document] of parsed.entries()) {
    const line = lineCounter.linePos(document.contents?.range[0] ?? document.range[0]).line;
    const location: Location = { file, document: index, line };
    const errors = syntaxProblems(document, text, location);
    if (errors.length > 0) {
      problems.push(...errors);
      continue;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push(
        message.startsWith("Excessive alias count")
          ? {
              ...location,
              message: `YAML aliases expand to more than ${maxAliasCount} nodes: refused as a possible alias bomb`,
              hint: "write the repeated parts out instead of using anchors and aliases",
            }
          : { ...location, message: `YAML error: ${message}` },
      );
      continue;
    }
    // Empty documents (a leading or trailing `---`) are skipped, as kubectl does.
    if (value === null || value === undefined) continue;
    if (!isObject(value)) {
      problems.push({
        ...location,
        message: `document is ${describe(value)}, not a Kubernetes object`,
        hint: "each document must be a mapping with apiVersion, kind and metadata",
      });
      continue;
    }
    const typeMeta = typeMetaProblems(value, location);
    if (typeMeta.length > 0) {
      problems.push(...typeMeta);
      continue;
    }
    // A JSON round trip gives plain trees: aliases become copies, so later edits touch one place only.
    const object = JSON.parse(JSON.stringify(value)) as KubernetesObject;
    documents.push({ file, index, line, object, fieldLines: fieldLines(document.contents, lineCounter) });
  }
  return { documents, problems };
}
