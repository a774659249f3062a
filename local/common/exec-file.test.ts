import assert from "node:assert/strict";
import { test } from "node:test";
import { execFileAsync } from "./exec-file.ts";

test("resolves with the program's output, arguments passed as they are (no shell)", async () => {
  const { stdout } = await execFileAsync(process.execPath, [
    "-e",
    "console.log(process.argv[1])",
    "$HOME; true",
  ]);
  assert.equal(stdout, "$HOME; true\n");
});

test("rejects with the exit code and what the program wrote", async () => {
  await assert.rejects(
    execFileAsync(process.execPath, ["-e", "console.error('bad flag'); process.exit(3)"]),
    (error: Error & { code?: number; stderr?: string }) => error.code === 3 && error.stderr === "bad flag\n",
  );
});
