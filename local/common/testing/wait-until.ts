// Waiting on a condition in tests, never on a fixed sleep: polls `check` until it returns a value (neither
// undefined nor false), or fails once the generous bound is reached, naming what was awaited and the last
// thing seen. The first polls come quickly (an in-memory condition), later ones every 200 ms (a condition read
// from a process, an engine or a cluster); a check that throws is tried again (the server may not be up yet).
import { setTimeout as delay } from "node:timers/promises";

export interface WaitOptions {
  /** 60 s unless given. */
  timeoutMs?: number;
  /** What to show when it gives up (a string as it is, anything else as JSON); the last value or error otherwise. */
  describe?: () => unknown;
}

export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let interval = 5;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) {
      const seen = options.describe ? options.describe() : last;
      const shown = typeof seen === "string" ? seen : JSON.stringify(seen, null, 1);
      throw new Error(`timed out waiting for ${what}; last seen: ${shown}`);
    }
    await delay(interval);
    interval = Math.min(interval * 2, 200);
  }
}
