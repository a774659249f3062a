// build-push end to end on a real Docker engine and the local platform's registry behind its ACR token
// service and AAD stand-in, talked to only over HTTP with azure.env's values. docker runs through
// @actions/exec as in production; a recording wrapper captures every argv to show no secret is in one.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import tls from "node:tls";
import { ensureDockerEngine } from "../../local/docker-engine/docker-engine.ts";
import { docker } from "../../local/images/docker-cli.ts";
import { machineBuildArgs } from "../../local/images/machine-ca-base.ts";
import { ensureNodeBaseImage } from "../../local/images/node-base-image.ts";
import { ensureNodeRuntimeImage, nodeRuntimeImage } from "../../local/images/node-runtime-image.ts";
import { type RunningPlatform, startPlatform } from "../../local/platform/start-platform.ts";
import { platformHome } from "../../local/tls/state-home.ts";
import type { Logger } from "../lib/entry/definition.ts";
import { runBundle, runCli } from "../lib/entry/testing/github-runner.ts";
import { parseBuildPushInputs } from "./context.ts";
import { actionsExec, type Exec } from "./docker/exec.ts";
import { registryManifestDigest } from "./registry/manifest-digest.ts";
import type { BuildPushResult } from "./result.ts";
import { runBuildPush } from "./run.ts";

const repositoryRoot = join(import.meta.dirname, "../..");
/** A fake commit: its tags are this file's own, and removed at the end. */
const sha = "0123456789abcdef0123456789abcdef01234567";

