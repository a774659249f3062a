import { build, type Histogram } from "hdr-histogram-js";
import type { LoadShape } from "../context.ts";
import type { SmokeClient } from "../http/client.ts";

export interface LatencyPlan {
  path: string;
  load: LoadShape;
  concurrency: number;
  /** Requests per second: an open loop at this rate. Absent: a closed loop. */
  rate?: number;
  /** Stops sending new requests (the runner cancelled the job). */
  signal?: AbortSignal;
}

export interface Percentiles {
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface LatencyResult {
  mode: "closed-loop" | "open-loop";
  path: string;
  concurrency: number;
  rate?: number;
  /** Requests sent (responses plus failures). */
  requests: number;
  /** Responses outside 200-399 plus requests that got no response. */
  errors: number;
  errorRate: number;
  /** Responses by status code, failures by error text. */
  statusCounts: Record<string, number>;
  elapsedMs: number;
  requestsPerSecond: number;
  /** Milliseconds; in an open loop measured from each request's intended send time. */
  latencyMs: Percentiles;
}

/** Microseconds up to an hour, three significant digits (0.1 % resolution), as wrk2 records. */
export function newHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/** The reported percentiles of a histogram of microseconds, in milliseconds. */
export function percentilesOf(histogram: Histogram): Percentiles {
  const ms = (us: number) => us / 1000;
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p75: ms(histogram.getValueAtPercentile(75)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}

class Tally {
  readonly histogram = newHistogram();
  readonly statusCounts: Record<string, number> = {};
  requests = 0;
  errors = 0;

  response(status: number, startedMs: number): void {
    this.histogram.recordValue(Math.max(1, Math.round((performance.now() - startedMs) * 1000)));
    this.#count(String(status), status < 200 || status > 399);
  }

  failure(error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code;
    this.#count(code ?? (error as Error).message, true);
  }

  #count(key: string, failed: boolean): void {
    this.requests += 1;
    if (failed) this.errors += 1;
    this.statusCounts[key] = (this.statusCounts[key] ?? 0) + 1;
  }
}

/**
 * The latency phase. Closed loop: `concurrency` workers each send the next request when the last one ends.
 * Open loop: requests are due at a fixed rate whatever the server does, and each latency runs from the
 * moment its request was due, not from when a connection was free to send it; this is wrk2's correction
 * for coordinated omission (a stalled server delays the queue behind it, and that delay counts).
 */
export async function measureLatency(client: SmokeClient, plan: LatencyPlan): Promise<LatencyResult> {
  const tally = new Tally();
  const started = performance.now();
  if (plan.rate === undefined) await closedLoop(client, plan, tally, started);
  else await openLoop(client, plan, plan.rate, tally, started);
  const elapsedMs = performance.now() - started;
  return {
    mode: plan.rate === undefined ? "closed-loop" : "open-loop",
    path: plan.path,
    concurrency: plan.concurrency,
    ...(plan.rate === undefined ? {} : { rate: plan.rate }),
    requests: tally.requests,
    errors: tally.errors,
    errorRate: tally.requests === 0 ? 0 : tally.errors / tally.requests,
    statusCounts: tally.statusCounts,
    elapsedMs,
    requestsPerSecond: tally.requests / (elapsedMs / 1000),
    latencyMs: percentilesOf(tally.histogram),
  };
}

async function closedLoop(
  client: SmokeClient,
  plan: LatencyPlan,
  tally: Tally,
  started: number,
): Promise<void> {
  let sent = 0;
  const { load, signal } = plan;
  const until = started + (load.kind === "duration" ? load.ms : 0);
  const more = () =>
    !signal?.aborted && (load.kind === "requests" ? sent < load.count : performance.now() < until);
  const worker = async () => {
    while (more()) {
      sent += 1;
      const begin = performance.now();
      try {
        tally.response(await client.status(plan.path), begin);
      } catch (error) {
        tally.failure(error);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
}

async function openLoop(
  client: SmokeClient,
  plan: LatencyPlan,
  rate: number,
  tally: Tally,
  started: number,
): Promise<void> {
  const total = plan.load.kind === "requests" ? plan.load.count : Math.floor((rate * plan.load.ms) / 1000);
  const intervalMs = 1000 / rate;
  const inFlight: Promise<void>[] = [];
  const send = (due: number) =>
    client.status(plan.path).then(
      (status) => tally.response(status, due),
      (error: unknown) => tally.failure(error),
    );
  let next = 0;
  while (next < total && !plan.signal?.aborted) {
    const now = performance.now();
    while (next < total && started + next * intervalMs <= now) {
      inFlight.push(send(started + next * intervalMs));
      next += 1;
    }
    if (next < total) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, started + next * intervalMs - performance.now())),
      );
    }
  }
  await Promise.all(inFlight);
}
