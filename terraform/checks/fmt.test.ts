import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { unformattedFiles } from "./fmt.ts";
import { ROOT } from "./tf-tree.ts";

describe("terraform fmt", () => {
  test("every .tf file under terraform/ is formatted (terraform fmt -check -recursive)", async () => {
    const files = await unformattedFiles(ROOT);
    assert.deepEqual(files, [], `run "terraform fmt -recursive terraform" to format: ${files.join(", ")}`);
  });

  test("lists a misaligned file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tf-fmt-"));
    try {
      await writeFile(path.join(dir, "ok.tf"), "locals {\n  a = 1\n}\n");
      await writeFile(path.join(dir, "bad.tf"), "locals {\n  a = 1\n  long_name = 2\n}\n");
      assert.deepEqual(await unformattedFiles(dir), ["bad.tf"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a missing binary fails with a message saying what to install", async () => {
    await assert.rejects(unformattedFiles(ROOT, "terraform-not-installed"), {
      message:
        '"terraform-not-installed" is not on PATH: install Terraform >= 1.9 (the project\'s machines have /usr/local/bin/terraform)',
    });
  });
});
