// shellcheck (Debian's, installed by .ci/run) on the repository's shell scripts and on every workflow `run:`
// block, as the runner's bash sees it (each `${{ … }}` stands in as a plain word: the runner substitutes it
// before bash runs).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "./render.ts";
import { allSteps, readWorkflow, workflowFiles } from "./workflows.ts";

interface Finding {
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

/** shellcheck's findings on a script given on stdin, each as `line:column SCcode message`. */
export function shellcheck(script: string, shell: "bash" | "sh"): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "shellcheck",
      [`--shell=${shell}`, "--format=json1", "-"],
      { maxBuffer: 4 * 1024 * 1024 },
      (error, stdout) => {
        // Exit 1 means findings; anything else (missing binary, bad flags) is a failure of the check itself.
        if (error && error.code !== 1) return reject(error);
        const { comments } = JSON.parse(stdout) as { comments: Finding[] };
        resolve(comments.map((c) => `${c.line}:${c.column} SC${c.code} ${c.message}`));
      },
    );
    child.stdin?.end(script);
  });
}

/** A `run:` block as bash receives it, expressions replaced by a word. */
export const asBash = (run: string) => run.replaceAll(/\$\{\{[^}]*\}\}/g, "GITHUB_EXPRESSION");

describe("shellcheck", () => {
  it(".ci/run", async () => {
    assert.deepEqual(await shellcheck(readFileSync(join(repoRoot, ".ci", "run"), "utf8"), "bash"), []);
  });

  for (const file of workflowFiles()) {
    describe(file, () => {
      for (const [i, { job, step }] of allSteps(readWorkflow(file)).entries()) {
        if (step.run === undefined) continue;
        it(`${job}: ${step.name ?? `step ${i + 1}`}`, async () => {
          assert.deepEqual(await shellcheck(asBash(step.run ?? ""), "bash"), []);
        });
      }
    });
  }

  it("reports an unquoted variable with its place", async () => {
    const findings = await shellcheck('echo "start"\nrm -rf $DIR/cache\n', "bash");
    assert.deepEqual(findings, ["2:8 SC2086 Double quote to prevent globbing and word splitting."]);
  });
});
