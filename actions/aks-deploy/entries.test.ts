// The action as runners run it, against the local platform (simulated runtime, real clock, since the steps
// are other processes): the committed bundle with INPUT_* variables and GITHUB_* files, and the CLI; both
// share the deploy lock; cancellation by signal; a run killed after it applied; bad input changing nothing;
// and no credential in anything captured.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AppsV1Api, CoordinationV1Api, CoreV1Api } from "@kubernetes/client-node";
import { waitUntil } from "../../local/common/testing/wait-until.ts";
import { runBundle, runCli, type StepRun } from "../lib/entry/testing/github-runner.ts";
import { ReleaseLedger } from "./ledger/ledger.ts";
import { deployLockName } from "./lock/deploy-lock.ts";
import { imageOf, manifestFolder, taggedImage } from "./testing/scenario.ts";
import { resourceVersions } from "./testing/snapshot.ts";
import { startTestCluster, type TestCluster } from "./testing/test-platform.ts";
import { type Behaviour, configFor, workload } from "./testing/workloads.ts";

let cluster: TestCluster;
let token: string;
const captured: string[] = [];
const work = mkdtempSync(join(tmpdir(), "aks-deploy-entries-"));

before(async () => {
  cluster = await startTestCluster(["v1", "v2", "v3", "v4"].map(taggedImage), 1);
  token = cluster.kubeConfig.getCurrentUser()?.token ?? "";
  assert.ok(token.length > 10);
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  for (const name of ["gh", "cancel", "killed", "invalid"])
    await core.createNamespace({ body: { metadata: { name } } });
});
after(async () => {
  await cluster?.close();
  rmSync(work, { recursive: true, force: true });
});

const folder = (namespace: string, behaviour: Behaviour = "healthy", readyAfterMs?: number) =>
  manifestFolder([
    configFor("web", namespace),
    workload({
      namespace,
      image: "registry.example.test/app:v1",
      behaviour,
      ...(readyAfterMs ? { readyAfterMs } : {}),
    }),
  ]);

function keep<T extends Pick<StepRun, "stdout" | "stderr">>(run: T): T {
  captured.push(run.stdout, run.stderr);
  return run;
}

const githubEnv = {
  GITHUB_SERVER_URL: "https://github.example.test",
  GITHUB_REPOSITORY: "cloudjobhunt/api",
  GITHUB_RUN_ID: "4242",
  GITHUB_RUN_ATTEMPT: "1",
  GITHUB_ACTOR: "octocat",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
};

function cliArgs(
  namespace: string,
  image: string,
  behaviour: Behaviour = "healthy",
  extra: string[] = [],
  readyAfterMs?: number,
) {
  return [
    "--manifests",
    folder(namespace, behaviour, readyAfterMs),
    "--namespace",
    namespace,
    "--kubeconfig",
    cluster.kubeconfigPath,
    "--image",
    `app=${image}`,
    ...extra,
  ];
}

async function runningImage(namespace: string): Promise<string | undefined> {
  const live = await cluster.kubeConfig
    .makeApiClient(AppsV1Api)
    .readNamespacedDeployment({ name: "web", namespace });
  return live.spec?.template.spec?.containers[0]?.image;
}

async function lockHolder(namespace: string): Promise<string> {
  try {
    const lease = await cluster.kubeConfig
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: deployLockName, namespace });
    return lease.spec?.holderIdentity ?? "";
  } catch {
    return "";
  }
}

/** Resolves once the child's stdout has shown `text`. */
function seen(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer | string) => {
      stdout += chunk.toString();
      if (stdout.includes(text)) resolve();
    });
  });
}

