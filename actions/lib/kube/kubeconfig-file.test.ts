import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { stringify } from "yaml";
import { formatProblem } from "../report/problem.ts";
import { loadKubeConfigFile } from "./kubeconfig-file.ts";

const dir = mkdtempSync(join(tmpdir(), "kubeconfig-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const token = "t0ken-that-must-never-be-printed";
const good = {
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "local", cluster: { server: "https://127.0.0.1:6443" } }],
  users: [{ name: "deployer", user: { token } }],
  contexts: [{ name: "local", context: { cluster: "local", user: "deployer" } }],
  "current-context": "local",
};

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : stringify(content));
  return path;
}

function problem(path: string, context?: string): string {
  const loaded = loadKubeConfigFile(path, context, () => {});
  assert.equal(loaded.ok, false);
  return loaded.ok ? "" : loaded.problems.map(formatProblem).join("\n");
}

describe("kubeconfig file", () => {
  test("a good kubeconfig loads, and its token is handed over as a secret", () => {
    const secrets: string[] = [];
    const loaded = loadKubeConfigFile(write("good", good), undefined, (value) => secrets.push(value));
    assert.ok(loaded.ok);
    assert.equal(loaded.kubeConfig.getCurrentCluster()?.server, "https://127.0.0.1:6443");
    assert.deepEqual(secrets, [token]);
  });

  test("each unusable kubeconfig is named with what is wrong", () => {
    assert.match(problem(join(dir, "absent")), /^input kubeconfig \(.*absent\): no such file$/);
    assert.match(problem(dir), /: is not a file$/);
    assert.match(problem(write("yaml", "clusters: [")), /: is not a kubeconfig: /);
    assert.match(
      problem(write("context", good), "prod"),
      /^input context: no context "prod" in .* \(contexts: local\)$/,
    );
    assert.match(
      problem(write("no-current", { ...good, "current-context": undefined })),
      /names no current context/,
    );
    assert.match(
      problem(
        write("no-cluster", {
          ...good,
          contexts: [{ name: "local", context: { cluster: "gone", user: "deployer" } }],
        }),
      ),
      /context "local" names cluster "gone", which is not defined/,
    );
    assert.match(
      problem(
        write("no-user", {
          ...good,
          contexts: [{ name: "local", context: { cluster: "local", user: "nobody" } }],
        }),
      ),
      /context "local" names user "nobody", which is not defined/,
    );
    assert.match(
      problem(
        write("server", { ...good, clusters: [{ name: "local", cluster: { server: "127.0.0.1:6443" } }] }),
      ),
      /cluster "local" has server "127.0.0.1:6443", which is not an http\(s\) URL/,
    );
  });

  test("no problem message carries the token", () => {
    const text = problem(write("leaky", { ...good, "current-context": "other" }));
    assert.doesNotMatch(text, new RegExp(token));
  });
});
