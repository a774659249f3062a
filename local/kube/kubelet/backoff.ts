// The kubelet's back-off (client-go flowcontrol.Backoff as the kubelet configures it): 10 s doubling to a
// 300 s cap for crashing containers and for image pulls; an entry untouched for twice the cap starts over.

export class Backoff {
  readonly #entries = new Map<string, { backoffMs: number; lastUpdate: number }>();

  constructor(
    readonly initialMs = 10_000,
    readonly maxMs = 300_000,
  ) {}

  /** Records an attempt at `now`; returns the back-off that now applies. */
  next(key: string, now: number): number {
    const entry = this.#entries.get(key);
    if (!entry || now - entry.lastUpdate > 2 * this.maxMs) {
      this.#entries.set(key, { backoffMs: this.initialMs, lastUpdate: now });
      return this.initialMs;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
    entry.lastUpdate = now;
    return entry.backoffMs;
  }

  get(key: string): number {
    return this.#entries.get(key)?.backoffMs ?? 0;
  }

  /** ms left in the back-off window for an event at `eventTime`, 0 when outside it. */
  remaining(key: string, eventTime: number): number {
    const entry = this.#entries.get(key);
    if (!entry) return 0;
    return Math.max(0, entry.lastUpdate + entry.backoffMs - eventTime);
  }

  reset(key: string): void {
    this.#entries.delete(key);
  }
}

/** Go's time.Duration String() for whole seconds and milliseconds: "10s", "1m20s", "5m0s", "250ms". */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Number((totalSeconds % 60).toFixed(3));
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
