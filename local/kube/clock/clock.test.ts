import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { realClock, scaledClock, sleep } from "./clock.ts";

describe("clock", () => {
  test("a scaled clock's time advances factor times faster than real time", async () => {
    const clock = scaledClock(50);
    // Real reads nested inside the clock reads: the clock saw at least the real interval, x 50.
    const start = clock.now().getTime();
    const realStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const realElapsed = Date.now() - realStart;
    const clockElapsed = clock.now().getTime() - start;
    assert.ok(realElapsed > 0);
    assert.ok(clockElapsed >= realElapsed * 50, `clock ${clockElapsed} ms for real ${realElapsed} ms`);
  });

  test("a scaled timer fires once the clock's own time has elapsed", async () => {
    const clock = scaledClock(100);
    const start = clock.now().getTime();
    await sleep(clock, 1000);
    assert.ok(clock.now().getTime() - start >= 1000);
  });

  test("a cancelled timer never fires", async () => {
    let fired = false;
    const cancel = realClock.setTimer(5, () => {
      fired = true;
    });
    cancel();
    await sleep(realClock, 20);
    assert.equal(fired, false);
  });

  test("a sleep ends early when its signal aborts", async () => {
    const controller = new AbortController();
    const slept = sleep(realClock, 60_000, controller.signal);
    controller.abort();
    await slept;
    assert.ok(controller.signal.aborted);
  });

  test("a factor that is not positive is refused", () => {
    assert.throws(() => scaledClock(0), /clock factor must be positive, got 0/);
  });
});
