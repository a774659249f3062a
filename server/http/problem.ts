import type { ValidationTargets } from "hono";
import type { ZodError } from "zod";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** One invalid input, named as the client sent it. */
export interface FieldProblem {
  name: string;
  in: "query" | "body" | "path" | "header";
  message: string;
}

export interface ProblemInit {
  status: number;
  title: string;
  detail?: string;
  fields?: FieldProblem[];
  headers?: Record<string, string>;
}

/** A failure a handler reports to the client as an RFC 9457 problem document. */
export class ProblemError extends Error {
  constructor(readonly problem: ProblemInit) {
    super(problem.detail ?? problem.title);
    this.name = "ProblemError";
  }
}

export function problemResponse(problem: ProblemInit, instance?: string): Response {
  const body = {
    type: "about:blank",
    title: problem.title,
    status: problem.status,
    ...(problem.detail === undefined ? {} : { detail: problem.detail }),
    ...(instance === undefined ? {} : { instance }),
    ...(problem.fields === undefined ? {} : { errors: problem.fields }),
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...problem.headers },
  });
}

const LOCATION: Partial<Record<keyof ValidationTargets, FieldProblem["in"]>> = {
  query: "query",
  json: "body",
  form: "body",
  param: "path",
  header: "header",
};

/** How many bad fields a 400 lists; the detail says how many more there were. */
const FIELDS_SHOWN = 20;

/** Turns a failed schema check into a 400 naming each bad field (the first FIELDS_SHOWN of them). */
export function validationProblem(error: ZodError, target: keyof ValidationTargets): ProblemInit {
  const where = LOCATION[target] ?? "body";
  const fields: FieldProblem[] = error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        name: [...issue.path, key].join("."),
        in: where,
        message: "is not allowed",
      }));
    }
    const name = issue.path.length > 0 ? issue.path.join(".") : where;
    return [{ name, in: where, message: issue.message }];
  });
  // A body with thousands of bad keys would otherwise make an error list hundreds of times its size.
  const shown = fields.slice(0, FIELDS_SHOWN);
  const leftOut = fields.length - shown.length;
  return {
    status: 400,
    title: "Invalid request",
    detail:
      shown.map((f) => `${f.name}: ${f.message}`).join("; ") +
      (leftOut > 0 ? `; and ${leftOut} more problems not listed` : ""),
    fields: shown,
  };
}
