import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { missingInRepository, missingPaths, RepositoryFiles } from "./doc-paths.ts";

describe("paths named in READMEs and docs/", () => {
  test("every one exists in the repository", () => {
    const missing = missingInRepository(join(import.meta.dirname, ".."));
    assert.deepEqual(
      missing.map(({ document, line, named }) => `${document}:${line} names ${named}, which does not exist`),
      [],
    );
  });

  const repository = new RepositoryFiles([
    "local/README.md",
    "local/kube/store/README.md",
    "local/kube/store/memory-store.ts",
    "local/kube/store/defaults.ts",
    "docs/exit-codes.md",
  ]);
  const check = (document: string, text: string) =>
    missingPaths(document, text, repository).map(({ line, named }) => `${line}:${named}`);

  test("links and code spans are read from the repository root or beside the document", () => {
    const text = [
      "[store](kube/store/README.md) and [codes](../docs/exit-codes.md#per-command), [npm](https://npmjs.com)",
      "`local/kube/store/`, `kube/store/memory-store.ts`, `./kube/store`",
      "```sh",
      "`local/gone.ts` inside a fence is a command, not a reference",
      "```",
    ].join("\n");
    assert.deepEqual(check("local/README.md", text), []);
  });

  test("names what is missing, with its line", () => {
    const text = [
      "[gone](kube/store/gone.md)",
      "`local/kube/api/`, `kube/store/missing.ts`, `../docs/missing.md`",
      "in a README a bare file name is looked for below it: `defaults.ts` `nowhere.ts`",
    ].join("\n");
    assert.deepEqual(check("local/README.md", text), [
      "1:kube/store/gone.md",
      "2:local/kube/api/",
      "2:kube/store/missing.ts",
      "2:../docs/missing.md",
      "3:nowhere.ts",
    ]);
  });

  test("what is not a repository path is left alone", () => {
    const text =
      "`apps/v1`, `/acr/v1/...`, `<state>/azure/ports.json`, `$TMPDIR/x.json`, `.platform/`, `k8s/**/*.yaml`, `sha256`";
    assert.deepEqual(check("local/kube/store/README.md", text), []);
    assert.deepEqual(
      check("docs/exit-codes.md", "in docs/ a bare `controller.ts` names a file elsewhere"),
      [],
    );
  });
});
