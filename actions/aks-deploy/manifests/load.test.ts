import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { kubectlKustomize } from "./kustomize.ts";
import { loadManifests, maxManifestFileBytes } from "./load.ts";

let dir: string;
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function write(path: string, content: string | Buffer): string {
  const full = join(dir, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, content);
  return full;
}

const names = (result: Awaited<ReturnType<typeof loadManifests>>) =>
  result.documents.map((document) => document.object.metadata?.name);

before(() => {
  dir = mkdtempSync(join(tmpdir(), "load-manifests-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("loadManifests", () => {
  test("a folder gives its .yaml, .yml and .json files in name order, not subfolders nor other files", async () => {
    write("plain/b.yml", configMap("b"));
    write("plain/a.yaml", `${configMap("a1")}---\n${configMap("a2")}`);
    write("plain/c.json", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }));
    write("plain/README.md", "# not a manifest");
    write("plain/nested/d.yaml", configMap("d"));
    const result = await loadManifests([join(dir, "plain")], {});
    assert.deepEqual(result.problems, []);
    assert.deepEqual(names(result), ["a1", "a2", "b", "c"]);
    assert.deepEqual(
      result.documents.map((document) => [document.file, document.index]),
      [
        [join(dir, "plain/a.yaml"), 0],
        [join(dir, "plain/a.yaml"), 1],
        [join(dir, "plain/b.yml"), 0],
        [join(dir, "plain/c.json"), 0],
      ],
    );
  });

  test("files named one per line, blank lines ignored, in the order given", async () => {
    const second = write("files/second.yaml", configMap("second"));
    const first = write("files/first.yaml", configMap("first"));
    const result = await loadManifests([` ${second} `, "", first], {});
    assert.deepEqual(names(result), ["second", "first"]);
  });

  test("a kustomization folder is rendered by kubectl kustomize (the real one, offline)", async () => {
    write("kustomized/base/cm.yaml", configMap("settings"));
    write("kustomized/kustomization.yaml", "resources:\n  - base/cm.yaml\nnamePrefix: prod-\n");
    const folder = join(dir, "kustomized");
    const result = await loadManifests([folder], { kustomize: kubectlKustomize });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(names(result), ["prod-settings"]);
    assert.equal(result.documents[0]?.file, folder);
    const direct = await loadManifests([join(folder, "kustomization.yaml")], { kustomize: kubectlKustomize });
    assert.deepEqual(names(direct), ["prod-settings"], "naming the kustomization file renders its folder");
  });

  test("bad inputs: each problem names the path and what to do, and every one is reported", async () => {
    const missing = join(dir, "nowhere");
    const empty = join(dir, "empty");
    mkdirSync(empty, { recursive: true });
    const binary = write("bad/image.yaml", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    const latin1 = write("bad/latin1.yaml", Buffer.from("name: caf\xe9\n", "latin1"));
    const brokenFolder = dirname(
      write("broken-kustomize/kustomization.yaml", "resources:\n  - missing.yaml\n"),
    );
    const syntax = write("bad/syntax.yaml", "apiVersion: v1\nkind: [\n");
    const result = await loadManifests([missing, empty, binary, latin1, brokenFolder, syntax], {
      kustomize: kubectlKustomize,
    });
    assert.deepEqual(result.documents, []);
    const [kustomizeProblem, ...rest] = result.problems.splice(4, 1);
    assert.equal(rest.length, 0);
    assert.equal(kustomizeProblem?.file, brokenFolder);
    assert.match(
      kustomizeProblem?.message ?? "",
      /^kubectl kustomize failed: accumulating resources: .*missing\.yaml/,
    );
    assert.equal(kustomizeProblem?.hint, `run \`kubectl kustomize ${brokenFolder}\` to see the same error`);
    assert.deepEqual(result.problems, [
      {
        file: missing,
        message: "no such file or folder",
        hint: "manifests takes folders or files, one per line, relative to the working directory",
      },
      {
        file: empty,
        message: "folder has no *.yaml, *.yml or *.json files (subfolders are not read)",
        hint: "name the files, or add a kustomization.yaml that lists the subfolders",
      },
      { file: binary, message: "not a UTF-8 text file", hint: "manifests are YAML or JSON text" },
      { file: latin1, message: "not a UTF-8 text file", hint: "manifests are YAML or JSON text" },
      {
        file: syntax,
        document: 0,
        line: 3,
        message:
          "YAML syntax error at line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]",
        hint: "fix the YAML (indentation, quotes, brackets)",
      },
    ]);
  });

  test("a file over the size bound is refused unread", async () => {
    const big = write("big/huge.yaml", Buffer.alloc(maxManifestFileBytes + 1, 0x20));
    const result = await loadManifests([big], {});
    assert.deepEqual(result.problems, [
      {
        file: big,
        message: `file is ${maxManifestFileBytes + 1} bytes; manifest files over ${maxManifestFileBytes} bytes are not read`,
        hint: "split it, or check that the right file is named",
      },
    ]);
  });

  test("an empty manifest set is a problem: no inputs, or inputs without any object", async () => {
    const comments = write("comments/only.yaml", "# nothing\n---\n");
    assert.deepEqual((await loadManifests([comments], {})).problems, [
      {
        message: `no Kubernetes objects found in "${comments}"`,
        hint: "manifests takes folders or files, one per line, holding at least one object",
      },
    ]);
    assert.deepEqual((await loadManifests(["", "  "], {})).problems, [
      {
        message: "no manifests given",
        hint: "manifests takes folders or files, one per line, holding at least one object",
      },
    ]);
  });

  test("a kustomization without a renderer is reported, not skipped", async () => {
    write("needs-kustomize/kustomization.yaml", "resources: []\n");
    const folder = join(dir, "needs-kustomize");
    assert.deepEqual((await loadManifests([folder], {})).problems, [
      { file: folder, message: "folder has a kustomization but no kustomize renderer was given" },
    ]);
  });
});
