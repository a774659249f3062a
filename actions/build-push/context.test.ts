import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { formatProblem } from "../lib/report/problem.ts";
import { parseBuildPushInputs } from "./context.ts";

const sha = "0123456789abcdef0123456789abcdef01234567";

describe("parseBuildPushInputs", () => {
  const dir = mkdtempSync(join(tmpdir(), "cjh-bp-context-"));
  writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
  writeFileSync(join(dir, "other.Dockerfile"), "FROM scratch\n");
  after(() => rmSync(dir, { recursive: true, force: true }));
  const acrEnv = { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" };
  const problems = (inputs: Record<string, string | string[]>, env: Record<string, string> = acrEnv) => {
    const parsed = parseBuildPushInputs(inputs, env, dir);
    return parsed.ok ? [] : parsed.problems.map(formatProblem);
  };

  test("defaults: context is the working folder, its Dockerfile, the SHA from GITHUB_SHA then GIT_COMMIT, push with acr", () => {
    const parsed = parseBuildPushInputs(
      { registry: "r.azurecr.io", repository: "team/app" },
      { ...acrEnv, GIT_COMMIT: sha },
      dir,
    );
    assert.deepEqual(parsed, {
      ok: true,
      config: {
        context: dir,
        dockerfile: join(dir, "Dockerfile"),
        registry: "r.azurecr.io",
        repository: "team/app",
        auth: {
          kind: "acr",
          credential: { kind: "client-secret", tenantId: "t", clientId: "c", clientSecret: "s" },
        },
        sha,
        buildArgs: {},
        push: true,
      },
    });
    const github = parseBuildPushInputs(
      { registry: "r.io", repository: "a" },
      { ...acrEnv, GITHUB_SHA: "abcdef1", GIT_COMMIT: sha },
      dir,
    );
    assert.ok(github.ok);
    assert.equal(github.config.sha, "abcdef1");
  });

  test("version, build args, network, another Dockerfile, basic credentials; push false needs none", () => {
    const parsed = parseBuildPushInputs(
      {
        registry: "127.0.0.1:5000",
        repository: "team/app",
        "registry-kind": "basic",
        sha,
        version: "1.2.3",
        "build-args": ["A=1", "B=x=y", "EMPTY="],
        network: "host",
        dockerfile: "other.Dockerfile",
      },
      { REGISTRY_USERNAME: "u", REGISTRY_PASSWORD: "p" },
      dir,
    );
    assert.ok(parsed.ok);
    assert.equal(parsed.config.dockerfile, join(dir, "other.Dockerfile"));
    assert.deepEqual(parsed.config.buildArgs, { A: "1", B: "x=y", EMPTY: "" });
    assert.deepEqual(parsed.config.auth, { kind: "basic", username: "u", password: "p" });
    const local = parseBuildPushInputs({ registry: "r.io", repository: "a", sha, push: "false" }, {}, dir);
    assert.ok(local.ok);
    assert.equal(local.config.auth, undefined);
  });

  test("every problem is named at once", () => {
    assert.deepEqual(problems({ registry: "r.io", repository: "a", sha, dockerfile: "missing.Dockerfile" }), [
      `input dockerfile: ${join(dir, "missing.Dockerfile")} does not exist`,
    ]);
    assert.deepEqual(
      problems({
        repository: "a",
        sha,
        version: "-1",
        "build-args": ["1X=2", "NOEQUALS"],
        network: "overlay",
        push: "maybe",
        "registry-kind": "gcr",
      }),
      [
        "input registry: is required",
        'input version: tag "-1" must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"',
        'input build-args: "1X" is not NAME=value with NAME a letter or _ then letters, digits or _',
        'input build-args: "NOEQUALS" is not NAME=value with NAME a letter or _ then letters, digits or _',
        'input network: "overlay" is not one of default, host, none, bridge',
        'input push: "maybe" is not a boolean (use true or false)',
        'input registry-kind: "gcr" is not acr or basic',
      ],
    );
    assert.deepEqual(problems({ registry: "r.io", repository: "a" }, {}), [
      "input sha: is required when neither GITHUB_SHA nor GIT_COMMIT is set",
    ]);
    assert.deepEqual(
      problems({ registry: "r.io", repository: "a", sha }, { ACTIONS_ID_TOKEN_REQUEST_URL: "https://u" }),
      [
        "environment AZURE_TENANT_ID: is required for the github-oidc Azure credential",
        "environment AZURE_CLIENT_ID: is required for the github-oidc Azure credential",
        "environment ACTIONS_ID_TOKEN_REQUEST_TOKEN: is required for the github-oidc Azure credential",
      ],
    );
  });
});
