// The controllers and the kubelet together against the real in-memory store, on the simulated runtime and
// a clock 100x faster (a 10 s progress deadline takes 100 ms).
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { waitUntil } from "../../common/testing/wait-until.ts";
import type { Deployment } from "../../kube/api/kinds.ts";
import { resources } from "../../kube/api/resources.ts";
import { scaledClock } from "../../kube/clock/clock.ts";
import { getCondition } from "../../kube/controllers/api/conditions.ts";
import { startControlPlane } from "../../kube/controllers/control-plane.ts";
import { safeAlphabet } from "../../kube/controllers/deployment/hash.ts";
import { MemoryStore } from "../../kube/store/memory-store.ts";
import { simAnnotation } from "./script.ts";
import { SimulatedRuntime } from "./simulated-runtime.ts";

const clock = scaledClock(100);
const store = new MemoryStore({ now: () => clock.now() });
const runtime = new SimulatedRuntime({ clock, registry: ["web:1", "web:2", "web:3"] });
const controlPlane = startControlPlane({ store, clock, runtime });
after(async () => {
  await controlPlane.stop();
  await runtime.close();
});

interface Options {
  replicas?: number;
  image?: string;
  annotations?: Record<string, string>;
  strategy?: Deployment["spec"]["strategy"];
  progressDeadlineSeconds?: number;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

function manifest(name: string, options: Options = {}): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas: options.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      strategy: options.strategy ?? {
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      },
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      ...(options.minReadySeconds ? { minReadySeconds: options.minReadySeconds } : {}),
      ...(options.revisionHistoryLimit !== undefined
        ? { revisionHistoryLimit: options.revisionHistoryLimit }
        : {}),
      template: {
        metadata: {
          labels: { app: name },
          annotations: { [simAnnotation.readyAfterMs]: "1000", ...options.annotations },
        },
        spec: {
          containers: [
            {
              name: "web",
              image: options.image ?? "web:1",
              readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}

const get = (name: string) => store.get(resources.deployments, "default", name);
const replicaSets = (name: string) =>
  store
    .list(resources.replicasets, { namespace: "default", matchLabels: { app: name } })
    .items.sort(
      (a, b) =>
        Number(a.metadata.annotations?.["deployment.kubernetes.io/revision"]) -
        Number(b.metadata.annotations?.["deployment.kubernetes.io/revision"]),
    );
const pods = (name: string) =>
  store.list(resources.pods, { namespace: "default", matchLabels: { app: name } }).items;
const revision = (object: { metadata: { annotations?: Record<string, string> } } | undefined) =>
  object?.metadata.annotations?.["deployment.kubernetes.io/revision"];
const progressing = (name: string) => getCondition(get(name)?.status?.conditions, "Progressing");
const events = (name: string) =>
  store
    .list(resources.events, { namespace: "default" })
    .items.filter((event) => (event.involvedObject as { name: string }).name === name)
    .map((event) => event.message as string);

function apply(deployment: Deployment): void {
  const existing = get(deployment.metadata.name);
  if (!existing) {
    store.create(resources.deployments, deployment);
    return;
  }
  store.update(resources.deployments, { ...existing, spec: deployment.spec });
}

function edit(name: string, change: (d: Deployment) => void): void {
  const current = get(name);
  assert.ok(current);
  change(current);
  store.update(resources.deployments, current);
}

/** rollout status's success test (docs/rollout-semantics.md 1.3). */
function rolledOut(name: string): boolean {
  const d = get(name);
  const s = d?.status;
  if (!d || !s || (d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return false;
  const replicas = d.spec.replicas ?? 1;
  return (
    (s.updatedReplicas ?? 0) >= replicas &&
    (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0)
  );
}

const describeState = (name: string) => () => ({
  status: get(name)?.status,
  sets: replicaSets(name).map((rs) => [rs.metadata.name, rs.spec.replicas, rs.status]),
});

describe("deployment controller with ReplicaSets, pods and the kubelet", () => {
  test("a new Deployment: ReplicaSet <name>-<hash>, pods <rs>-<5>, revision 1, complete status and conditions (3.2, 3.6, 3.7)", async () => {
    const conditions: string[] = [];
    const stop = store.watch(resources.deployments, { namespace: "default" }, ({ object }) => {
      const condition = getCondition(object.status?.conditions, "Progressing");
      if (object.metadata.name === "first" && condition)
        conditions.push(`${condition.reason}: ${condition.message}`);
    });
    apply(manifest("first"));
    await waitUntil("rolled out", () => rolledOut("first"), { describe: describeState("first") });
    stop();
    const [rs] = replicaSets("first");
    assert.ok(rs);
    const hash = rs.metadata.labels?.["pod-template-hash"] ?? "";
    assert.match(hash, new RegExp(`^[${safeAlphabet}]{1,10}$`));
    assert.equal(rs.metadata.name, `first-${hash}`);
    assert.equal(rs.spec.selector.matchLabels?.["pod-template-hash"], hash);
    assert.equal(rs.spec.template.metadata?.labels?.["pod-template-hash"], hash);
    assert.deepEqual(
      [
        revision(rs),
        rs.metadata.annotations?.["deployment.kubernetes.io/desired-replicas"],
        rs.metadata.annotations?.["deployment.kubernetes.io/max-replicas"],
      ],
      ["1", "3", "4"],
    );
    const owner = rs.metadata.ownerReferences?.[0];
    assert.deepEqual(
      [owner?.kind, owner?.name, owner?.controller, owner?.uid],
      ["Deployment", "first", true, get("first")?.metadata.uid],
    );
    assert.equal(revision(get("first")), "1");
    for (const pod of pods("first")) {
      assert.match(pod.metadata.name, new RegExp(`^first-${hash}-[${safeAlphabet}]{5}$`));
      assert.equal(pod.metadata.ownerReferences?.[0]?.name, rs.metadata.name);
    }
    const status = get("first")?.status;
    assert.deepEqual(
      [
        status?.replicas,
        status?.updatedReplicas,
        status?.readyReplicas,
        status?.availableReplicas,
        status?.observedGeneration,
      ],
      [3, 3, 3, 3, get("first")?.metadata.generation],
    );
    assert.equal(getCondition(status?.conditions, "Available")?.reason, "MinimumReplicasAvailable");
    assert.deepEqual(
      [progressing("first")?.status, progressing("first")?.reason, progressing("first")?.message],
      ["True", "NewReplicaSetAvailable", `ReplicaSet "${rs.metadata.name}" has successfully progressed.`],
    );
    assert.ok(events("first").includes(`Scaled up replica set ${rs.metadata.name} from 0 to 3`));
    assert.equal(conditions[0], `NewReplicaSetCreated: Created new replica set "${rs.metadata.name}"`);
  });

  test("a rolling update with maxSurge 1 / maxUnavailable 0 never exceeds 4 pods nor drops below 3 available (3.4, 3.5)", async () => {
    apply(manifest("rolling"));
    await waitUntil("rolled out", () => rolledOut("rolling"));
    let maxPods = 0;
    let minAvailable = Number.POSITIVE_INFINITY;
    const stopPods = store.watch(
      resources.pods,
      { namespace: "default", matchLabels: { app: "rolling" } },
      () => {
        maxPods = Math.max(maxPods, pods("rolling").filter((pod) => !pod.metadata.deletionTimestamp).length);
      },
    );
    const stopDeployments = store.watch(resources.deployments, { namespace: "default" }, ({ object }) => {
      if (object.metadata.name === "rolling")
        minAvailable = Math.min(minAvailable, object.status?.availableReplicas ?? 0);
    });
    apply(manifest("rolling", { image: "web:2" }));
    await waitUntil("rolled out v2", () => revision(get("rolling")) === "2" && rolledOut("rolling"), {
      describe: describeState("rolling"),
    });
    stopPods();
    stopDeployments();
    assert.equal(maxPods, 4);
    assert.equal(minAvailable, 3);
    const [old, current] = replicaSets("rolling");
    assert.deepEqual(
      [revision(old), old?.spec.replicas, revision(current), current?.spec.replicas],
      ["1", 0, "2", 3],
    );
    const messages = events("rolling");
    assert.ok(messages.includes(`Scaled up replica set ${current?.metadata.name} from 0 to 1`));
    assert.ok(messages.includes(`Scaled down replica set ${old?.metadata.name} from 3 to 2`));
    assert.ok(messages.includes(`Scaled down replica set ${old?.metadata.name} from 1 to 0`));
  });

  test("an undo reuses the old ReplicaSet: revisions 1,2,3, undo to 2 -> revision 4, revision-history 2 (3.3)", async () => {
    apply(manifest("undo"));
    await waitUntil("v1", () => rolledOut("undo"));
    apply(manifest("undo", { image: "web:2" }));
    await waitUntil("v2", () => revision(get("undo")) === "2" && rolledOut("undo"));
    apply(manifest("undo", { image: "web:3" }));
    await waitUntil("v3", () => revision(get("undo")) === "3" && rolledOut("undo"));
    const two = replicaSets("undo").find((rs) => revision(rs) === "2");
    assert.ok(two);
    // What kubectl rollout undo writes: the ReplicaSet's template without pod-template-hash.
    const template = structuredClone(two.spec.template);
    delete template.metadata?.labels?.["pod-template-hash"];
    const reasons = new Set<string>();
    const stop = store.watch(resources.deployments, { namespace: "default" }, ({ object }) => {
      const reason = getCondition(object.status?.conditions, "Progressing")?.reason;
      if (object.metadata.name === "undo" && reason) reasons.add(reason);
    });
    edit("undo", (d) => {
      d.spec.template = template;
    });
    await waitUntil("revision 4", () => revision(get("undo")) === "4" && rolledOut("undo"), {
      describe: describeState("undo"),
    });
    const reused = replicaSets("undo").find((rs) => rs.metadata.uid === two.metadata.uid);
    assert.equal(revision(reused), "4");
    assert.equal(reused?.metadata.annotations?.["deployment.kubernetes.io/revision-history"], "2");
    assert.equal(replicaSets("undo").length, 3, "no new ReplicaSet (2.5)");
    stop();
    // A Progressing condition existed: the reused ReplicaSet is not announced as FoundNewReplicaSet (3.3).
    assert.ok(!reasons.has("FoundNewReplicaSet"));
    assert.ok(!reasons.has("NewReplicaSetCreated"));
  });

  test("no progress within progressDeadlineSeconds: Progressing False ProgressDeadlineExceeded (3.7)", async () => {
    apply(
      manifest("stuck", {
        replicas: 2,
        progressDeadlineSeconds: 10,
        annotations: { [simAnnotation.neverReady]: "true" },
      }),
    );
    const condition = await waitUntil(
      "deadline exceeded",
      () => progressing("stuck")?.reason === "ProgressDeadlineExceeded" && progressing("stuck"),
      {
        describe: describeState("stuck"),
      },
    );
    const [rs] = replicaSets("stuck");
    assert.equal(condition.status, "False");
    assert.equal(condition.message, `ReplicaSet "${rs?.metadata.name}" has timed out progressing.`);
    // Measured with the platform clock: at least the deadline after the last progress.
    assert.ok(
      Date.parse(condition.lastUpdateTime ?? "") >=
        Date.parse(getCondition(get("stuck")?.status?.conditions, "Available")?.lastTransitionTime ?? "") +
          9000,
    );
    assert.equal(getCondition(get("stuck")?.status?.conditions, "Available")?.status, "False");
  });

  test("minReadySeconds: ready pods count as available only after that long (3.9)", async () => {
    apply(manifest("patient", { replicas: 1, minReadySeconds: 30 }));
    await waitUntil("ready", () => get("patient")?.status?.readyReplicas === 1);
    const ready = pods("patient")[0];
    const readySince = Date.parse(getCondition(ready?.status?.conditions, "Ready")?.lastTransitionTime ?? "");
    assert.equal(get("patient")?.status?.availableReplicas ?? 0, 0);
    await waitUntil("available", () => get("patient")?.status?.availableReplicas === 1);
    assert.ok(clock.now().getTime() >= readySince + 30_000);
  });

  test("revisionHistoryLimit: the oldest scaled-down ReplicaSets beyond the limit are deleted (3.8)", async () => {
    apply(manifest("history", { replicas: 1, revisionHistoryLimit: 1 }));
    await waitUntil("v1", () => rolledOut("history"));
    apply(manifest("history", { replicas: 1, revisionHistoryLimit: 1, image: "web:2" }));
    await waitUntil("v2", () => revision(get("history")) === "2" && rolledOut("history"));
    apply(manifest("history", { replicas: 1, revisionHistoryLimit: 1, image: "web:3" }));
    await waitUntil(
      "v3 and cleanup",
      () => revision(get("history")) === "3" && rolledOut("history") && replicaSets("history").length === 2,
      {
        describe: describeState("history"),
      },
    );
    assert.deepEqual(replicaSets("history").map(revision), ["2", "3"]);
  });

  test("a paused Deployment scales but does not roll out; resuming rolls out (3.1)", async () => {
    apply(manifest("paused", { replicas: 2 }));
    await waitUntil("v1", () => rolledOut("paused"));
    edit("paused", (d) => {
      d.spec.paused = true;
    });
    await waitUntil("paused condition", () => progressing("paused")?.reason === "DeploymentPaused");
    assert.deepEqual(
      [progressing("paused")?.status, progressing("paused")?.message],
      ["Unknown", "Deployment is paused"],
    );
    edit("paused", (d) => {
      d.spec.template.spec.containers[0] = {
        ...d.spec.template.spec.containers[0],
        name: "web",
        image: "web:2",
      };
      d.spec.replicas = 3;
    });
    await waitUntil(
      "scaled while paused",
      () =>
        replicaSets("paused")[0]?.spec.replicas === 3 &&
        get("paused")?.status?.observedGeneration === get("paused")?.metadata.generation,
    );
    assert.equal(replicaSets("paused").length, 1, "no new ReplicaSet while paused");
    edit("paused", (d) => {
      d.spec.paused = false;
    });
    await waitUntil("resumed and rolled out", () => revision(get("paused")) === "2" && rolledOut("paused"), {
      describe: describeState("paused"),
    });
  });

  test("a scaling event resizes the active ReplicaSet with a ScalingReplicaSet event", async () => {
    apply(manifest("scaled", { replicas: 2 }));
    await waitUntil("rolled out", () => rolledOut("scaled"));
    edit("scaled", (d) => {
      d.spec.replicas = 4;
    });
    await waitUntil(
      "4 available",
      () => get("scaled")?.status?.availableReplicas === 4 && rolledOut("scaled"),
    );
    const [rs] = replicaSets("scaled");
    assert.ok(events("scaled").includes(`Scaled up replica set ${rs?.metadata.name} from 2 to 4`));
    assert.equal(rs?.metadata.annotations?.["deployment.kubernetes.io/desired-replicas"], "4");
  });

  test("Recreate: every old pod is gone before a new one is created", async () => {
    const recreate = { type: "Recreate" as const };
    apply(
      manifest("recreate", {
        replicas: 2,
        strategy: recreate,
        annotations: { [simAnnotation.shutdownMs]: "2000" },
      }),
    );
    await waitUntil("v1", () => rolledOut("recreate"));
    let overlap = false;
    const stop = store.watch(
      resources.pods,
      { namespace: "default", matchLabels: { app: "recreate" } },
      () => {
        const hashes = new Set(pods("recreate").map((pod) => pod.metadata.labels?.["pod-template-hash"]));
        if (hashes.size > 1) overlap = true;
      },
    );
    apply(
      manifest("recreate", {
        replicas: 2,
        strategy: recreate,
        image: "web:2",
        annotations: { [simAnnotation.shutdownMs]: "2000" },
      }),
    );
    await waitUntil("v2", () => revision(get("recreate")) === "2" && rolledOut("recreate"), {
      describe: describeState("recreate"),
    });
    stop();
    assert.equal(overlap, false);
  });

  test("the ReplicaSet controller replaces a deleted pod; deleting the Deployment collects everything", async () => {
    apply(manifest("replace", { replicas: 2 }));
    await waitUntil("rolled out", () => rolledOut("replace"));
    const [victim] = pods("replace");
    assert.ok(victim);
    store.delete(resources.pods, "default", victim.metadata.name);
    await waitUntil("replacement ready", () => {
      const live = pods("replace").filter((pod) => !pod.metadata.deletionTimestamp);
      return (
        live.length === 2 &&
        !live.some((pod) => pod.metadata.uid === victim.metadata.uid) &&
        get("replace")?.status?.availableReplicas === 2
      );
    });
    store.delete(resources.deployments, "default", "replace");
    await waitUntil(
      "ReplicaSets and pods gone",
      () => replicaSets("replace").length === 0 && pods("replace").length === 0,
    );
  });

  test("EndpointSlice: ready pods are ready endpoints; a terminating pod is terminating and not ready", async () => {
    apply(manifest("backend", { replicas: 2, annotations: { [simAnnotation.shutdownMs]: "5000" } }));
    store.create(resources.services, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "backend", namespace: "default" },
      spec: { selector: { app: "backend" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
    });
    const slice = () =>
      store.list(resources.endpointslices, {
        namespace: "default",
        matchLabels: { "kubernetes.io/service-name": "backend" },
      }).items[0];
    type Endpoints = {
      addresses: string[];
      conditions: { ready: boolean; serving: boolean; terminating: boolean };
      targetRef: { name: string };
    }[];
    const endpoints = () => (slice()?.endpoints ?? []) as Endpoints;
    await waitUntil("two ready endpoints", () => endpoints().filter((e) => e.conditions.ready).length === 2, {
      describe: () => slice(),
    });
    assert.equal(slice()?.addressType, "IPv4");
    assert.deepEqual(slice()?.ports, [{ name: "http", port: 8080, protocol: "TCP" }]);
    assert.equal(slice()?.metadata.ownerReferences?.[0]?.name, "backend");
    const [leaving] = pods("backend");
    assert.ok(leaving);
    store.delete(resources.pods, "default", leaving.metadata.name);
    const endpoint = await waitUntil("terminating endpoint", () =>
      endpoints().find((e) => e.targetRef.name === leaving.metadata.name && e.conditions.terminating),
    );
    assert.deepEqual(endpoint.conditions, { ready: false, serving: true, terminating: true });
  });
});
