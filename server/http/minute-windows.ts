export interface MinuteWindow {
  startedAt: number;
  count: number;
}

/**
 * Fixed one-minute windows per key (per replica), for counting limits. Old windows are swept once a minute so
 * the map only holds keys seen recently.
 */
export class MinuteWindows<K> {
  readonly #windows = new Map<K, MinuteWindow>();
  #sweptAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.#sweptAt = now();
  }

  /** The key's window now: the running one, or a new empty one when the last has ended. */
  current(key: K): MinuteWindow {
    const t = this.now();
    if (t - this.#sweptAt >= 60_000) {
      for (const [k, w] of this.#windows) if (t - w.startedAt >= 60_000) this.#windows.delete(k);
      this.#sweptAt = t;
    }
    let w = this.#windows.get(key);
    if (!w || t - w.startedAt >= 60_000) {
      w = { startedAt: t, count: 0 };
      this.#windows.set(key, w);
    }
    return w;
  }

  /** Whole seconds until the window ends (Retry-After). */
  secondsLeft(w: MinuteWindow): number {
    return Math.ceil((w.startedAt + 60_000 - this.now()) / 1000);
  }
}
