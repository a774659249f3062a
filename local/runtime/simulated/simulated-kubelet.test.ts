// The kubelet (binding, env, image pulls, probes, restarts, status, termination) on the simulated runtime:
// scripted containers and a scaled clock make every path quick and repeatable.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { waitUntil } from "../../common/testing/wait-until.ts";
import type { Pod } from "../../kube/api/kinds.ts";
import { resources } from "../../kube/api/resources.ts";
import { scaledClock } from "../../kube/clock/clock.ts";
import { Kubelet } from "../../kube/kubelet/kubelet.ts";
import { MemoryStore } from "../../kube/store/memory-store.ts";
import { simAnnotation } from "./script.ts";
import { SimulatedRuntime } from "./simulated-runtime.ts";

// 100x: the 10 s crash back-off takes 100 ms, a 10 s probe period 100 ms.
const clock = scaledClock(100);
const store = new MemoryStore({ now: () => clock.now() });
const runtime = new SimulatedRuntime({ clock, registry: ["app:1"] });
const kubelet = new Kubelet({ store, clock, runtime });
kubelet.start();
after(async () => {
  await kubelet.stop();
  await runtime.close();
});

let counter = 0;
function createPod(
  annotations: Record<string, string>,
  spec: Partial<Pod["spec"]> = {},
  container: Partial<Pod["spec"]["containers"][number]> = {},
): string {
  const name = `pod-${++counter}`;
  store.create(resources.pods, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", annotations },
    spec: { containers: [{ name: "app", image: "app:1", ...container }], ...spec },
  });
  return name;
}

function pod(name: string): Pod | undefined {
  return store.get(resources.pods, "default", name);
}

const app = (name: string) => pod(name)?.status?.containerStatuses?.[0];
const condition = (name: string, type: string) => pod(name)?.status?.conditions?.find((c) => c.type === type);
const events = (name: string) =>
  store
    .list(resources.events, { namespace: "default" })
    .items.filter((event) => (event.involvedObject as { name: string }).name === name)
    .map((event) => `${event.reason}: ${event.message}`);

