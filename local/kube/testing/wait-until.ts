// Waiting on a condition in tests: polls until `check` returns a value (not undefined/false), or fails with
// what was awaited and the last value seen once the generous bound is reached.
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | false,
  options: { timeoutMs?: number; describe?: () => unknown } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const last = options.describe ? `; last seen: ${JSON.stringify(options.describe(), null, 1)}` : "";
      throw new Error(`timed out waiting for ${what}${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
