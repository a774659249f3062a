// waitForRollout against the local platform (simulated runtime, 10x clock), through client-node only:
// success, every pod signal the runtime can script, the progress deadline, the overall timeout,
// cancellation, deletion, revisions, and the same outcomes through a proxy that cuts watches and injects
// 429/503. Also measures how soon the wait returns after an independent watch first sees a decisive signal.
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { after, before, describe, test } from "node:test";
import { AppsV1Api, KubeConfig, type V1Pod, Watch } from "@kubernetes/client-node";
import { WatchFailedError } from "../../lib/kube/watch.ts";
import { podSignals, signalThresholds } from "./pod-signals.ts";
import {
  deployment,
  namespace,
  pinned,
  type RolloutCluster,
  startRolloutCluster,
} from "./testing/rollout-cluster.ts";
import { type RolloutOutcome, type WaitForRolloutOptions, waitForRollout } from "./wait-for-rollout.ts";

let cluster: RolloutCluster;
before(async () => {
  cluster = await startRolloutCluster(["web:1", "web:2", "web:3"]);
});
after(async () => {
  await cluster?.close();
});

const generous = 60_000;
/** Default thresholds; tests of the readiness allowance use a 2 s margin (`impatient`). */
const thresholds = signalThresholds();
const impatient = signalThresholds({ readinessMarginMs: 2000 });
/** Thresholds that leave a never-ready pod alone for an hour. */
const patient = signalThresholds({ readinessMarginMs: 3_600_000 });

function wait(name: string, options: Partial<WaitForRolloutOptions> = {}): Promise<RolloutOutcome> {
  return waitForRollout({
    kubeConfig: cluster.kubeConfig,
    namespace,
    name,
    timeoutMs: generous,
    thresholds,
    signal: new AbortController().signal,
    clock: cluster.clock,
    ...options,
  });
}

function assertFailed(outcome: RolloutOutcome, cause: string, reason?: string) {
  assert.equal(outcome.status, "failed", JSON.stringify(outcome));
  if (outcome.status !== "failed") return outcome as never;
  assert.equal(outcome.cause, cause, outcome.message);
  if (reason) {
    assert.equal(outcome.signals[0]?.reason, reason, JSON.stringify(outcome.signals));
    assert.equal(outcome.signals[0]?.decisive, true);
  }
  return outcome;
}

