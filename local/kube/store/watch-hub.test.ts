import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { WatchEvent } from "./object-store.ts";
import { StoreError } from "./object-store.ts";
import { labelPredicate, type ObjectPredicate, parseLabelSelector } from "./selectors.ts";
import { WatchHub } from "./watch-hub.ts";

type Change = Parameters<WatchHub["publish"]>[0];

const podsKey = "/pods";
const everything: ObjectPredicate = () => true;

const pod = (name: string, labels: Record<string, string> = {}, rv = "1") => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", labels, resourceVersion: rv },
});

const added = (rv: number, name: string, labels?: Record<string, string>): Change => ({
  rv,
  key: podsKey,
  type: "ADDED",
  object: pod(name, labels, String(rv)),
});

/**
 * Resolves after the hub's pending deliveries: the hub hands events over in a microtask queued at publish,
 * and microtasks run in the order they were queued.
 */
const delivered = () => new Promise<void>((resolve) => queueMicrotask(resolve));

/** A watcher that keeps what it receives as "TYPE name@rv". */
function recorder(): { seen: string[]; onEvent: (event: WatchEvent) => void } {
  const seen: string[] = [];
  return {
    seen,
    onEvent: ({ type, object }) =>
      seen.push(`${type} ${object.metadata.name}@${object.metadata.resourceVersion}`),
  };
}

describe("WatchHub fan-out", () => {
  test("every watcher of a resource gets each change, in order; other resources' watchers get none", async () => {
    const hub = new WatchHub(100, 0);
    const first = recorder();
    const second = recorder();
    const services = recorder();
    hub.subscribe(podsKey, everything, undefined, first.onEvent);
    hub.subscribe(podsKey, everything, undefined, second.onEvent);
    hub.subscribe("/services", everything, undefined, services.onEvent);
    hub.publish(added(1, "a"));
    hub.publish({ rv: 2, key: podsKey, type: "MODIFIED", object: pod("a", {}, "2"), previous: pod("a") });
    hub.publish({ rv: 3, key: podsKey, type: "DELETED", object: pod("a", {}, "3") });
    await delivered();
    assert.deepEqual(first.seen, ["ADDED a@1", "MODIFIED a@2", "DELETED a@3"]);
    assert.deepEqual(second.seen, first.seen);
    assert.deepEqual(services.seen, []);
    assert.equal(hub.watcherCount, 3);
  });

  test("events arrive after the write returns, not during it", async () => {
    const hub = new WatchHub(100, 0);
    const watcher = recorder();
    hub.subscribe(podsKey, everything, undefined, watcher.onEvent);
    hub.publish(added(1, "a"));
    assert.deepEqual(watcher.seen, [], "nothing is delivered synchronously");
    await delivered();
    assert.deepEqual(watcher.seen, ["ADDED a@1"]);
  });

  test("a watcher that publishes from its callback sees its own change after the current one", async () => {
    const hub = new WatchHub(100, 0);
    const seen: string[] = [];
    hub.subscribe(podsKey, everything, undefined, ({ type, object }) => {
      seen.push(`${type} ${object.metadata.name}`);
      if (object.metadata.name === "a") hub.publish(added(2, "b"));
    });
    hub.publish(added(1, "a"));
    await delivered();
    await delivered();
    assert.deepEqual(seen, ["ADDED a", "ADDED b"]);
  });

  test("each watcher gets its own copy, unaffected by later changes to the published object", async () => {
    const hub = new WatchHub(100, 0);
    const objects: WatchEvent["object"][] = [];
    hub.subscribe(podsKey, everything, undefined, ({ object }) => objects.push(object));
    hub.subscribe(podsKey, everything, undefined, ({ object }) => objects.push(object));
    const change = added(1, "a", { app: "web" });
    hub.publish(change);
    change.object.metadata.labels = { app: "changed" };
    await delivered();
    assert.equal(objects.length, 2);
    assert.notEqual(objects[0], objects[1]);
    for (const object of objects) assert.deepEqual(object.metadata.labels, { app: "web" });
  });
});

