import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { KubeObject } from "../api/meta.ts";
import { resources } from "../api/resources.ts";
import { MemoryStore } from "./memory-store.ts";
import { StoreError, type WatchEvent } from "./object-store.ts";

const deployments = { group: "apps", version: "v1", resource: "deployments" };
const replicasets = { group: "apps", version: "v1", resource: "replicasets" };
const pods = { group: "", version: "v1", resource: "pods" };
const configmaps = { group: "", version: "v1", resource: "configmaps" };
const namespaces = { group: "", version: "v1", resource: "namespaces" };

function deployment(
  name: string,
  image = "app:1",
  labels: Record<string, string> = { app: name },
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", labels },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } },
    },
  };
}

function owned(kind: "ReplicaSet" | "Pod", name: string, owner: KubeObject, nodeName?: string): KubeObject {
  const ownerReferences = [
    {
      apiVersion: owner.apiVersion,
      kind: owner.kind,
      name: owner.metadata.name ?? "",
      uid: owner.metadata.uid ?? "",
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const spec =
    kind === "Pod"
      ? { nodeName, containers: [{ name: "app", image: "app:1" }] }
      : {
          selector: { matchLabels: { app: "x" } },
          template: {
            metadata: { labels: { app: "x" } },
            spec: { containers: [{ name: "app", image: "app:1" }] },
          },
        };
  return {
    apiVersion: kind === "Pod" ? "v1" : "apps/v1",
    kind,
    metadata: { name, namespace: "default", ownerReferences },
    spec,
  };
}

function storeError(code: number, message: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof StoreError);
    assert.equal(error.code, code);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

/** Collects watch events; `next(n)` resolves once n events arrived. */
function collector() {
  const events: WatchEvent[] = [];
  let waiter: (() => void) | undefined;
  return {
    events,
    onEvent: (event: WatchEvent) => {
      events.push(event);
      waiter?.();
    },
    async next(count: number): Promise<WatchEvent[]> {
      while (events.length < count) await new Promise<void>((resolve) => (waiter = resolve));
      return events;
    },
  };
}

describe("MemoryStore object mechanics", () => {
  test("create assigns uid, resourceVersion, generation 1, creationTimestamp and the server's defaults", () => {
    const store = new MemoryStore({ now: () => new Date("2026-11-24T03:00:00.123Z") });
    const created = store.create(deployments, deployment("web"));
    assert.match(created.metadata.uid ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(created.metadata.generation, 1);
    assert.equal(String(created.metadata.creationTimestamp), "2026-11-24T03:00:00Z");
    assert.ok(Number(created.metadata.resourceVersion) > 0);
    const spec = created.spec as {
      replicas: number;
      strategy: unknown;
      revisionHistoryLimit: number;
      progressDeadlineSeconds: number;
    };
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.strategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" },
    });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
  });

  test("every write takes a new, higher resourceVersion from one global counter", () => {
    const store = new MemoryStore();
    const a = store.create(configmaps, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a", namespace: "default" },
    });
    const b = store.create(deployments, deployment("b"));
    assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    assert.equal(store.resourceVersion, b.metadata.resourceVersion);
  });

  test("generation moves on spec changes only, not on metadata or status writes", () => {
    const store = new MemoryStore();
    const created = store.create(deployments, deployment("web"));
    const labelled = store.update(deployments, {
      ...created,
      metadata: { ...created.metadata, labels: { tier: "x" } },
    });
    assert.equal(labelled.metadata.generation, 1);
    assert.notEqual(labelled.metadata.resourceVersion, created.metadata.resourceVersion);
    const status = store.update(
      deployments,
      { ...labelled, status: { observedGeneration: 1 } },
      { subresource: "status" },
    );
    assert.equal(status.metadata.generation, 1);
    assert.deepEqual(status.status, { observedGeneration: 1 });
    const respec = store.update(deployments, {
      ...status,
      spec: { ...(status.spec as object), replicas: 3 },
    });
    assert.equal(respec.metadata.generation, 2);
    assert.deepEqual(
      respec.status,
      { observedGeneration: 1 },
      "a main-resource update keeps the stored status",
    );
  });

  test("an update that changes nothing keeps the resourceVersion", () => {
    const store = new MemoryStore();
    const created = store.create(deployments, deployment("web"));
    const same = store.update(deployments, created);
    assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  test("a stale resourceVersion gives 409 with the real message", () => {
    const store = new MemoryStore();
    const created = store.create(deployments, deployment("x"));
    store.update(deployments, { ...created, spec: { ...(created.spec as object), replicas: 2 } });
    assert.throws(
      () => store.update(deployments, { ...created, spec: { ...(created.spec as object), replicas: 5 } }),
      storeError(
        409,
        'Operation cannot be fulfilled on deployments.apps "x": the object has been modified; please apply your changes to the latest version and try again',
      ),
    );
  });

  test("create of an existing name is 409 AlreadyExists, get/update/delete of a missing one 404", () => {
    const store = new MemoryStore();
    store.create(deployments, deployment("x"));
    assert.throws(
      () => store.create(deployments, deployment("x")),
      storeError(409, 'deployments.apps "x" already exists'),
    );
    assert.throws(
      () => store.update(deployments, deployment("y")),
      storeError(404, 'deployments.apps "y" not found'),
    );
    assert.throws(() => store.delete(pods, "default", "nope"), storeError(404, 'pods "nope" not found'));
    assert.equal(store.get(deployments, "default", "nope"), undefined);
  });

  test("names are validated and generateName gets a random suffix", () => {
    const store = new MemoryStore();
    assert.throws(
      () => store.create(deployments, deployment("Bad_Name")),
      storeError(
        422,
        /^Deployment\.apps "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
      ),
    );
    const pod = store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { generateName: "web-abc-", namespace: "default" },
      spec: { containers: [{ name: "a", image: "a:1" }] },
    });
    assert.match(pod.metadata.name ?? "", /^web-abc-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(pod.status, { phase: "Pending", qosClass: "BestEffort" });
  });

  test("creating in a missing namespace is 404 namespaces not found", () => {
    const store = new MemoryStore();
    const object = deployment("x");
    object.metadata.namespace = "ghost";
    assert.throws(() => store.create(deployments, object), storeError(404, 'namespaces "ghost" not found'));
  });

  test("dryRun computes the result without storing it", () => {
    const store = new MemoryStore();
    const before = store.resourceVersion;
    const dry = store.create(deployments, deployment("x"), { dryRun: true });
    assert.equal(dry.metadata.generation, 1);
    assert.equal(store.get(deployments, "default", "x"), undefined);
    assert.equal(store.resourceVersion, before);
  });
});

describe("MemoryStore deletion", () => {
  test("a running pod gets deletionTimestamp and stays until deleted with grace 0", () => {
    const store = new MemoryStore({ now: () => new Date("2026-11-24T03:00:00Z") });
    store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "default" },
      spec: { nodeName: "local", containers: [{ name: "a", image: "a:1" }] },
    });
    const marked = store.delete(pods, "default", "p");
    assert.equal(String(marked?.metadata.deletionTimestamp), "2026-11-24T03:00:30Z");
    assert.equal(marked?.metadata.deletionGracePeriodSeconds, 30);
    assert.ok(store.get(pods, "default", "p"));
    store.delete(pods, "default", "p", { gracePeriodSeconds: 0 });
    assert.equal(store.get(pods, "default", "p"), undefined);
  });

  test("a pod never bound to a node goes at once", () => {
    const store = new MemoryStore();
    store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "default" },
      spec: { containers: [{ name: "a", image: "a:1" }] },
    });
    store.delete(pods, "default", "p");
    assert.equal(store.get(pods, "default", "p"), undefined);
  });

  test("background propagation deletes dependents after the owner", () => {
    const store = new MemoryStore();
    const owner = store.create(deployments, deployment("web"));
    const rs = store.create(replicasets, owned("ReplicaSet", "web-1", owner));
    store.create(pods, owned("Pod", "web-1-a", rs));
    store.delete(deployments, "default", "web");
    assert.equal(store.get(deployments, "default", "web"), undefined);
    assert.equal(store.get(replicasets, "default", "web-1"), undefined);
    assert.equal(store.get(pods, "default", "web-1-a"), undefined);
  });

  test("orphan propagation keeps dependents and removes their ownerReference", () => {
    const store = new MemoryStore();
    const owner = store.create(deployments, deployment("web"));
    store.create(replicasets, owned("ReplicaSet", "web-1", owner));
    store.delete(deployments, "default", "web", { propagationPolicy: "Orphan" });
    const rs = store.get(replicasets, "default", "web-1");
    assert.ok(rs);
    assert.equal(rs.metadata.ownerReferences, undefined);
  });

  test("foreground propagation keeps the owner until its last dependent is gone", () => {
    const store = new MemoryStore();
    const owner = store.create(deployments, deployment("web"));
    const rs = store.create(replicasets, owned("ReplicaSet", "web-1", owner));
    store.create(pods, owned("Pod", "web-1-a", rs, "local"));
    store.delete(deployments, "default", "web", { propagationPolicy: "Foreground" });
    const waiting = store.get(deployments, "default", "web");
    assert.deepEqual(waiting?.metadata.finalizers, ["foregroundDeletion"]);
    assert.ok(waiting?.metadata.deletionTimestamp);
    assert.ok(
      store.get(pods, "default", "web-1-a")?.metadata.deletionTimestamp,
      "the pod terminates gracefully",
    );
    store.delete(pods, "default", "web-1-a", { gracePeriodSeconds: 0 });
    assert.equal(store.get(replicasets, "default", "web-1"), undefined);
    assert.equal(store.get(deployments, "default", "web"), undefined);
  });

  test("finalizers hold an object until an update removes the last one", () => {
    const store = new MemoryStore();
    store.create(configmaps, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", namespace: "default", finalizers: ["example.com/hold"] },
    });
    store.delete(configmaps, "default", "c");
    const held = store.get(configmaps, "default", "c");
    assert.ok(held?.metadata.deletionTimestamp);
    store.update(configmaps, { ...held, metadata: { ...held.metadata, finalizers: [] } } as KubeObject);
    assert.equal(store.get(configmaps, "default", "c"), undefined);
  });

  test("a delete precondition on a stale uid is 409", () => {
    const store = new MemoryStore();
    const created = store.create(deployments, deployment("x"));
    assert.throws(
      () => store.delete(deployments, "default", "x", { preconditions: { uid: "other" } }),
      storeError(
        409,
        `Precondition failed: UID in precondition: other, UID in object meta: ${created.metadata.uid}`,
      ),
    );
  });

  test("deleting a namespace deletes its content; creating in it meanwhile is 403", () => {
    const store = new MemoryStore();
    store.create(namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
    const object = deployment("x");
    object.metadata.namespace = "team";
    store.create(deployments, object);
    store.create(pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "team" },
      spec: { nodeName: "local", containers: [{ name: "a", image: "a:1" }] },
    });
    store.delete(namespaces, undefined, "team");
    assert.equal(
      (store.get(namespaces, undefined, "team")?.status as { phase?: string } | undefined)?.phase,
      "Terminating",
    );
    assert.throws(
      () => store.create(deployments, { ...object, metadata: { name: "z", namespace: "team" } }),
      storeError(403, "unable to create new content in namespace team because it is being terminated"),
    );
    assert.equal(store.get(deployments, "team", "x"), undefined);
    store.delete(pods, "team", "p", { gracePeriodSeconds: 0 });
    assert.equal(store.get(namespaces, undefined, "team"), undefined);
  });
});

