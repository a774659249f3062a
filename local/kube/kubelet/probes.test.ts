import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import type { V1Probe } from "@kubernetes/client-node";
import { realClock } from "../clock/clock.ts";
import type { RunningContainer } from "./pod-runtime.ts";
import { ProbeThresholds, runProbe } from "./probes.ts";

describe("probe thresholds", () => {
  test("readiness flips to ready after successThreshold consecutive successes", () => {
    const readiness = new ProbeThresholds({ successThreshold: 2, failureThreshold: 3 }, false);
    assert.deepEqual(
      [true, false, true, true, true].map((ok) => readiness.record(ok)),
      [undefined, undefined, undefined, true, undefined],
    );
  });

  test("it flips back after failureThreshold consecutive failures", () => {
    const liveness = new ProbeThresholds({ successThreshold: 1, failureThreshold: 3 }, true);
    assert.deepEqual(
      [false, false, true, false, false, false].map((ok) => liveness.record(ok)),
      [undefined, undefined, undefined, undefined, undefined, false],
    );
  });

  test("a startup probe (no result yet) reports its first verdict", () => {
    const startup = new ProbeThresholds({ failureThreshold: 2 }, undefined);
    assert.equal(startup.record(true), true);
    const failing = new ProbeThresholds({ failureThreshold: 2 }, undefined);
    assert.deepEqual([failing.record(false), failing.record(false)], [undefined, false]);
  });
});

/** A container whose every probe attempt takes `attemptMs` and fails; records when each attempt began. */
function slowContainer(startedAt: Date, attemptMs: number) {
  const starts: number[] = [];
  const container: RunningContainer = {
    containerID: "c",
    imageID: "i",
    startedAt,
    exited: new Promise(() => {}),
    async probe() {
      starts.push(Date.now());
      await delay(attemptMs);
      return false;
    },
    async stop() {},
    async logs() {
      return "";
    },
  };
  return { container, starts };
}

async function probeUntil(container: RunningContainer, probe: V1Probe, attempts: () => number, n: number) {
  const stop = new AbortController();
  const run = runProbe(realClock, container, probe, "readiness", stop.signal, () => undefined);
  while (attempts() < n) await delay(20);
  stop.abort();
  await run;
}

describe("probe schedule", () => {
  test("the first attempt runs when the container has started, not one period later", async () => {
    const startedAt = new Date();
    const { container, starts } = slowContainer(startedAt, 0);
    await probeUntil(container, { tcpSocket: { port: 1 }, periodSeconds: 10 }, () => starts.length, 1);
    assert.ok((starts[0] ?? Infinity) - startedAt.getTime() < 5_000, "first attempt long after the start");
  });

  test("initialDelaySeconds holds the first attempt back from the container's start", async () => {
    const startedAt = new Date();
    const { container, starts } = slowContainer(startedAt, 0);
    const probe = { tcpSocket: { port: 1 }, initialDelaySeconds: 1, periodSeconds: 10 };
    await probeUntil(container, probe, () => starts.length, 1);
    assert.ok((starts[0] ?? 0) - startedAt.getTime() >= 1000);
  });

  test("attempts start every periodSeconds however long each takes (a ticker, not a pause between)", async () => {
    const { container, starts } = slowContainer(new Date(), 600);
    await probeUntil(container, { tcpSocket: { port: 1 }, periodSeconds: 1 }, () => starts.length, 3);
    const gaps = starts.slice(1).map((at, i) => at - (starts[i] ?? at));
    // A pause after each attempt would make the gaps 600 + 1000 ms.
    for (const gap of gaps) assert.ok(gap >= 990 && gap < 1500, `gap ${gap} ms between attempts`);
  });

  test("a tick missed during an attempt longer than the period fires at once after it", async () => {
    const { container, starts } = slowContainer(new Date(), 1300);
    const probe = { tcpSocket: { port: 1 }, periodSeconds: 1, timeoutSeconds: 2 };
    await probeUntil(container, probe, () => starts.length, 3);
    const gaps = starts.slice(1).map((at, i) => at - (starts[i] ?? at));
    for (const gap of gaps) assert.ok(gap >= 1290 && gap < 1900, `gap ${gap} ms between attempts`);
  });
});