describe("WatchHub selectors", () => {
  const web = labelPredicate(parseLabelSelector("app=web"));
  const modified = (rv: number, before: Record<string, string>, after: Record<string, string>): Change => ({
    rv,
    key: podsKey,
    type: "MODIFIED",
    object: pod("a", after, String(rv)),
    previous: pod("a", before, String(rv - 1)),
  });

  const cases: [name: string, change: Change, expected: string[]][] = [
    ["ADDED matching", added(1, "a", { app: "web" }), ["ADDED a@1"]],
    ["ADDED not matching", added(1, "a", { app: "api" }), []],
    [
      "MODIFIED matching before and after",
      modified(2, { app: "web" }, { app: "web", v: "2" }),
      ["MODIFIED a@2"],
    ],
    ["MODIFIED into the selector: ADDED", modified(2, { app: "api" }, { app: "web" }), ["ADDED a@2"]],
    ["MODIFIED out of the selector: DELETED", modified(2, { app: "web" }, { app: "api" }), ["DELETED a@2"]],
    ["MODIFIED outside before and after", modified(2, { app: "api" }, { app: "db" }), []],
    [
      "DELETED matching",
      { rv: 3, key: podsKey, type: "DELETED", object: pod("a", { app: "web" }, "3") },
      ["DELETED a@3"],
    ],
  ];
  for (const [name, change, expected] of cases) {
    test(name, async () => {
      const hub = new WatchHub(100, 0);
      const watcher = recorder();
      hub.subscribe(podsKey, web, undefined, watcher.onEvent);
      hub.publish(change);
      await delivered();
      assert.deepEqual(watcher.seen, expected);
    });
  }
});

describe("WatchHub resourceVersion", () => {
  test("without one, a watch starts now: nothing from before it", async () => {
    const hub = new WatchHub(100, 0);
    hub.publish(added(1, "a"));
    const watcher = recorder();
    hub.subscribe(podsKey, everything, undefined, watcher.onEvent);
    hub.publish(added(2, "b"));
    await delivered();
    assert.deepEqual(watcher.seen, ["ADDED b@2"]);
  });

  test("with one, the retained changes after it are replayed first, then live ones follow", async () => {
    const hub = new WatchHub(100, 0);
    for (const [rv, name] of [
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ] as const)
      hub.publish(added(rv, name));
    const watcher = recorder();
    hub.subscribe(podsKey, everything, 1, watcher.onEvent);
    hub.publish(added(4, "d"));
    await delivered();
    assert.deepEqual(watcher.seen, ["ADDED b@2", "ADDED c@3", "ADDED d@4"]);
  });

  test("a version older than the retained history is 410 Expired with the real server's message", async () => {
    const hub = new WatchHub(3, 0);
    for (let rv = 1; rv <= 5; rv++) hub.publish(added(rv, `p${rv}`));
    assert.throws(
      () => hub.subscribe(podsKey, everything, 1, () => {}),
      (error: unknown) =>
        error instanceof StoreError &&
        error.code === 410 &&
        error.reason === "Expired" &&
        error.message === "too old resource version: 1 (3)",
    );
    assert.equal(hub.watcherCount, 0, "a refused watch is not registered");
    const watcher = recorder();
    hub.subscribe(podsKey, everything, 2, watcher.onEvent);
    await delivered();
    assert.deepEqual(watcher.seen, ["ADDED p3@3", "ADDED p4@4", "ADDED p5@5"]);
  });

  test("after a restart the history starts empty at the loaded version: older versions are expired", async () => {
    const hub = new WatchHub(100, 7);
    assert.throws(() => hub.subscribe(podsKey, everything, 5, () => {}), /too old resource version: 5 \(8\)/);
    const watcher = recorder();
    hub.subscribe(podsKey, everything, 7, watcher.onEvent);
    hub.publish(added(8, "a"));
    await delivered();
    assert.deepEqual(watcher.seen, ["ADDED a@8"]);
  });
});

describe("WatchHub closing", () => {
  test("a stopped watcher gets nothing more, not even what was queued for it", async () => {
    const hub = new WatchHub(100, 0);
    const stopped = recorder();
    const open = recorder();
    const stop = hub.subscribe(podsKey, everything, undefined, stopped.onEvent);
    hub.subscribe(podsKey, everything, undefined, open.onEvent);
    hub.publish(added(1, "a"));
    stop();
    hub.publish(added(2, "b"));
    await delivered();
    assert.deepEqual(stopped.seen, []);
    assert.deepEqual(open.seen, ["ADDED a@1", "ADDED b@2"]);
    assert.equal(hub.watcherCount, 1);
  });

  test("stopping from inside the callback drops the rest of the batch", async () => {
    const hub = new WatchHub(100, 0);
    const seen: string[] = [];
    const stop = hub.subscribe(podsKey, everything, undefined, ({ object }) => {
      seen.push(object.metadata.name ?? "");
      stop();
    });
    hub.publish(added(1, "a"));
    hub.publish(added(2, "b"));
    await delivered();
    assert.deepEqual(seen, ["a"]);
    assert.equal(hub.watcherCount, 0);
  });
});
