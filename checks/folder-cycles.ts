// Import cycles between folders. A folder is the directory of a file; folder A depends on folder B when a
// .ts file in A (tests included) imports one in B by a relative specifier. Folders in a strongly connected
// component of that graph import each other in a circle: the check reports each such group with the
// file-level imports that form it. Imports are read with the TypeScript compiler's own pre-processor
// (`ts.preProcessFile`: static, type-only, `export ... from`, dynamic `import()` and side-effect imports).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import ts from "typescript";

/** One file importing another, both as paths relative to the scanned root's parent (e.g. local/a/b.ts). */
export interface FileImport {
  from: string;
  to: string;
}

/** A group of folders that import each other in a circle, with every import between them. */
export interface FolderCycle {
  folders: string[];
  imports: FileImport[];
}

const skipped = new Set(["node_modules", "dist"]);

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : typeScriptFiles(path);
    return /\.[cm]?ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every relative import of every .ts file under `root` (paths relative to `base`). */
export function fileImports(base: string, root: string): FileImport[] {
  return typeScriptFiles(join(base, root)).flatMap((file) => {
    const from = relative(base, file);
    return ts
      .preProcessFile(readFileSync(file, "utf8"), true, true)
      .importedFiles.map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith("./") || specifier.startsWith("../"))
      .map((specifier) => ({ from, to: normalize(join(dirname(from), specifier)) }));
  });
}

/** Strongly connected components of more than one folder (Tarjan's algorithm), in a stable order. */
export function folderCycles(imports: readonly FileImport[]): FolderCycle[] {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    const [a, b] = [dirname(from), dirname(to)];
    if (a === b) continue;
    edges.set(a, (edges.get(a) ?? new Set()).add(b));
    if (!edges.has(b)) edges.set(b, new Set());
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (folder: string) => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder) ?? 0);
    stack.push(folder);
    onStack.add(folder);
    for (const next of edges.get(folder) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(folder, Math.min(low.get(folder) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(folder, Math.min(low.get(folder) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(folder) !== index.get(folder)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== folder);
    if (component.length > 1) components.push(component.sort());
  };
  for (const folder of [...edges.keys()].sort()) if (!index.has(folder)) visit(folder);
  return components
    .sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""))
    .map((folders) => {
      const members = new Set(folders);
      return {
        folders,
        imports: imports
          .filter(({ from, to }) => {
            const [a, b] = [dirname(from), dirname(to)];
            return a !== b && members.has(a) && members.has(b);
          })
          .sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to)),
      };
    });
}

/** What a failing check prints: each group of folders, then the imports between them, folder by folder. */
export function describeCycles(cycles: readonly FolderCycle[]): string {
  return cycles
    .map(({ folders, imports }) => {
      const lines = imports.map(
        ({ from, to }) => `  ${dirname(from)} -> ${dirname(to)}: ${from} imports ${to}`,
      );
      return [`folders importing each other: ${folders.join(", ")}`, ...lines].join("\n");
    })
    .join("\n");
}
