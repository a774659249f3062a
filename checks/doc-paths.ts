// The files and folders a Markdown document names must exist in the repository, so a clone can follow it:
// relative link targets, and `code` spans that are repository paths (`local/kube/store/`,
// `controllers/deployment/`, in a README also a bare `memory-store.ts`). A span is taken for a path when it has
// no spaces, placeholders (`<state>`, `$HOME`) or globs, and starts with a top-level entry of the repository or
// an entry beside the document; a bare file name in a README must be in the README's folder or below it.
// Anything else in backticks (API paths, media types, `apps/v1`, state such as `.platform/`) is left alone.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, dirname, join, normalize } from "node:path";

export interface MissingPath {
  /** The document, relative to the repository. */
  document: string;
  line: number;
  /** The path as the document writes it. */
  named: string;
}

/** What a clone has: tracked files and the ones git would add (not ignored), with every folder above them. */
export class RepositoryFiles {
  readonly #paths = new Set<string>();
  readonly files: readonly string[];

  constructor(files: readonly string[]) {
    this.files = files;
    for (const file of files) {
      for (let path = file; path !== "." && path !== ""; path = dirname(path)) this.#paths.add(path);
    }
  }

  static of(root: string): RepositoryFiles {
    const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    return new RepositoryFiles(listed.split("\0").filter((file) => file !== ""));
  }

  /** `path` relative to the repository ("" is the repository itself). */
  has(path: string): boolean {
    const normal = normalize(path).replace(/\/$/, "");
    return normal === "." || this.#paths.has(normal);
  }
}

const pathSpan = /^(\.\.?\/)*[\w@.-]+(\/[\w@.-]+)*\/?$/;
const bareFile = /^[\w.-]+\.(ts|md)$/;

function missingSpan(span: string, dir: string, readme: boolean, repository: RepositoryFiles): boolean {
  if (!span.includes("/")) {
    if (!readme || !bareFile.test(span)) return false;
    const prefix = dir === "" ? "" : `${dir}/`;
    return !repository.files.some((file) => file.startsWith(prefix) && basename(file) === span);
  }
  if (!pathSpan.test(span)) return false;
  const relativeToDocument = /^\.\.?\//.test(span);
  const first = span.split("/")[0] ?? "";
  const anchored = relativeToDocument || repository.has(join(dir, first)) || repository.has(first);
  if (!anchored) return false;
  return !(repository.has(join(dir, span)) || (!relativeToDocument && repository.has(span)));
}

/** Every named path of `document` (relative to the repository) that the repository does not have. */
export function missingPaths(document: string, text: string, repository: RepositoryFiles): MissingPath[] {
  const dir = dirname(document) === "." ? "" : dirname(document);
  const readme = basename(document) === "README.md";
  const found: MissingPath[] = [];
  let fenced = false;
  text.split("\n").forEach((line, index) => {
    if (line.trimStart().startsWith("```")) fenced = !fenced;
    if (fenced) return;
    const report = (named: string) => found.push({ document, line: index + 1, named });
    for (const [, target = ""] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target) || target.startsWith("#")) continue;
      const path = target.split("#")[0] ?? "";
      if (path !== "" && !repository.has(join(dir, path))) report(target);
    }
    for (const [, span = ""] of line.matchAll(/`([^`]+)`/g)) {
      if (missingSpan(span, dir, readme, repository)) report(span);
    }
  });
  return found;
}

/** The documents checked: every README.md and every page of docs/. */
export function documents(repository: RepositoryFiles): string[] {
  return repository.files
    .filter((file) => basename(file) === "README.md" || /^docs\/[^/]+\.md$/.test(file))
    .filter((file) => !file.includes("node_modules/"))
    .sort();
}

export function missingInRepository(root: string): MissingPath[] {
  const repository = RepositoryFiles.of(root);
  return documents(repository).flatMap((document) =>
    missingPaths(document, readFileSync(join(root, document), "utf8"), repository),
  );
}
