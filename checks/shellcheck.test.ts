// shellcheck (Debian's, installed by .ci/setup) on the repository's shell scripts and on every workflow `run:`
// block, as the runner's bash sees it (each `${{ … }}` stands in as a plain word: the runner substitutes it
// before bash runs).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "./render.ts";
import { allSteps, readWorkflow, workflowFiles } from "./workflows.ts";

interface Finding {
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

export interface Script {
  name: string;
  text: string;
  shell: "bash" | "sh";
}

const directive = (script: Script) =>
  script.text.startsWith("#!") ? "" : `# shellcheck shell=${script.shell}\n`;

/** shellcheck's findings per script (`line:column SCcode message`), every script in one shellcheck run. */
export async function shellcheck(scripts: Script[]): Promise<Map<string, string[]>> {
  const dir = await mkdtemp(join(tmpdir(), "shellcheck-"));
  try {
    const files = await Promise.all(
      scripts.map(async (script, i) => {
        const file = join(dir, `${i}.sh`);
        // Without a shebang the shell goes in a directive: one run checks bash and sh scripts alike.
        await writeFile(file, `${directive(script)}${script.text}`);
        return file;
      }),
    );
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile("shellcheck", ["--format=json1", ...files], { maxBuffer: 16 * 1024 * 1024 }, (error, out) =>
        // Exit 1 means findings; anything else (missing binary, bad flags) is a failure of the check itself.
        error && error.code !== 1 ? reject(error) : resolve(out),
      ),
    );
    const { comments } = JSON.parse(stdout) as { comments: Finding[] };
    return new Map(
      scripts.map((script, i) => [
        script.name,
        comments
          .filter((c) => c.file === files[i])
          // Line numbers of the script as written, without our directive line.
          .map((c) => `${c.line - (directive(script) ? 1 : 0)}:${c.column} SC${c.code} ${c.message}`),
      ]),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A `run:` block as bash receives it, expressions replaced by a word. */
export const asBash = (run: string) => run.replaceAll(/\$\{\{[^}]*\}\}/g, "GITHUB_EXPRESSION");

const scripts: Script[] = [
  { name: ".ci/run", text: readFileSync(join(repoRoot, ".ci", "run"), "utf8"), shell: "bash" },
  { name: ".ci/setup", text: readFileSync(join(repoRoot, ".ci", "setup"), "utf8"), shell: "bash" },
  ...workflowFiles().flatMap((file) =>
    allSteps(readWorkflow(file)).flatMap(({ job, step }, i) =>
      step.run === undefined
        ? []
        : [
            {
              name: `${file} ${job}: ${step.name ?? `step ${i + 1}`}`,
              text: asBash(step.run),
              shell: "bash" as const,
            },
          ],
    ),
  ),
];

describe("shellcheck", async () => {
  const findings = await shellcheck(scripts);

  for (const { name } of scripts) it(name, () => assert.deepEqual(findings.get(name), []));

  it("reports an unquoted variable with its place", async () => {
    const bad = await shellcheck([{ name: "bad", text: 'echo "start"\nrm -rf $DIR/cache\n', shell: "bash" }]);
    assert.deepEqual(bad.get("bad"), ["2:8 SC2086 Double quote to prevent globbing and word splitting."]);
  });
});