describe("kubelet with the simulated runtime", () => {
  test("the node registers as local-node, Ready", () => {
    const node = store.get(resources.nodes, undefined, "local-node");
    const conditions =
      (node?.status as { conditions: { type: string; status: string }[] } | undefined)?.conditions ?? [];
    assert.equal(conditions.find((c) => c.type === "Ready")?.status, "True");
  });

  test("a pod is bound, started and becomes Ready with realistic status", async () => {
    const name = createPod(
      { [simAnnotation.readyAfterMs]: "2000" },
      {},
      { readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } },
    );
    await waitUntil("Ready", () => condition(name, "Ready")?.status === "True", {
      describe: () => pod(name)?.status,
    });
    const current = pod(name);
    assert.equal(current?.spec.nodeName, "local-node");
    assert.equal(current?.status?.phase, "Running");
    assert.match(current?.status?.podIP ?? "", /^10\.244\./);
    assert.equal(current?.status?.hostIP, "127.0.0.1");
    assert.ok(current?.status?.startTime);
    const status = app(name);
    assert.equal(status?.ready, true);
    assert.equal(status?.started, true);
    assert.match(status?.containerID ?? "", /^containerd:\/\/[0-9a-f]{64}$/);
    assert.match(status?.imageID ?? "", /^docker-pullable:\/\/app@sha256:/);
    assert.ok(status?.state.running?.startedAt);
    // Ready came at least 2 s (clock) after the container started.
    const readySince = Date.parse(condition(name, "Ready")?.lastTransitionTime ?? "");
    assert.ok(readySince - Date.parse(status?.state.running?.startedAt ?? "") >= 1000);
    assert.ok(events(name).includes(`Scheduled: Successfully assigned default/${name} to local-node`));
    assert.ok(events(name).includes("Started: Started container app"));
  });

  test("a pod pinned by digest reports that digest in containerStatuses[].imageID", async () => {
    const digest = runtime.registry.resolve("app:1").split("@")[1] ?? "";
    const name = createPod({}, {}, { image: `app@${digest}` });
    const status = await waitUntil("running", () => app(name)?.state.running && app(name), {
      describe: () => app(name),
    });
    assert.equal(status.image, `app@${digest}`);
    assert.equal(status.imageID, `docker-pullable://app@${digest}`);
  });

  test("a crashing container: CrashLoopBackOff with the real message, doubling back-off, lastState, restartCount", async () => {
    const name = createPod({ [simAnnotation.crashExitCode]: "3" });
    const uid = pod(name)?.metadata.uid;
    const first = await waitUntil(
      "CrashLoopBackOff",
      () => app(name)?.state.waiting?.reason === "CrashLoopBackOff" && app(name),
      { describe: () => app(name) },
    );
    assert.equal(
      first.state.waiting?.message,
      `back-off 10s restarting failed container=app pod=${name}_default(${uid})`,
    );
    assert.equal(first.lastState.terminated?.exitCode, 3);
    assert.equal(first.lastState.terminated?.reason, "Error");
    assert.equal(first.restartCount, 1);
    assert.equal(first.ready, false);
    const second = await waitUntil(
      "back-off 20s",
      () => app(name)?.state.waiting?.message?.startsWith("back-off 20s") && app(name),
    );
    assert.equal(second.restartCount, 2);
    assert.equal(pod(name)?.status?.phase, "Running");
    assert.ok(
      events(name).includes(
        `BackOff: Back-off restarting failed container app in pod ${name}_default(${uid})`,
      ),
    );
  });

  test("an image that cannot be pulled: ErrImagePull, then ImagePullBackOff", async () => {
    const name = createPod({}, {}, { image: "app:missing" });
    const pulled = await waitUntil(
      "ErrImagePull",
      () => app(name)?.state.waiting?.reason === "ErrImagePull" && app(name),
    );
    assert.equal(
      pulled.state.waiting?.message,
      'rpc error: code = NotFound desc = failed to pull and unpack image "app:missing": failed to resolve reference "app:missing": app:missing: not found',
    );
    const backoff = await waitUntil(
      "ImagePullBackOff",
      () => app(name)?.state.waiting?.reason === "ImagePullBackOff" && app(name),
    );
    assert.equal(backoff.state.waiting?.message, 'Back-off pulling image "app:missing"');
    assert.equal(pod(name)?.status?.phase, "Pending");
    assert.ok(
      events(name).some((event) => event.startsWith('Failed: Failed to pull image "app:missing": rpc error')),
    );
  });

  test("a missing secret: CreateContainerConfigError until the secret exists", async () => {
    const name = createPod(
      {},
      {},
      { env: [{ name: "P", valueFrom: { secretKeyRef: { name: "late", key: "password" } } }] },
    );
    const waiting = await waitUntil(
      "CreateContainerConfigError",
      () => app(name)?.state.waiting?.reason === "CreateContainerConfigError" && app(name),
    );
    assert.equal(waiting.state.waiting?.message, 'secret "late" not found');
    store.create(resources.secrets, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "late", namespace: "default" },
      data: { other: "eA==" },
    });
    await waitUntil(
      "missing key message",
      () => app(name)?.state.waiting?.message === "couldn't find key password in Secret default/late",
    );
    store.update(resources.secrets, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "late", namespace: "default" },
      data: { password: "eA==" },
    });
    await waitUntil("running", () => app(name)?.state.running !== undefined, { describe: () => app(name) });
  });

  test("OOMKilled shows in lastState with exit code 137", async () => {
    const name = createPod({ [simAnnotation.oomAfterMs]: "100" });
    const status = await waitUntil(
      "OOMKilled",
      () => app(name)?.lastState.terminated?.reason === "OOMKilled" && app(name),
    );
    assert.equal(status.lastState.terminated?.exitCode, 137);
  });

  test("readiness that never passes: Running but not Ready, ContainersNotReady", async () => {
    const name = createPod(
      { [simAnnotation.neverReady]: "true" },
      {},
      { readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 } },
    );
    await waitUntil("running", () => app(name)?.state.running !== undefined);
    await waitUntil("a failed readiness probe", () =>
      events(name).includes("Unhealthy: Readiness probe failed: "),
    );
    const ready = condition(name, "Ready");
    assert.deepEqual(
      [ready?.status, ready?.reason, ready?.message],
      ["False", "ContainersNotReady", "containers with unready status: [app]"],
    );
    assert.equal(app(name)?.ready, false);
  });

  test("a startup probe holds liveness and readiness back; started turns true when it passes", async () => {
    const name = createPod(
      { [simAnnotation.readyAfterMs]: "30000" },
      {},
      {
        startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 1, failureThreshold: 60 },
        readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 },
      },
    );
    await waitUntil("running", () => app(name)?.state.running !== undefined);
    assert.equal(app(name)?.started, false);
    await waitUntil("started and ready", () => app(name)?.started === true && app(name)?.ready === true, {
      describe: () => app(name),
    });
    assert.equal(app(name)?.restartCount, 0);
  });

  test("a failing liveness probe restarts the container", async () => {
    const name = createPod(
      { [simAnnotation.livenessFailsAfterMs]: "2000" },
      {},
      { livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1, failureThreshold: 2 } },
    );
    await waitUntil("a restart", () => (app(name)?.restartCount ?? 0) >= 1, { describe: () => app(name) });
    assert.ok(events(name).includes("Killing: Container app failed liveness probe, will be restarted"));
  });

  test("restartPolicy Never: a failed container leaves the pod Failed", async () => {
    const name = createPod({ [simAnnotation.crashExitCode]: "1" }, { restartPolicy: "Never" });
    await waitUntil("Failed", () => pod(name)?.status?.phase === "Failed");
    assert.equal(app(name)?.state.terminated?.exitCode, 1);
    assert.equal(app(name)?.restartCount, 0);
  });

  test("graceful deletion: containers stop within the grace period, then the pod object goes", async () => {
    const name = createPod({ [simAnnotation.shutdownMs]: "3000" }, { terminationGracePeriodSeconds: 30 });
    await waitUntil("running", () => app(name)?.state.running !== undefined);
    store.delete(resources.pods, "default", name);
    assert.ok(pod(name)?.metadata.deletionTimestamp, "the pod stays while its containers stop");
    await waitUntil("the pod removed", () => pod(name) === undefined);
    assert.ok(events(name).includes("Killing: Stopping container app"));
  });
});
