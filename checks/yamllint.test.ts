// yamllint (Debian's, installed by .ci/run) on the delivery YAML: k8s/ and the workflows, with the rules in
// checks/yamllint.yaml: syntax, duplicate keys, indentation, trailing spaces, truthy values.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "./render.ts";

const config = join(repoRoot, "checks", "yamllint.yaml");

/** yamllint's findings for files or folders, each as `file:line:column: [level] message (rule)`. */
export function yamllint(paths: string[], stdin?: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "yamllint",
      ["-c", config, "-f", "parsable", ...paths],
      { cwd: repoRoot },
      (error, stdout) => {
        // Exit 1 means findings; anything else is a failure of the check itself.
        if (error && error.code !== 1) return reject(error);
        resolve(stdout.split("\n").filter((line) => line !== ""));
      },
    );
    child.stdin?.end(stdin ?? "");
  });
}

describe("yamllint", () => {
  it("k8s/, .github/workflows/, its own config", async () =>
    assert.deepEqual(await yamllint(["k8s", ".github/workflows", "checks/yamllint.yaml"]), []));

  it("reports a duplicate key with its place", async () => {
    const findings = await yamllint(["-"], "a: 1\nb: 2\na: 3\n");
    assert.deepEqual(findings, ['stdin:3:1: [error] duplication of key "a" in mapping (key-duplicates)']);
  });
});