describe("MemoryStore list and watch", () => {
  test("list filters by namespace, matchLabels, set-based labelSelector and fieldSelector", () => {
    const store = new MemoryStore();
    store.create(deployments, deployment("a", "x:1", { app: "a", tier: "web" }));
    store.create(deployments, deployment("b", "x:1", { app: "b", tier: "db" }));
    store.create(deployments, deployment("c", "x:1", { app: "c" }));
    const names = (options: object) =>
      store.list(deployments, options).items.map((item) => item.metadata.name);
    assert.deepEqual(names({ matchLabels: { tier: "web" } }), ["a"]);
    assert.deepEqual(names({ labelSelector: "tier in (web,db)" }), ["a", "b"]);
    assert.deepEqual(names({ labelSelector: "tier notin (web)" }), ["b", "c"]);
    assert.deepEqual(names({ labelSelector: "!tier" }), ["c"]);
    assert.deepEqual(names({ labelSelector: "tier,app!=a" }), ["b"]);
    assert.deepEqual(names({ fieldSelector: "metadata.name=b" }), ["b"]);
    assert.deepEqual(names({ namespace: "kube-system" }), []);
    assert.throws(
      () => names({ fieldSelector: "spec.replicas=1" }),
      storeError(400, "field label not supported: spec.replicas"),
    );
  });

  test("watch delivers ADDED, MODIFIED, DELETED in order, and selector transitions", async () => {
    const store = new MemoryStore();
    const seen = collector();
    const stop = store.watch(deployments, { labelSelector: "tier=web" }, seen.onEvent);
    const created = store.create(deployments, deployment("a", "x:1", { tier: "web" }));
    const moved = store.update(deployments, {
      ...created,
      metadata: { ...created.metadata, labels: { tier: "db" } },
    });
    store.update(deployments, { ...moved, metadata: { ...moved.metadata, labels: { tier: "web" } } });
    store.delete(deployments, "default", "a");
    const events = await seen.next(4);
    assert.deepEqual(
      events.map((event) => event.type),
      ["ADDED", "DELETED", "ADDED", "DELETED"],
    );
    stop();
  });

  test("watch resumes after a resourceVersion and a version older than the history is 410 Expired", async () => {
    const store = new MemoryStore({ historyLimit: 3 });
    const start = store.resourceVersion;
    for (const name of ["a", "b", "c", "d", "e"]) store.create(deployments, deployment(name));
    assert.throws(
      () => store.watch(deployments, { resourceVersion: start }, () => {}),
      storeError(410, /^too old resource version: \d+ \(\d+\)$/),
    );
    const fromC = store.get(deployments, "default", "c")?.metadata.resourceVersion ?? "";
    const seen = collector();
    const stop = store.watch(deployments, { resourceVersion: fromC }, seen.onEvent);
    const events = await seen.next(2);
    assert.deepEqual(
      events.map((event) => event.object.metadata.name),
      ["d", "e"],
    );
    stop();
  });
});

