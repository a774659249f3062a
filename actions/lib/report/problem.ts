// One thing wrong with an input, named where a user can find it: every bad input is reported, not only the
// first, and nothing is changed (exit 3).

export interface Problem {
  /** The input, file or URL the problem is in. */
  readonly file?: string;
  /** Zero-based index of the YAML document within the file. */
  readonly document?: number;
  /** One-based line in the file, when known. */
  readonly line?: number;
  /** Field path inside the object or input, e.g. `spec.template.spec.containers[0].image`. */
  readonly path?: string;
  readonly message: string;
  /** What to do about it. */
  readonly hint?: string;
}

/** `file:line (document 2) spec.replicas: must be an integer (hint)` with the parts that are known. */
export function formatProblem(problem: Problem): string {
  const where = [
    problem.file === undefined
      ? undefined
      : problem.line === undefined
        ? problem.file
        : `${problem.file}:${problem.line}`,
    problem.document === undefined ? undefined : `(document ${problem.document})`,
    problem.path,
  ].filter((part): part is string => part !== undefined && part !== "");
  const text = where.length > 0 ? `${where.join(" ")}: ${problem.message}` : problem.message;
  return problem.hint === undefined ? text : `${text} (${problem.hint})`;
}