function readEnvFile(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

describe("build-push against the local ACR", { timeout: 30 * 60_000 }, async () => {
  const stateDir = mkdtempSync(join(tmpdir(), "cjh-build-push-"));
  const engine = await ensureDockerEngine({ home: platformHome() });
  let platform: RunningPlatform;
  let azure: Record<string, string>;
  const contexts: string[] = [];

  before(async () => {
    await ensureNodeBaseImage({ home: platformHome(), dockerHost: engine.dockerHost });
    await ensureNodeRuntimeImage({ dockerHost: engine.dockerHost });
    platform = await startPlatform({
      stateDir,
      runtime: "docker",
      components: ["registry", "azure"],
    });
    azure = readEnvFile(join(stateDir, "azure", "azure.env"));
    // What NODE_EXTRA_CA_CERTS=<state>/tls/ca.crt does for the CLI, for this process's fetch and Azure SDK.
    const ca = readFileSync(azure.NODE_EXTRA_CA_CERTS ?? "", "utf8");
    tls.setDefaultCACertificates([...tls.getCACertificates("default"), ca]);
  });
  after(async () => {
    // The tags this file made (its own fake SHA); the layers stay as the engine's build cache.
    const acr = azure?.ACR_LOGIN_SERVER;
    const refs = [
      `127.0.0.1:5000/e2e/local:${sha}`,
      ...(acr
        ? [
            `${acr}/cloudjobhunt/api:1.0.0`,
            ...["cloudjobhunt/api", "e2e/small", "e2e/entries"].map((r) => `${acr}/${r}:${sha}`),
          ]
        : []),
    ];
    for (const ref of refs) await docker(engine.dockerHost, ["rmi", ref]).catch(() => undefined);
    await platform?.stop();
    await engine.stop();
    for (const dir of [stateDir, ...contexts]) rmSync(dir, { recursive: true, force: true });
  });

  /** A tiny build context: the runtime image plus one file; `dockerfile` replaces the Dockerfile. */
  function smallContext(text: string, dockerfile?: string): string {
    const dir = mkdtempSync(join(tmpdir(), "cjh-build-ctx-"));
    contexts.push(dir);
    writeFileSync(join(dir, "hello.txt"), text);
    writeFileSync(
      join(dir, "Dockerfile"),
      dockerfile ?? `FROM ${nodeRuntimeImage}\nCOPY hello.txt /app/hello.txt\n`,
    );
    return dir;
  }

  function acrEnv(overrides: Record<string, string> = {}): Record<string, string> {
    const { ACR_ADMIN_PASSWORD: _admin, AZURE_FEDERATED_TOKEN_FILE: _file, ...rest } = azure;
    return { ...rest, DOCKER_HOST: engine.dockerHost, PATH: process.env.PATH ?? "", ...overrides };
  }

  interface Captured {
    result: BuildPushResult;
    argv: string[][];
    output: string;
  }

  async function buildPush(inputs: Record<string, string>, env: Record<string, string>): Promise<Captured> {
    const parsed = parseBuildPushInputs(inputs, env);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const argv: string[][] = [];
    let output = "";
    const recording: Exec = (command, args, options) => {
      argv.push([command, ...args]);
      return actionsExec(command, args, options);
    };
    const say = (line: string) => {
      output += `${line}\n`;
    };
    const log: Logger = {
      info: say,
      warning: say,
      error: say,
      group: (name, work) => {
        say(name);
        return work();
      },
    };
    const secrets: string[] = [];
    const result = await runBuildPush(parsed.config, {
      exec: recording,
      log,
      env,
      secret: (s) => secrets.push(s),
    });
    for (const secret of secrets)
      assert.ok(!output.includes(secret) && !JSON.stringify(argv).includes(secret));
    return { result, argv, output };
  }

  function assertNoSecrets(captured: Captured, secrets: string[]) {
    const seen = `${captured.output}\n${JSON.stringify(captured.argv)}\n${JSON.stringify(captured.result)}`;
    for (const secret of secrets) assert.ok(!seen.includes(secret), "a secret leaked into output or argv");
  }

  test("the real server image is built and pushed through the ACR flow; its digest is the registry's and docker inspect's", async () => {
    const baseArgs = await machineBuildArgs(engine.dockerHost);
    const inputs = {
      context: repositoryRoot,
      registry: azure.ACR_LOGIN_SERVER ?? "",
      repository: "cloudjobhunt/api",
      sha,
      version: "1.0.0",
      network: "host",
      "build-args": Object.entries(baseArgs)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n"),
    };
    const first = await buildPush(inputs, acrEnv({ SOURCE_DATE_EPOCH: "1700000000" }));
    assert.equal(first.result.result, "pushed", JSON.stringify(first.result));
    if (first.result.result !== "pushed") return;
    assert.match(first.output, /builder: (BuildKit|classic)/);
    assert.deepEqual(first.result.tags, [sha, "1.0.0"]);
    assert.ok(first.result.sizeBytes <= 150 * 1024 * 1024);
    const digest = first.result.digest ?? "";
    assert.equal(first.result.image, `${azure.ACR_LOGIN_SERVER}/cloudjobhunt/api@${digest}`);
    // Read back independently here as well, with the admin credentials.
    const admin = { username: azure.ACR_ADMIN_USERNAME ?? "", password: azure.ACR_ADMIN_PASSWORD ?? "" };
    assert.equal(
      await registryManifestDigest(azure.ACR_LOGIN_SERVER ?? "", "cloudjobhunt/api", "1.0.0", admin),
      digest,
    );
    const login = first.argv.find((args) => args[1] === "login") ?? [];
    assert.ok(login.includes("--password-stdin"));
    assertNoSecrets(first, [azure.AZURE_CLIENT_SECRET ?? ""]);
  });

  test("a rebuild with no change gives the same digest", async () => {
    const context = smallContext("same\n");
    const inputs = { context, registry: azure.ACR_LOGIN_SERVER ?? "", repository: "e2e/small", sha };
    const first = await buildPush(inputs, acrEnv({ SOURCE_DATE_EPOCH: "1700000000" }));
    const second = await buildPush(inputs, acrEnv({ SOURCE_DATE_EPOCH: "1700000000" }));
    assert.equal(first.result.result, "pushed", JSON.stringify(first.result));
    assert.equal(second.result.result, "pushed");
    if (first.result.result !== "pushed" || second.result.result !== "pushed") return;
    assert.equal(second.result.digest, first.result.digest);
  });

  test("the GitHub bundle and the CLI entry push the same digest; the secrets are masked and never printed", async () => {
    const context = smallContext("entries\n");
    const registry = azure.ACR_LOGIN_SERVER ?? "";
    const env = acrEnv({ SOURCE_DATE_EPOCH: "1700000000" });
    const bundle = await runBundle(
      "build-push",
      { context, registry, repository: "e2e/entries", sha },
      { env },
    );
    assert.equal(bundle.exitCode, 0, bundle.stdout + bundle.stderr);
    const digest = bundle.outputs.digest ?? "";
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(bundle.outputs.image, `${registry}/e2e/entries@${digest}`);
    assert.equal(bundle.outputs.tags, sha);
    assert.ok(Number(bundle.outputs.size) > 0);
    assert.match(bundle.summary, /^## build-push: pushed/);
    assert.ok(bundle.masked.includes(azure.AZURE_CLIENT_SECRET ?? ""));
    const report = join(context, "report.json");
    const cli = await runCli(
      "build-push",
      [
        "--context",
        context,
        "--registry",
        registry,
        "--repository",
        "e2e/entries",
        "--sha",
        sha,
        "--report",
        report,
      ],
      { env },
    );
    assert.equal(cli.exitCode, 0, cli.stderr);
    assert.match(cli.stdout, new RegExp(`output digest=${digest}`));
    const written = JSON.parse(readFileSync(report, "utf8")) as {
      exitCode: number;
      outcome: { digest?: string };
    };
    assert.deepEqual([written.exitCode, written.outcome.digest], [0, digest]);
    // ::add-mask:: is how the step hands the runner what to hide; everything else must not carry the secret.
    const printed = bundle.stdout.replace(/^::add-mask::.*$/gm, "");
    for (const output of [printed, bundle.stderr, cli.stdout, cli.stderr]) {
      assert.ok(!output.includes(azure.AZURE_CLIENT_SECRET ?? ""));
    }
  });

  test("push false builds and tags only, with no registry credentials at all", async () => {
    const context = smallContext("local only\n");
    const run = await runCli(
      "build-push",
      [
        "--context",
        context,
        "--registry",
        "127.0.0.1:5000",
        "--repository",
        "e2e/local",
        "--sha",
        sha,
        "--push",
        "false",
      ],
      { env: { DOCKER_HOST: engine.dockerHost } },
    );
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /output result=built/);
    assert.match(run.stdout, new RegExp(`output image=127\\.0\\.0\\.1:5000/e2e/local:${sha}`));
    assert.doesNotMatch(run.stdout, /log in to/);
  });

  test("a registry with a port parses, and a plain registry takes basic credentials", () => {
    const parsed = parseBuildPushInputs(
      {
        context: smallContext("x"),
        registry: "127.0.0.1:5000",
        repository: "team/app",
        "registry-kind": "basic",
        sha,
      },
      { REGISTRY_USERNAME: "u", REGISTRY_PASSWORD: "p" },
    );
    assert.ok(parsed.ok);
    assert.equal(parsed.config.registry, "127.0.0.1:5000");
  });

  test("a broken Dockerfile fails at the build with the builder's error", async () => {
    const context = smallContext("x", `FROM ${nodeRuntimeImage}\nCOPY no-such-file /app/\n`);
    const run = await buildPush(
      { context, registry: azure.ACR_LOGIN_SERVER ?? "", repository: "e2e/broken", sha },
      acrEnv(),
    );
    assert.equal(run.result.result, "failed");
    if (run.result.result !== "failed") return;
    assert.equal(run.result.stage, "build");
    assert.match(run.result.message, /^docker build of .*Dockerfile failed \(docker exit 1\)$/);
    assert.match(run.result.excerpt ?? "", /no-such-file/);
  });

  test("a wrong AAD secret fails the login clearly, with no secret in output or argv", async () => {
    const wrong = "wrong-secret-value-1234567890";
    const run = await buildPush(
      { context: smallContext("x"), registry: azure.ACR_LOGIN_SERVER ?? "", repository: "e2e/small", sha },
      acrEnv({ AZURE_CLIENT_SECRET: wrong }),
    );
    assert.equal(run.result.result, "failed");
    if (run.result.result !== "failed") return;
    assert.equal(run.result.stage, "login");
    assert.match(
      run.result.message,
      /^ACR login with the client-secret credential failed: Azure AD gave no token for ACR: /,
    );
    assert.equal(run.argv.filter((args) => args[1] === "build").length, 0);
    assertNoSecrets(run, [wrong, azure.AZURE_CLIENT_SECRET ?? ""]);
  });

  test("a wrong registry password fails docker login clearly, with no secret in output or argv", async () => {
    const wrong = "wrong-registry-password-0987654321";
    const run = await buildPush(
      {
        context: smallContext("x"),
        registry: azure.ACR_LOGIN_SERVER ?? "",
        repository: "e2e/small",
        "registry-kind": "basic",
        sha,
      },
      acrEnv({ REGISTRY_USERNAME: azure.ACR_ADMIN_USERNAME ?? "", REGISTRY_PASSWORD: wrong }),
    );
    assert.equal(run.result.result, "failed");
    if (run.result.result !== "failed") return;
    assert.equal(run.result.stage, "login");
    assert.equal(run.result.message, `docker login ${azure.ACR_LOGIN_SERVER} failed (docker exit 1)`);
    assert.match(run.result.excerpt ?? "", /unauthorized|denied|401/i);
    assertNoSecrets(run, [wrong]);
  });

  test("bad inputs exit 3 before anything is built, each problem named", async () => {
    const run = await runCli(
      "build-push",
      [
        "--context",
        "/no/such/folder",
        "--registry",
        "myacr",
        "--repository",
        "Team/App",
        "--sha",
        "xyz",
        "--registry-kind",
        "basic",
      ],
      { env: { DOCKER_HOST: engine.dockerHost } },
    );
    assert.equal(run.exitCode, 3, run.stderr);
    for (const expected of [
      "input context: /no/such/folder is not a folder",
      'input registry: registry host "myacr" needs a "." or a ":port"',
      'input repository: repository "Team/App" must be lowercase',
      'input sha: "xyz" is not a commit SHA',
      "environment REGISTRY_USERNAME: is required with registry-kind basic",
    ]) {
      assert.ok(run.stderr.includes(expected), `${expected}\n---\n${run.stderr}`);
    }
  });
});
