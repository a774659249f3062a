// Waiting on a condition read from the cluster in tests: retries `check` until it returns a value, or fails
// naming what was awaited after a generous bound (conditions, never fixed sleeps).
import { setTimeout as sleep } from "node:timers/promises";

export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
