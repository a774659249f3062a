import { readFile } from "node:fs/promises";
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import type { Problem } from "../../lib/report/problem.ts";

/** JSON types a declared field may be required to have (JSON Schema's names, `integer` included). */
export const JSON_TYPES = ["string", "number", "integer", "boolean", "array", "object", "null"] as const;
export type JsonType = (typeof JSON_TYPES)[number];

const FieldExpectation = z
  .strictObject({
    /** RFC 6901 JSON Pointer into the response body, e.g. `/items/0/title`. */
    field: z.string().regex(/^(\/([^~/]|~[01])*)+$/, "must be a JSON Pointer such as /items/0/id"),
    type: z.enum(JSON_TYPES).optional(),
    equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  })
  .refine((f) => f.type !== undefined || f.equals !== undefined, "give type, equals or both");

const Check = z.strictObject({
  name: z.string().min(1),
  path: z.string().startsWith("/", "must start with /"),
  method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  expect: z.strictObject({
    status: z.int().min(100).max(599),
    "content-type": z.string().min(1).optional(),
    json: z.array(FieldExpectation).default([]),
  }),
});

export const ChecksFileSchema = z.strictObject({ checks: z.array(Check).min(1) });

export type CheckSpec = z.infer<typeof Check>;
export type FieldSpec = z.infer<typeof FieldExpectation>;

export type ChecksFileResult = { ok: true; checks: CheckSpec[] } | { ok: false; problems: Problem[] };

/**
 * Reads a checks file, YAML or JSON (JSON is YAML too, so one parser gives line numbers for both), and
 * validates it; every problem is named with its file, line and field.
 */
export async function loadChecksFile(file: string): Promise<ChecksFileResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problems: [{ file: "input checks", message: `cannot read ${file}: ${code}` }] };
  }
  return parseChecks(text, file);
}

export function parseChecks(text: string, file: string): ChecksFileResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined, path: string, message: string): Problem => ({
    file,
    ...(offset === undefined ? {} : { line: lines.linePos(offset).line }),
    ...(path === "" ? {} : { path }),
    message,
  });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => at(e.pos[0], "", e.message.split("\n")[0] ?? e.code)),
    };
  }
  const parsed = ChecksFileSchema.safeParse(doc.toJS());
  if (parsed.success) return { ok: true, checks: parsed.data.checks };
  const problems = parsed.error.issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) =>
        at(keyOffset(doc.getIn(path, true), key), dotted([...path, key]), "unknown field"),
      );
    }
    return [at(nearestOffset(doc, path), dotted(path), issue.message)];
  });
  return { ok: false, problems };
}

/** Where the node at `path` starts, or its nearest existing ancestor (a missing field's object). */
function nearestOffset(doc: Document, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const offset = nodeOffset(doc.getIn(path.slice(0, depth), true));
    if (offset !== undefined) return offset;
  }
  return undefined;
}

function nodeOffset(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

function keyOffset(map: unknown, key: string): number | undefined {
  if (!isMap(map)) return nodeOffset(map);
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return nodeOffset(pair?.key);
}

function dotted(path: (string | number)[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
