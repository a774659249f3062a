// The deploy and rollback scenarios against the local platform (simulated runtime, clock 20x), through the
// kubeconfig only: what the action decides, what the cluster runs afterwards, and what the ledger says.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AppsV1Api, CoordinationV1Api, CoreV1Api, type V1Deployment } from "@kubernetes/client-node";
import { execFileAsync } from "../../local/common/exec-file.ts";
import { waitUntil } from "../../local/common/testing/wait-until.ts";
import { markReleaseVerified, ReleaseLedger } from "./ledger/ledger.ts";
import { deployLockName } from "./lock/deploy-lock.ts";
import { deploySummary } from "./report/summary.ts";
import { deployExitCode } from "./result.ts";
import { imageOf, manifestFolder, runScenario, taggedImage, unpullableImage } from "./testing/scenario.ts";
import { resourceVersions } from "./testing/snapshot.ts";
import { startTestCluster, type TestCluster } from "./testing/test-platform.ts";
import { type Behaviour, configFor, serviceFor, workload } from "./testing/workloads.ts";

const releases = ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8"];
let cluster: TestCluster;
let apps: AppsV1Api;
let core: CoreV1Api;

before(async () => {
  cluster = await startTestCluster([...releases.map(taggedImage), "registry.example.test/app:base"]);
  apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: "matrix" } } });
  await core.createNamespace({ body: { metadata: { name: "fresh" } } });
  await core.createNamespace({ body: { metadata: { name: "manual" } } });
  await core.createNamespace({ body: { metadata: { name: "race" } } });
});
after(async () => {
  await cluster?.close();
});

/** Manifests for `name` in `namespace` whose app container behaves as asked; the image comes from `image`. */
function manifests(namespace: string, behaviour: Behaviour = "healthy", readyAfterMs?: number) {
  return [
    manifestFolder([
      configFor("web", namespace),
      serviceFor("web", namespace),
      workload({
        namespace,
        image: "registry.example.test/app:base",
        behaviour,
        ...(readyAfterMs ? { readyAfterMs } : {}),
      }),
    ]),
  ];
}

/** Readiness margins wide enough for a 20x clock on a busy machine, narrower where readiness never comes. */
const deploy = (namespace: string, image: string, behaviour: Behaviour = "healthy", extra = {}) =>
  runScenario(cluster, {
    manifests: manifests(namespace, behaviour),
    namespace,
    image: [`app=${image}`],
    "readiness-margin": behaviour === "never-ready" ? "10s" : "60s",
    ...extra,
  });

async function runningImage(namespace: string, name = "web"): Promise<string | undefined> {
  const live = await apps.readNamespacedDeployment({ name, namespace });
  return live.spec?.template.spec?.containers[0]?.image;
}

async function verify(namespace: string) {
  await markReleaseVerified(cluster.kubeConfig, namespace, "web", { by: "smoke-test" });
}

