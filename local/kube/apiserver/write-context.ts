// What every write request carries: dry run, the field manager, field validation, and the warnings the
// response will return.
import type { IncomingMessage } from "node:http";
import { StoreError } from "../store/object-store.ts";
import { badRequest } from "./status.ts";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface WriteContext {
  dryRun: boolean;
  /** The fieldManager parameter, else derived from the User-Agent as the real server does. */
  fieldManager: string;
  explicitFieldManager: boolean;
  fieldValidation: FieldValidation;
  force: boolean;
  warnings: string[];
}

export function writeContext(query: URLSearchParams, request: IncomingMessage): WriteContext {
  const dryRun = query.getAll("dryRun");
  for (const value of dryRun) {
    if (value !== "All")
      throw new StoreError(
        400,
        "BadRequest",
        `Invalid dry run value: "${value}"; supported values are "All"`,
      );
  }
  const validation = query.get("fieldValidation") ?? "Warn";
  if (validation !== "Strict" && validation !== "Warn" && validation !== "Ignore") {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got "${validation}"`);
  }
  const explicit = query.get("fieldManager");
  const agent = request.headers["user-agent"] ?? "unknown";
  const force = query.get("force");
  return {
    dryRun: dryRun.length > 0,
    fieldManager: explicit ?? (agent.split("/")[0] || "unknown"),
    explicitFieldManager: explicit !== null,
    fieldValidation: validation,
    force: force === "true" || force === "1",
    warnings: [],
  };
}

/**
 * Strict: fails with `message(problems)` (400, as the real decoder); Warn: adds the problems as
 * warnings; Ignore: nothing. Unknown fields are dropped in every mode by the caller.
 */
export function reportProblems(
  context: WriteContext,
  problems: string[],
  message: (joined: string) => string,
): void {
  if (problems.length === 0 || context.fieldValidation === "Ignore") return;
  if (context.fieldValidation === "Strict") throw badRequest(message(problems.join(", ")));
  context.warnings.push(...problems);
}

/** The `Warning` header value for one warning (RFC 7234 299, quoted as the real server does). */
export function warningHeader(text: string): string {
  return `299 - "${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}
