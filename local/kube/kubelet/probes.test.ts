import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setImmediate as settled } from "node:timers/promises";
import type { V1Probe } from "@kubernetes/client-node";
import { type Clock, sleep } from "../clock/clock.ts";
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

/**
 * A clock that moves only when the test steps it, straight to its next timer: the schedule is checked in clock
 * time, whatever the machine's load.
 */
class SteppedClock implements Clock {
  #now = Date.parse("2026-01-01T00:00:00Z");
  #timers: { due: number; fn: () => void }[] = [];

  now(): Date {
    return new Date(this.#now);
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { due: this.#now + Math.max(0, ms), fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((candidate) => candidate !== timer);
    };
  }

  /** Lets pending work settle, then fires the earliest timer (the first set among equals); false if none. */
  async step(): Promise<boolean> {
    await settled();
    const next = this.#timers.reduce<{ due: number; fn: () => void } | undefined>(
      (earliest, timer) => (earliest && earliest.due <= timer.due ? earliest : timer),
      undefined,
    );
    if (!next) return false;
    this.#timers = this.#timers.filter((timer) => timer !== next);
    this.#now = next.due;
    next.fn();
    return true;
  }
}

/** A container whose every probe attempt takes `attemptMs` of clock time and fails; records when each began. */
function slowContainer(clock: Clock, attemptMs: number) {
  const starts: number[] = [];
  const container: RunningContainer = {
    containerID: "c",
    imageID: "i",
    startedAt: clock.now(),
    exited: new Promise(() => {}),
    async probe() {
      starts.push(clock.now().getTime());
      await sleep(clock, attemptMs);
      return false;
    },
    async stop() {},
    async logs() {
      return "";
    },
  };
  return { container, starts };
}

async function probeUntil(
  clock: SteppedClock,
  container: RunningContainer,
  probe: V1Probe,
  attempts: () => number,
  n: number,
) {
  const stop = new AbortController();
  const run = runProbe(clock, container, probe, "readiness", stop.signal, () => undefined);
  while (attempts() < n) assert.ok(await clock.step(), "no timer pending: the probe loop is stuck");
  stop.abort();
  // An attempt under way when the loop stops still ends on the clock's time.
  let stopped = false;
  const ended = run.then(() => {
    stopped = true;
  });
  while (!stopped && (await clock.step())) {}
  await ended;
}

describe("probe schedule", () => {
  test("the first attempt runs when the container has started, not one period later", async () => {
    const clock = new SteppedClock();
    const { container, starts } = slowContainer(clock, 0);
    const probe = { tcpSocket: { port: 1 }, periodSeconds: 10 };
    await probeUntil(clock, container, probe, () => starts.length, 1);
    assert.deepEqual(
      starts.map((at) => at - container.startedAt.getTime()),
      [0],
      "first attempt after the start",
    );
  });

  test("initialDelaySeconds holds the first attempt back from the container's start", async () => {
    const clock = new SteppedClock();
    const { container, starts } = slowContainer(clock, 0);
    const probe = { tcpSocket: { port: 1 }, initialDelaySeconds: 1, periodSeconds: 10 };
    await probeUntil(clock, container, probe, () => starts.length, 1);
    assert.deepEqual(
      starts.map((at) => at - container.startedAt.getTime()),
      [1000],
    );
  });

  test("attempts start every periodSeconds however long each takes (a ticker, not a pause between)", async () => {
    const clock = new SteppedClock();
    const { container, starts } = slowContainer(clock, 600);
    await probeUntil(clock, container, { tcpSocket: { port: 1 }, periodSeconds: 1 }, () => starts.length, 3);
    const gaps = starts.slice(1).map((at, i) => at - (starts[i] ?? at));
    // A pause after each attempt would make the gaps 600 + 1000 ms.
    assert.deepEqual(gaps, [1000, 1000], "gaps in ms between attempts");
  });

  test("a tick missed during an attempt longer than the period fires at once after it", async () => {
    const clock = new SteppedClock();
    const { container, starts } = slowContainer(clock, 1300);
    const probe = { tcpSocket: { port: 1 }, periodSeconds: 1, timeoutSeconds: 2 };
    await probeUntil(clock, container, probe, () => starts.length, 3);
    const gaps = starts.slice(1).map((at, i) => at - (starts[i] ?? at));
    // Waiting a full period after the late attempt would make them 2000 ms.
    assert.deepEqual(gaps, [1300, 1300], "gaps in ms between attempts");
  });
});