describe("aks-deploy scenarios", () => {
  test("happy path: deployed, healthy, on the requested digest; exit 0", async () => {
    const { result } = await deploy("matrix", imageOf("v1"));
    assert.equal(result.result, "deployed", result.message);
    assert.equal(deployExitCode(result), 0);
    assert.equal(result.revision, 1);
    assert.equal(result.digest, imageOf("v1").split("@")[1]);
    assert.equal(await runningImage("matrix"), imageOf("v1"));
    const ledger = await new ReleaseLedger(core, "matrix", "web").releases();
    assert.equal(ledger.at(-1)?.state, "deployed");
    const live = await apps.readNamespacedDeployment({ name: "web", namespace: "matrix" });
    assert.match(
      live.metadata?.annotations?.["kubernetes.io/change-cause"] ?? "",
      /app=registry\.example\.test/,
    );
    await verify("matrix");
  });

  const failures: [string, Behaviour, string, RegExp][] = [
    ["crash loop", "crash", "v2", /CrashLoopBackOff|RestartsExceeded/],
    ["image that cannot be pulled", "healthy", "unpullable", /ErrImagePull|ImagePullBackOff/],
    ["missing config key", "missing-config-key", "v2", /CreateContainerConfigError/],
    ["OOM", "oom", "v2", /OOMKilled/],
    ["readiness never passing", "never-ready", "v2", /NeverReady/],
  ];
  for (const [name, behaviour, label, reason] of failures)
    test(`${name}: failed fast, undone to the verified release, diagnostics given; exit 1`, async () => {
      const image = label === "unpullable" ? unpullableImage : imageOf(label);
      const { result } = await deploy("matrix", image, behaviour);
      assert.equal(result.result, "rolled-back", result.message);
      assert.equal(deployExitCode(result), 1);
      assert.equal(result.failure?.cause, "pod-signal");
      assert.match(result.failure?.message ?? "", reason);
      assert.match(result.undo?.because ?? "", /^last verified release 1 /);
      assert.equal(await runningImage("matrix"), imageOf("v1"));
      assert.equal(result.digest, imageOf("v1").split("@")[1]);
      assert.ok((result.diagnostics?.containers.length ?? 0) > 0, "container states reported");
      if (behaviour === "crash") {
        const diagnostics = result.diagnostics;
        assert.ok(
          diagnostics?.logs.some((log) => log.container === "app"),
          JSON.stringify(diagnostics?.logs),
        );
        assert.ok(
          diagnostics?.events.some((event) => event.object.startsWith("Pod/") && event.reason === "BackOff"),
          JSON.stringify(diagnostics?.events),
        );
        const summary = deploySummary(result);
        assert.match(summary, /^## aks-deploy deploy: web in matrix: failed and rolled back/);
        assert.match(summary, /### Why it failed/);
        assert.match(summary, /#### Log of web-[a-z0-9]+-[a-z0-9]+ app/);
      }
      const ledger = await new ReleaseLedger(core, "matrix", "web").releases();
      assert.equal(ledger.at(-1)?.state, "rolled-back");
    });

  test("two bad releases in a row after an unverified good one land on the last verified release", async () => {
    const good = await deploy("matrix", imageOf("v3"));
    assert.equal(good.result.result, "deployed"); // healthy, never verified
    for (const label of ["v4", "v5"]) {
      const { result } = await deploy("matrix", imageOf(label), "crash");
      assert.equal(result.result, "rolled-back", result.message);
      assert.match(result.undo?.because ?? "", /^last verified release 1 /);
      assert.equal(await runningImage("matrix"), imageOf("v1"), `after ${label}: the verified v1, not v3`);
    }
  });

  test("unverified history falls back to kubectl's default, and says so", async () => {
    assert.equal((await deploy("fresh", imageOf("v1"))).result.result, "deployed");
    const { result } = await deploy("fresh", imageOf("v2"), "crash");
    assert.equal(result.result, "rolled-back", result.message);
    assert.match(
      result.undo?.because ?? "",
      /^no verified release to return to: kubectl's default, the previous revision$/,
    );
    assert.equal(await runningImage("fresh"), imageOf("v1"));
  });

  test("a manual kubectl rollout undo between two deploys does not block the next deploy", async () => {
    assert.equal((await deploy("manual", imageOf("v1"))).result.result, "deployed");
    assert.equal((await deploy("manual", imageOf("v2"))).result.result, "deployed");
    await execFileAsync("kubectl", ["-n", "manual", "rollout", "undo", "deployment/web"], {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath },
    });
    await waitUntil("the manual undo", async () => (await runningImage("manual")) === imageOf("v1"));
    const { result, log } = await deploy("manual", imageOf("v3"));
    assert.equal(result.result, "deployed", result.message);
    assert.equal(await runningImage("manual"), imageOf("v3"));
    assert.ok(log.some((line) => /Deployment\/web applied \(took fields back from kubectl\)/.test(line)));
  });

  test("rollback mode: to the last verified release with the reason as change-cause; exit 0", async () => {
    await verify("manual"); // v3 verified
    assert.equal((await deploy("manual", imageOf("v4"))).result.result, "deployed");
    const { result } = await runScenario(cluster, {
      manifests: manifests("manual"),
      namespace: "manual",
      mode: "rollback",
      reason: "v4 breaks checkout",
    });
    assert.equal(result.result, "rolled-back", result.message);
    assert.equal(deployExitCode(result), 0);
    assert.equal(await runningImage("manual"), imageOf("v3"));
    const live: V1Deployment = await apps.readNamespacedDeployment({ name: "web", namespace: "manual" });
    assert.equal(live.metadata?.annotations?.["kubernetes.io/change-cause"], "v4 breaks checkout");
  });

  test("two concurrent deploys: one applies, the other waits, then is not started (exit 4) naming the holder", async () => {
    // Pods ready after 60 s of platform time (3 s here): the first run holds the lock a while.
    const first = runScenario(cluster, {
      manifests: manifests("race", "healthy", 60_000),
      namespace: "race",
      image: [`app=${imageOf("v1")}`],
      "readiness-margin": "60s",
    });
    const lease = cluster.kubeConfig.makeApiClient(CoordinationV1Api);
    await waitUntil("the first run holds the lock", async () => {
      try {
        const held = await lease.readNamespacedLease({ name: deployLockName, namespace: "race" });
        return (held.spec?.holderIdentity ?? "") !== "";
      } catch {
        return false;
      }
    });
    const second = await deploy("race", imageOf("v2"), "healthy", { "lock-timeout": "1s" });
    assert.equal(second.result.result, "not-started");
    assert.equal(deployExitCode(second.result), 4);
    assert.match(
      second.result.message,
      /^the deploy lock of namespace race is held by tester@.+#[0-9a-f]{8} since \d{4}-/,
    );
    assert.equal((await first).result.result, "deployed");
    assert.equal(await runningImage("race"), imageOf("v1"), "the waiting run applied nothing");
    const released = await lease.readNamespacedLease({ name: deployLockName, namespace: "race" });
    assert.equal(released.spec?.holderIdentity ?? "", "", "released at the end");
  });

  test("cancellation mid-wait: the undo is requested and recorded, the lock released, quickly", async () => {
    const controller = new AbortController();
    const started = Date.now();
    let cancelledAt = 0;
    const { result } = await runScenario(
      cluster,
      {
        manifests: manifests("race", "never-ready"),
        namespace: "race",
        image: [`app=${imageOf("v2")}`],
        "readiness-margin": "10m",
      },
      {
        signal: controller.signal,
        onLog: (line) => {
          if (line === "== Rollout")
            setTimeout(() => {
              cancelledAt = Date.now();
              controller.abort();
            }, 200);
        },
      },
    );
    assert.ok(cancelledAt > started);
    assert.ok(Date.now() - cancelledAt < 10_000, "within the runner's grace");
    assert.equal(result.result, "rolled-back", result.message);
    assert.equal(result.cancelled, true);
    assert.equal(result.undo?.unconfirmed, true);
    const ledger = await new ReleaseLedger(core, "race", "web").releases();
    assert.equal(ledger.at(-1)?.state, "undo-requested");
    const lease = await cluster.kubeConfig
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: deployLockName, namespace: "race" });
    assert.equal(lease.spec?.holderIdentity ?? "", "");
    // The next run confirms the undo before deploying.
    const next = await deploy("race", imageOf("v3"));
    assert.equal(next.result.result, "deployed", next.result.message);
    assert.equal(next.result.recovered?.[0]?.outcome, "its undo confirmed");
    const after = await new ReleaseLedger(core, "race", "web").releases();
    assert.equal(after.find((release) => release.id === ledger.at(-1)?.id)?.state, "rolled-back");
  });

  test("bad input in the run (two Deployments; rollback to a revision that does not exist) changes nothing", async () => {
    const before = await resourceVersions(cluster.kubeConfig, "matrix");
    const twoDeployments = await runScenario(cluster, {
      manifests: [
        manifestFolder([
          workload({ name: "a", namespace: "matrix", image: imageOf("v1") }),
          workload({ name: "b", namespace: "matrix", image: imageOf("v1") }),
        ]),
      ],
      namespace: "matrix",
    });
    assert.equal(twoDeployments.result.result, "invalid");
    assert.match(twoDeployments.result.problems?.[0]?.message ?? "", /^hold 2 Deployments \(a, b\)$/);
    const noRevision = await runScenario(cluster, {
      manifests: manifests("matrix"),
      namespace: "matrix",
      mode: "rollback",
      reason: "x",
      "to-revision": "99",
    });
    assert.equal(noRevision.result.result, "invalid");
    assert.equal(deployExitCode(noRevision.result), 3);
    assert.equal(noRevision.result.problems?.[0]?.message, "unable to find specified revision 99 in history");
    assert.deepEqual(await resourceVersions(cluster.kubeConfig, "matrix"), before);
  });
});