describe("MemoryStore persistence", () => {
  test("state survives a restart, including after compaction and without close", () => {
    const dir = mkdtempSync(join(tmpdir(), "store-"));
    try {
      const first = new MemoryStore({ stateDir: dir, compactEvery: 3 });
      for (const name of ["a", "b", "c", "d"]) first.create(deployments, deployment(name));
      first.delete(deployments, "default", "b");
      const rv = first.resourceVersion;
      const second = new MemoryStore({ stateDir: dir });
      assert.deepEqual(
        second.list(deployments).items.map((item) => item.metadata.name),
        ["a", "c", "d"],
      );
      assert.equal(second.resourceVersion, rv);
      second.create(deployments, deployment("e"));
      second.close();
      const third = new MemoryStore({ stateDir: dir });
      assert.equal(third.list(deployments).items.length, 4);
      assert.ok(Number(third.resourceVersion) > Number(rv));
      third.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a CustomResourceDefinition registers its kind, also after a restart", () => {
    const dir = mkdtempSync(join(tmpdir(), "store-"));
    try {
      const crd = {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "widgets.example.com" },
        spec: {
          group: "example.com",
          scope: "Namespaced",
          names: { kind: "Widget", plural: "widgets" },
          versions: [{ name: "v1", served: true, storage: true }],
        },
      };
      const first = new MemoryStore({ stateDir: dir });
      first.create(
        { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" },
        crd,
      );
      first.close();
      const second = new MemoryStore({ stateDir: dir });
      const widgets = { group: "example.com", version: "v1", resource: "widgets" };
      second.create(widgets, {
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w", namespace: "default" },
        spec: { size: 1 },
      });
      assert.equal(second.get(widgets, "default", "w")?.kind, "Widget");
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a read through a typed resource checks the stored kind: a state file that holds another fails by name", () => {
    const dir = mkdtempSync(join(tmpdir(), "store-"));
    try {
      const first = new MemoryStore({ stateDir: dir });
      first.create(deployments, deployment("web"));
      // Typed: the Deployment's template reads without a cast.
      const web = first.get(resources.deployments, "default", "web");
      assert.equal(web?.spec.template.spec.containers[0]?.image, "app:1");
      first.close();
      const snapshot = join(dir, "objects.snapshot.json");
      writeFileSync(snapshot, readFileSync(snapshot, "utf8").replace('"kind":"Deployment"', '"kind":"Pod"'));
      const second = new MemoryStore({ stateDir: dir });
      assert.throws(() => second.get(resources.deployments, "default", "web"), {
        message: 'deployments.apps "web" is stored as apps/v1 Pod, not apps/v1 Deployment',
      });
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
