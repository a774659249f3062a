// A container's probe loop (prober/worker.go): first attempt as soon as the container has run for
// initialDelaySeconds (at once by default), then one starting every periodSeconds, each bounded by
// timeoutSeconds; the result flips after successThreshold consecutive successes or failureThreshold
// consecutive failures.
import type { V1Probe } from "@kubernetes/client-node";
import { type Clock, sleep } from "../clock/clock.ts";
import type { ProbeKind, RunningContainer } from "./pod-runtime.ts";

/** Consecutive-result thresholds; `record` returns the new result when it flips. */
export class ProbeThresholds {
  #successes = 0;
  #failures = 0;

  constructor(
    private readonly probe: V1Probe,
    private result: boolean | undefined,
  ) {}

  record(ok: boolean): boolean | undefined {
    if (ok) {
      this.#successes++;
      this.#failures = 0;
    } else {
      this.#failures++;
      this.#successes = 0;
    }
    const flipped = ok
      ? this.result !== true && this.#successes >= (this.probe.successThreshold ?? 1)
      : this.result !== false && this.#failures >= (this.probe.failureThreshold ?? 3);
    if (!flipped) return undefined;
    this.result = ok;
    return ok;
  }
}

/** The result a probe starts with: readiness fails until it passes, liveness passes until it fails. */
export function initialResult(kind: ProbeKind): boolean | undefined {
  return kind === "readiness" ? false : kind === "liveness" ? true : undefined;
}

async function attempt(
  clock: Clock,
  container: RunningContainer,
  probe: V1Probe,
  kind: ProbeKind,
): Promise<boolean> {
  let cancel = () => {};
  const timeout = new Promise<boolean>((resolve) => {
    cancel = clock.setTimer((probe.timeoutSeconds ?? 1) * 1000, () => resolve(false));
  });
  try {
    return await Promise.race([container.probe(probe, kind).catch(() => false), timeout]);
  } finally {
    cancel();
  }
}

/**
 * Probes until `signal` aborts or `onFlip` returns "stop"; onFlip is called each time the result flips,
 * onFailure after every failed attempt (the kubelet records an Unhealthy event for each).
 */
export async function runProbe(
  clock: Clock,
  container: RunningContainer,
  probe: V1Probe,
  kind: ProbeKind,
  signal: AbortSignal,
  onFlip: (result: boolean) => "stop" | undefined,
  onFailure: () => void = () => {},
): Promise<void> {
  const thresholds = new ProbeThresholds(probe, initialResult(kind));
  const delay =
    container.startedAt.getTime() + (probe.initialDelaySeconds ?? 0) * 1000 - clock.now().getTime();
  if (delay > 0) await sleep(clock, delay, signal);
  const period = (probe.periodSeconds ?? 10) * 1000;
  let tick = clock.now().getTime();
  while (!signal.aborted) {
    const ok = await attempt(clock, container, probe, kind);
    if (signal.aborted) return;
    if (!ok) onFailure();
    const flipped = thresholds.record(ok);
    if (flipped !== undefined && onFlip(flipped) === "stop") return;
    // The worker waits on a time.Ticker: attempts start every period however long each took; a tick that
    // passed during a slow attempt fires at once (the ticker's channel holds one), further ones are dropped.
    const now = clock.now().getTime();
    tick += period;
    if (tick > now) await sleep(clock, tick - now, signal);
    else tick += Math.floor((now - tick) / period) * period;
  }
}
