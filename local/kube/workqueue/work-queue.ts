// A controller's work queue, as client-go's (util/workqueue: its own package, used by every controller): a key
// is processed by one sync at a time, a key added while its sync runs is synced again afterwards, failures
// are retried with an exponential back-off.
import type { Clock } from "../clock/clock.ts";

export type SyncFn = (key: string) => void | Promise<void>;

export class WorkQueue {
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Set<() => void>();
  #stopped = false;
  #scheduled = false;

  constructor(
    private readonly clock: Clock,
    private readonly sync: SyncFn,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  add(key: string): void {
    if (this.#stopped) return;
    this.#dirty.add(key);
    this.#schedule();
  }

  addAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const cancel = this.clock.setTimer(ms, () => {
      this.#timers.delete(cancel);
      this.add(key);
    });
    this.#timers.add(cancel);
  }

  stop(): void {
    this.#stopped = true;
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
    this.#dirty.clear();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      for (const key of [...this.#dirty]) {
        if (this.#processing.has(key)) continue;
        this.#dirty.delete(key);
        void this.#run(key);
      }
    });
  }

  async #run(key: string): Promise<void> {
    this.#processing.add(key);
    try {
      await this.sync(key);
      this.#failures.delete(key);
    } catch (error) {
      const failures = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      this.onError(key, error);
      // client-go's default rate limiter: 5 ms doubling, capped (here at 10 s of the clock's time).
      this.addAfter(key, Math.min(5 * 2 ** (failures - 1), 10_000));
    } finally {
      this.#processing.delete(key);
      if (this.#dirty.has(key)) this.#schedule();
    }
  }
}

/** "namespace/name" keys, as cache.MetaNamespaceKeyFunc. */
export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf("/");
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