// Bounds, not goals: a wait that never ends must fail the suite rather than hang CI.
describe("waitForRollout on the local platform", { timeout: 300_000 }, () => {
  test("happy path: kubectl's success, every new pod ready on the pinned digest, kubectl's progress lines", async () => {
    await cluster.apply(deployment("happy", { replicas: 3 }));
    const progress: string[] = [];
    const outcome = await wait("happy", { onProgress: (message) => progress.push(message) });
    assert.equal(outcome.status, "complete", JSON.stringify(outcome));
    if (outcome.status !== "complete") return;
    assert.equal(outcome.message, 'deployment "happy" successfully rolled out');
    assert.equal(outcome.pods.length, 3);
    for (const pod of outcome.pods)
      assert.ok(pod.status?.containerStatuses?.[0]?.imageID.endsWith(pinned("web:1").split("@")[1] ?? "-"));
    assert.equal(outcome.replicaSet.metadata?.annotations?.["deployment.kubernetes.io/revision"], "1");
    assert.equal(progress.at(-1), 'deployment "happy" successfully rolled out');
    assert.ok(
      progress.some((line) => line.startsWith('Waiting for deployment "happy"')),
      progress.join("\n"),
    );
  });

  test("a start slower than the probes allow (3 s) but within the default margin (10 s) is not a failure", async () => {
    await cluster.apply(deployment("slow", { replicas: 1, script: { readyAfterMs: 4000 } }));
    assert.equal((await wait("slow", { timeoutMs: 0 })).status, "complete", "timeout 0 waits for ever");
  });

  test("crash loop: CrashLoopBackOff fails the wait at once, with the pod, container and last exit", async () => {
    await cluster.apply(deployment("crash", { script: { crashExitCode: 3 } }));
    const outcome = assertFailed(await wait("crash"), "pod-signal", "CrashLoopBackOff");
    assert.match(
      outcome.message,
      /^pod\/crash-[a-z0-9]+-[a-z0-9]{5} container web: CrashLoopBackOff: back-off \d+s restarting failed container=web pod=crash-/,
    );
    assert.match(outcome.message, /; last exit code 3 \(Error\)$/);
    assert.equal(outcome.signals[0]?.container, "web");
    assert.ok(outcome.replicaSet?.metadata?.name?.startsWith("crash-"));
  });

  test("an image that cannot be pulled: ErrImagePull with the runtime's message", async () => {
    await cluster.apply(deployment("nopull", { image: "web:404" }));
    const outcome = assertFailed(await wait("nopull"), "pod-signal");
    assert.match(outcome.signals[0]?.reason ?? "", /^(ErrImagePull|ImagePullBackOff)$/);
    assert.match(
      outcome.message,
      /failed to pull and unpack image "web:404"|Back-off pulling image "web:404"/,
    );
  });

  test("a missing config key: CreateContainerConfigError", async () => {
    await cluster.apply(
      deployment("noconfig", {
        container: { env: [{ name: "DB", valueFrom: { configMapKeyRef: { name: "absent", key: "url" } } }] },
      }),
    );
    const outcome = assertFailed(await wait("noconfig"), "pod-signal", "CreateContainerConfigError");
    assert.match(outcome.message, /configmap "absent" not found/);
  });

  test("OOM: OOMKilled from the container's state", async () => {
    await cluster.apply(deployment("oom", { script: { oomAfterMs: 200 } }));
    const outcome = assertFailed(await wait("oom"), "pod-signal", "OOMKilled");
    assert.match(outcome.message, /container "web" was killed for exceeding its memory limit/);
  });

  test("readiness never passing: NeverReady once the probes' allowance and margin have passed", async () => {
    await cluster.apply(deployment("unready", { replicas: 1, script: { neverReady: true } }));
    const outcome = assertFailed(
      await wait("unready", { thresholds: impatient }),
      "pod-signal",
      "NeverReady",
    );
    assert.match(outcome.message, /its probes allow 3s plus a 2s margin$/);
  });

  test("ProgressDeadlineExceeded: kubectl's error when no pod signal is decisive first", async () => {
    await cluster.apply(
      deployment("deadline", { replicas: 1, progressDeadlineSeconds: 5, script: { neverReady: true } }),
    );
    const outcome = assertFailed(await wait("deadline", { thresholds: patient }), "progress-deadline");
    assert.equal(outcome.message, 'deployment "deadline" exceeded its progress deadline');
  });

  test("the overall timeout: kubectl's message, with the pods' context", async () => {
    await cluster.apply(deployment("late", { replicas: 1, script: { readyAfterMs: 3_600_000 } }));
    const outcome = assertFailed(await wait("late", { timeoutMs: 1500, thresholds: patient }), "timeout");
    assert.equal(outcome.message, "timed out waiting for the condition");
  });

  test("cancellation through the AbortSignal ends the wait as cancelled", async () => {
    await cluster.apply(deployment("cancel", { replicas: 1, script: { readyAfterMs: 3_600_000 } }));
    const controller = new AbortController();
    const outcome = await wait("cancel", {
      signal: controller.signal,
      thresholds: patient,
      onProgress: () => controller.abort(),
    });
    assert.equal(assertFailed(outcome, "cancelled").message, "the rollout wait was cancelled");
    const already = new AbortController();
    already.abort();
    assertFailed(await wait("cancel", { signal: already.signal }), "cancelled");
  });

  test("a Deployment deleted mid-wait, and one that does not exist", async () => {
    await cluster.apply(deployment("doomed", { replicas: 1, script: { readyAfterMs: 3_600_000 } }));
    const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
    const outcome = wait("doomed", {
      thresholds: patient,
      onProgress: () => void apps.deleteNamespacedDeployment({ name: "doomed", namespace }),
    });
    assert.equal(assertFailed(await outcome, "deleted").message, "object has been deleted");
    assert.equal(
      assertFailed(await wait("never-created"), "deleted").message,
      'deployments.apps "never-created" not found',
    );
  });

  test("revisions: a lower running revision is waited out; a higher one is superseded with kubectl's message", async () => {
    await cluster.apply(deployment("revs", { replicas: 1 }));
    assert.equal((await wait("revs", { revision: 1 })).status, "complete");
    const next = wait("revs", { revision: 2 });
    await cluster.apply(deployment("revs", { replicas: 1, image: pinned("web:2") }));
    const outcome = await next;
    assert.equal(outcome.status, "complete", JSON.stringify(outcome));
    assert.equal(
      outcome.status === "complete" && outcome.pods[0]?.spec?.containers[0]?.image,
      pinned("web:2"),
    );
    assert.equal(
      assertFailed(await wait("revs", { revision: 1 }), "superseded").message,
      "desired revision (1) is different from the running revision (2)",
    );
  });

  test("an API that refuses the credentials rejects the wait with WatchFailedError (401)", async () => {
    const server = cluster.kubeConfig.getCurrentCluster();
    assert.ok(server);
    const refused = new KubeConfig();
    refused.loadFromOptions({
      clusters: [{ name: "c", server: server.server, caData: server.caData }],
      users: [{ name: "u", token: "not-the-token" }],
      contexts: [{ name: "c", cluster: "c", user: "u" }],
      currentContext: "c",
    });
    await assert.rejects(wait("happy", { kubeConfig: refused }), (error: unknown) => {
      assert.ok(error instanceof WatchFailedError);
      assert.equal(error.statusCode, 401);
      return true;
    });
  });

  describe("through a proxy that cuts watches every 1.5 s and answers 1 in 5 requests with 429 or 503", () => {
    let faulty: KubeConfig;
    let stats: { watchesCut: number; throttled: number; unavailable: number };
    before(async () => {
      const { kubeConfig, proxy } = await cluster.throughFaultProxy({
        cutWatchesAfterMs: 1500,
        failEvery: 5,
      });
      faulty = kubeConfig;
      stats = proxy.stats;
    });

    test("a slow rollout completes as without faults", async () => {
      await cluster.apply(deployment("faulty-ok", { replicas: 3, script: { readyAfterMs: 60_000 } }));
      const retries: string[] = [];
      const outcome = await wait("faulty-ok", {
        kubeConfig: faulty,
        thresholds: signalThresholds({ readinessMarginMs: 120_000 }),
        onRetry: (reason) => retries.push(reason),
      });
      assert.equal(outcome.status, "complete", JSON.stringify(outcome));
      assert.ok(stats.watchesCut > 0, "watches were cut");
      assert.ok(stats.throttled > 0 && stats.unavailable > 0, "429 and 503 were injected");
      assert.ok(retries.length > 0, "the watches retried");
    });

    test("a crash loop fails with the same signal as without faults", async () => {
      await cluster.apply(
        deployment("faulty-crash", { script: { neverReady: true, crashExitCode: 1, crashAfterMs: 5000 } }),
      );
      assertFailed(
        await wait("faulty-crash", { kubeConfig: faulty, thresholds: patient }),
        "pod-signal",
        "CrashLoopBackOff",
      );
    });
  });

  // Two figures: a pod that crashes 5 s (platform time, 0.5 s real) after it starts, when every watch is long
  // established (the event path alone), and one that crashes at once (the wait's start-up included).
  // The pods never become ready, so the rollout cannot complete before the crash.
  for (const [label, crashAfterMs] of [
    ["crash after 5 s", 5000],
    ["crash at once", 0],
  ] as const)
    test(`latency, ${label}: first decisive signal seen by an independent watch -> waitForRollout returns`, async (t) => {
      const samples: number[] = [];
      for (let run = 0; run < 5; run++) {
        const name = `latency-${crashAfterMs}-${run}`;
        let seen: (at: number) => void = () => {};
        const firstSeen = new Promise<number>((resolve) => (seen = resolve));
        let found = false;
        const independent = await new Watch(cluster.kubeConfig).watch(
          `/api/v1/namespaces/${namespace}/pods`,
          { labelSelector: `app=${name}` },
          (_type: string, pod: V1Pod) => {
            if (found) return;
            found = podSignals([pod], undefined, patient, cluster.clock.now()).some(
              (signal) => signal.decisive,
            );
            if (found) seen(performance.now());
          },
          () => {},
        );
        await cluster.apply(
          deployment(name, { replicas: 1, script: { neverReady: true, crashExitCode: 1, crashAfterMs } }),
        );
        const outcome = await wait(name, { thresholds: patient });
        const returned = performance.now();
        assertFailed(outcome, "pod-signal", "CrashLoopBackOff");
        // The two streams are independent: the wait may even return first (a negative figure).
        const seenAt = await firstSeen;
        independent.abort();
        samples.push(returned - seenAt);
      }
      samples.sort((a, b) => a - b);
      t.diagnostic(
        `${label}: signal seen -> wait returned, ms: median ${samples[2]?.toFixed(1)}, max ${samples[4]?.toFixed(1)} (${samples.map((s) => s.toFixed(1)).join(", ")})`,
      );
    });
});
