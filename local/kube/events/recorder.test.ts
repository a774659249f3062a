import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { waitUntil } from "../../common/testing/wait-until.ts";
import { resources } from "../api/resources.ts";
import { scaledClock } from "../clock/clock.ts";
import { MemoryStore } from "../store/memory-store.ts";
import { timestamp } from "../store/names.ts";
import { EventRecorder } from "./recorder.ts";

// 1000x: a second of clock time (the events' timestamp precision) passes in a millisecond.
const clock = scaledClock(1000);

function setup() {
  const store = new MemoryStore({ now: () => clock.now() });
  const recorder = new EventRecorder(store, clock, { component: "kubelet", host: "local-node" });
  const pod = store.create(resources.pods, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web-1", namespace: "default" },
    spec: { containers: [{ name: "app", image: "app:1" }] },
  });
  const events = () => store.list(resources.events, { namespace: "default" }).items;
  return { store, recorder, pod, events };
}

describe("EventRecorder", () => {
  test("an Event names the object, the container's fieldPath and the source, as client-go writes it", () => {
    const { recorder, pod, events } = setup();
    recorder.record(pod, "Normal", "Pulling", 'Pulling image "app:1"', "spec.containers{app}");
    const [event] = events();
    assert.ok(event);
    assert.match(event.metadata.name ?? "", /^web-1\.[0-9a-f]{16}$/);
    assert.deepEqual(event.involvedObject, {
      apiVersion: "v1",
      kind: "Pod",
      name: "web-1",
      namespace: "default",
      uid: pod.metadata.uid,
      resourceVersion: pod.metadata.resourceVersion,
      fieldPath: "spec.containers{app}",
    });
    assert.equal(event.type, "Normal");
    assert.equal(event.reason, "Pulling");
    assert.equal(event.message, 'Pulling image "app:1"');
    assert.deepEqual(event.source, { component: "kubelet", host: "local-node" });
    assert.equal(event.reportingComponent, "kubelet");
    assert.equal(event.reportingInstance, "local-node");
    assert.equal(event.count, 1);
    assert.equal(event.firstTimestamp, event.lastTimestamp);
  });

  test("the same event again bumps count and lastTimestamp of the one Event", async () => {
    const { recorder, pod, events } = setup();
    recorder.record(pod, "Warning", "BackOff", "Back-off restarting failed container app");
    const first = events()[0]?.firstTimestamp;
    await waitUntil("the clock shows a later second", () => timestamp(clock.now()) !== first);
    recorder.record(pod, "Warning", "BackOff", "Back-off restarting failed container app");
    const all = events();
    assert.equal(all.length, 1);
    assert.equal(all[0]?.count, 2);
    assert.equal(all[0]?.firstTimestamp, first);
    assert.notEqual(all[0]?.lastTimestamp, first);
  });

  test("a different type, reason, message or fieldPath is another Event", () => {
    const { recorder, pod, events } = setup();
    recorder.record(pod, "Normal", "Started", "Started container app", "spec.containers{app}");
    recorder.record(pod, "Normal", "Started", "Started container app", "spec.containers{sidecar}");
    recorder.record(pod, "Normal", "Created", "Started container app", "spec.containers{app}");
    recorder.record(pod, "Warning", "Started", "Started container app", "spec.containers{app}");
    recorder.record(pod, "Normal", "Started", "Started container app again", "spec.containers{app}");
    assert.equal(events().length, 5);
    assert.ok(events().every((event) => event.count === 1));
  });

  test("recording is best effort: a write the store refuses is dropped, not thrown", () => {
    const { store, recorder } = setup();
    const elsewhere = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "ghost", namespace: "missing", uid: "u-1" },
    };
    assert.doesNotThrow(() => recorder.record(elsewhere, "Normal", "Scheduled", "assigned"));
    assert.equal(store.list(resources.events).items.length, 0);
  });
});
