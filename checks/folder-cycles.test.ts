// No import cycles between the folders of local/ (checks/folder-cycles.ts): the platform's areas import
// one way, down to the component contract (local/component/) and the object model.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { describeCycles, fileImports, folderCycles } from "./folder-cycles.ts";

const repository = fileURLToPath(new URL("..", import.meta.url));

describe("folder import cycles", () => {
  test("local/ has none", () => {
    const cycles = folderCycles(fileImports(repository, "local"));
    if (cycles.length > 0) assert.fail(`import cycles between folders of local/:\n${describeCycles(cycles)}`);
  });

  test("a cycle is reported with the file imports that form it, imports within a folder are not edges", () => {
    const cycles = folderCycles([
      { from: "local/a/x.ts", to: "local/b/y.ts" },
      { from: "local/b/y.ts", to: "local/c/z.ts" },
      { from: "local/c/z.test.ts", to: "local/a/x.ts" },
      { from: "local/c/z.ts", to: "local/c/w.ts" },
      { from: "local/d/v.ts", to: "local/a/x.ts" },
      { from: "local/e/u.ts", to: "local/f/t.ts" },
      { from: "local/f/t.ts", to: "local/e/u.ts" },
    ]);
    assert.deepEqual(
      cycles.map((cycle) => cycle.folders),
      [
        ["local/a", "local/b", "local/c"],
        ["local/e", "local/f"],
      ],
    );
    assert.equal(
      describeCycles(cycles),
      [
        "folders importing each other: local/a, local/b, local/c",
        "  local/a -> local/b: local/a/x.ts imports local/b/y.ts",
        "  local/b -> local/c: local/b/y.ts imports local/c/z.ts",
        "  local/c -> local/a: local/c/z.test.ts imports local/a/x.ts",
        "folders importing each other: local/e, local/f",
        "  local/e -> local/f: local/e/u.ts imports local/f/t.ts",
        "  local/f -> local/e: local/f/t.ts imports local/e/u.ts",
      ].join("\n"),
    );
  });

  test("a graph that flows one way has no cycle", () => {
    assert.deepEqual(
      folderCycles([
        { from: "local/a/x.ts", to: "local/b/y.ts" },
        { from: "local/a/x.ts", to: "local/c/z.ts" },
        { from: "local/b/y.ts", to: "local/c/z.ts" },
      ]),
      [],
    );
  });

  test("imports are read from every form a .ts file uses; packages and node: modules are not folders", async (t) => {
    const base = await mkdtemp(join(tmpdir(), "folder-cycles-"));
    t.after(() => rm(base, { recursive: true, force: true }));
    const files: Record<string, string> = {
      "src/a/index.ts": [
        'import type { B } from "../b/b.ts";',
        'export { c } from "../c/c.ts";',
        'import "./side-effect.ts";',
        'import { readFileSync } from "node:fs";',
        'import ts from "typescript";',
        'const d = await import("../d/d.ts");',
      ].join("\n"),
      "src/b/b.test.ts": 'import { a } from "../a/index.ts";',
      "src/node_modules/x/x.ts": 'import "../../a/index.ts";',
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(base, dirname(path)), { recursive: true });
      await writeFile(join(base, path), text);
    }
    assert.deepEqual(
      fileImports(base, "src").sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to)),
      [
        { from: "src/a/index.ts", to: "src/a/side-effect.ts" },
        { from: "src/a/index.ts", to: "src/b/b.ts" },
        { from: "src/a/index.ts", to: "src/c/c.ts" },
        { from: "src/a/index.ts", to: "src/d/d.ts" },
        { from: "src/b/b.test.ts", to: "src/a/index.ts" },
      ],
    );
  });
});
