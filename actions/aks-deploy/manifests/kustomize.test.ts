import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { kubectlKustomize } from "./kustomize.ts";

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "kustomize-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("kubectlKustomize", () => {
  test("renders a kustomization folder to a YAML stream", async () => {
    mkdirSync(join(dir, "ok"));
    writeFileSync(join(dir, "ok/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");
    writeFileSync(join(dir, "ok/kustomization.yaml"), "resources: [cm.yaml]\nnamespace: prod\n");
    assert.equal(
      await kubectlKustomize(join(dir, "ok")),
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: prod\n",
    );
  });

  test("a failure rejects with kustomize's own message, unquoted from kubectl's log line", async () => {
    mkdirSync(join(dir, "broken"));
    writeFileSync(join(dir, "broken/kustomization.yaml"), "resources: [missing.yaml]\n");
    await assert.rejects(kubectlKustomize(join(dir, "broken")), (error: Error) => {
      assert.match(
        error.message,
        /^accumulating resources: accumulation err='accumulating resources from 'missing\.yaml'/,
      );
      assert.doesNotMatch(error.message, /command failed|\\"/);
      return true;
    });
  });
});
