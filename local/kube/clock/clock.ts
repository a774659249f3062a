// Time as the controllers and the kubelet see it. Tests inject a scaled clock so that back-offs, probe periods
// and progress deadlines elapse N times faster while every rule keeps its real durations.

export type CancelTimer = () => void;

export interface Clock {
  now(): Date;
  /** Calls fn once after ms of this clock's time; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): CancelTimer;
}

function realTimer(realMs: number, fn: () => void): CancelTimer {
  const handle = setTimeout(fn, Math.max(0, realMs));
  // Timers must not keep a process alive on their own (platform down, end of a test).
  handle.unref();
  return () => clearTimeout(handle);
}

/**
 * Node's timers run on a monotonic clock and may fire a little before the wall clock shows the delay as
 * elapsed: re-arm until now() has reached the due time, so a callback never sees a deadline not yet passed.
 */
function dueTimer(now: () => number, factor: number, ms: number, fn: () => void): CancelTimer {
  const due = now() + ms;
  let cancel: CancelTimer;
  const arm = (remaining: number) => {
    cancel = realTimer(Math.ceil(remaining / factor), () => {
      const left = due - now();
      if (left > 0) arm(left);
      else fn();
    });
  };
  arm(ms);
  return () => cancel();
}

export const realClock: Clock = {
  now: () => new Date(),
  setTimer: (ms, fn) => dueTimer(Date.now, 1, ms, fn),
};

/** A clock running `factor` times faster than real time, starting at the real time of its creation. */
export function scaledClock(factor: number): Clock {
  if (!(factor > 0)) throw new RangeError(`clock factor must be positive, got ${factor}`);
  const origin = Date.now();
  const now = () => origin + (Date.now() - origin) * factor;
  return {
    now: () => new Date(now()),
    setTimer: (ms, fn) => dueTimer(now, factor, ms, fn),
  };
}

/** Resolves after ms of the clock's time, or as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      cancel();
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const cancel = clock.setTimer(ms, done);
    signal?.addEventListener("abort", done, { once: true });
  });
}