describe("aks-deploy entries", () => {
  test("a CLI run and a GitHub-style run of the bundle share the lock: the second waits, then exits 4 naming the first", async () => {
    // The CLI deploys slowly (pods ready after 20 s, within its readiness margin), so it holds the lock while
    // the bundle starts.
    const cli = runCli(
      "aks-deploy",
      cliArgs("gh", imageOf("v1"), "healthy", ["--readiness-margin", "60s"], 20_000),
      { env: { USER: "dev" } },
    );
    await waitUntil("the CLI run holds the lock", async () => (await lockHolder("gh")) !== "", {
      timeoutMs: 120_000,
    });
    const waiting = keep(
      await runBundle(
        "aks-deploy",
        {
          manifests: folder("gh"),
          namespace: "gh",
          kubeconfig: cluster.kubeconfigPath,
          image: `app=${imageOf("v2")}`,
          "lock-timeout": "1s",
        },
        { env: githubEnv },
      ),
    );
    captured.push(waiting.summary);
    assert.equal(waiting.exitCode, 4, waiting.stdout);
    assert.equal(waiting.outputs.result, "not-started");
    assert.match(waiting.summary, /^## aks-deploy deploy: web in gh: not started: nothing was applied/);
    assert.match(waiting.summary, /held by dev@[^#]+#[0-9a-f]{8} since \d{4}-/);
    assert.equal(keep(await cli).exitCode, 0);
    assert.equal(await runningImage("gh"), imageOf("v1"), "the waiting run applied nothing");

    const run = keep(
      await runBundle(
        "aks-deploy",
        {
          manifests: folder("gh"),
          namespace: "gh",
          kubeconfig: cluster.kubeconfigPath,
          image: `app=${imageOf("v2")}`,
        },
        { env: githubEnv },
      ),
    );
    captured.push(run.summary);
    assert.equal(run.exitCode, 0, run.stdout);
    assert.deepEqual(run.outputs, {
      result: "deployed",
      revision: "2",
      "previous-revision": "1",
      digest: imageOf("v2").split("@")[1],
    });
    assert.match(run.summary, /^## aks-deploy deploy: web in gh: deployed and healthy/);
    assert.match(run.stdout, /^::group::Apply$/m);
    const live = await cluster.kubeConfig
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: "web", namespace: "gh" });
    assert.equal(live.metadata?.annotations?.["aks-deploy.cloudjobhunt.dev/commit"], githubEnv.GITHUB_SHA);
    assert.equal(live.metadata?.annotations?.["aks-deploy.cloudjobhunt.dev/actor"], "octocat");
    assert.match(
      live.metadata?.annotations?.["aks-deploy.cloudjobhunt.dev/run"] ?? "",
      /^https:\/\/github\.example\.test\/cloudjobhunt\/api\/actions\/runs\/4242\/attempts\/1$/,
    );
  });

  test("SIGINT mid-wait (a runner cancelling): undo requested and recorded, lock released, exit 1 within the grace", async () => {
    assert.equal(keep(await runCli("aks-deploy", cliArgs("cancel", imageOf("v1")))).exitCode, 0);
    let cancelledAt = 0;
    const run = keep(
      await runBundle(
        "aks-deploy",
        {
          manifests: folder("cancel", "never-ready"),
          namespace: "cancel",
          kubeconfig: cluster.kubeconfigPath,
          image: `app=${imageOf("v2")}`,
          "readiness-margin": "10m",
          report: join(work, "cancel.json"),
        },
        {
          env: githubEnv,
          onSpawn: (child) => {
            void seen(child, "::group::Rollout").then(() => {
              cancelledAt = Date.now();
              child.kill("SIGINT");
            });
          },
        },
      ),
    );
    const exitedAt = Date.now();
    assert.ok(cancelledAt > 0, "the rollout wait was reached");
    assert.ok(exitedAt - cancelledAt < 10_000, `exited ${exitedAt - cancelledAt} ms after SIGINT`);
    assert.equal(run.exitCode, 1, run.stderr);
    const report = JSON.parse(readFileSync(join(work, "cancel.json"), "utf8"));
    assert.equal(report.outcome.cancelled, true);
    assert.equal(report.outcome.undo.unconfirmed, true);
    assert.equal(await lockHolder("cancel"), "");
    const ledger = await new ReleaseLedger(
      cluster.kubeConfig.makeApiClient(CoreV1Api),
      "cancel",
      "web",
    ).releases();
    assert.equal(ledger.at(-1)?.state, "undo-requested");
    await waitUntil("the undo rolled back", async () => (await runningImage("cancel")) === imageOf("v1"));
  });

  test("a run SIGKILLed after it applied: the next run waits out the lease, says so, undoes it, then deploys", async () => {
    assert.equal(keep(await runCli("aks-deploy", cliArgs("killed", imageOf("v1")))).exitCode, 0);
    const killed = keep(
      await runBundle(
        "aks-deploy",
        {
          manifests: folder("killed", "never-ready"),
          namespace: "killed",
          kubeconfig: cluster.kubeconfigPath,
          image: `app=${imageOf("v2")}`,
          "readiness-margin": "10m",
          "lock-lease": "3s",
        },
        {
          env: githubEnv,
          onSpawn: (child) => void seen(child, "::group::Rollout").then(() => child.kill("SIGKILL")),
        },
      ),
    );
    assert.equal(killed.signal, "SIGKILL");
    assert.notEqual(await lockHolder("killed"), "", "a killed run leaves its lock");
    const next = keep(
      await runCli(
        "aks-deploy",
        cliArgs("killed", imageOf("v3"), "healthy", ["--report", join(work, "next.json")]),
      ),
    );
    assert.equal(next.exitCode, 0, next.stderr);
    assert.match(next.stderr, /took over the deploy lock of .* which expired/);
    assert.match(
      next.stderr,
      /release 2 of .* was left applying: its run ended without finishing; treating it as failed/,
    );
    const report = JSON.parse(readFileSync(join(work, "next.json"), "utf8"));
    assert.match(report.outcome.recovered[0].outcome, /^undone \(/);
    assert.equal(await runningImage("killed"), imageOf("v3"));
    const ledger = await new ReleaseLedger(
      cluster.kubeConfig.makeApiClient(CoreV1Api),
      "killed",
      "web",
    ).releases();
    assert.deepEqual(
      ledger.map((release) => release.state),
      ["deployed", "interrupted", "deployed"],
    );
  });

  test("bad inputs through the bundle exit 3, name the problem, and change nothing", async () => {
    await runCli("aks-deploy", cliArgs("invalid", imageOf("v1")));
    const before = await resourceVersions(cluster.kubeConfig, "invalid");
    const base = {
      manifests: folder("invalid"),
      namespace: "invalid",
      kubeconfig: cluster.kubeconfigPath,
      image: `app=${imageOf("v2")}`,
    };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...base, kubeconfig: join(work, "absent") }, /input kubeconfig \(.*absent\): no such file/],
      [{ ...base, context: "prod" }, /input context: no context "prod"/],
      [{ ...base, "max-restarts": "many" }, /input max-restarts: "many" is not an integer/],
      [{ ...base, "readiness-margin": "0.5 s" }, /input readiness-margin: "0.5 s" is not a duration/],
      [{ ...base, image: "app=registry.example.test/app:v2" }, /is not pinned by digest/],
      [{ ...base, mode: "rollback" }, /input reason: is required in rollback mode/],
      [{ ...base, namespace: "Invalid" }, /input namespace: "Invalid" is not a valid namespace name/],
      [{ ...base, manifests: join(work, "nothing-here") }, /nothing-here/],
    ];
    for (const [inputs, expected] of cases) {
      const run = keep(await runBundle("aks-deploy", inputs));
      captured.push(run.summary);
      assert.equal(run.exitCode, 3, `${JSON.stringify(inputs)}: ${run.stdout}`);
      assert.equal(run.outputs.result, "invalid");
      assert.match(run.stdout + run.summary, expected);
    }
    assert.deepEqual(await resourceVersions(cluster.kubeConfig, "invalid"), before);
  });

  test("no credential appears in anything captured", () => {
    assert.ok(captured.length > 10);
    // `::add-mask::` lines are the runner's masking commands (consumed by the runner, never shown).
    const shown = captured.map((text) =>
      text
        .split("\n")
        .filter((line) => !line.startsWith("::add-mask::"))
        .join("\n"),
    );
    for (const text of shown) assert.ok(!text.includes(token), "the kubeconfig token leaked");
  });
});
