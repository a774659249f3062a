/**
 * The stand-in's known latency distribution for the accuracy benchmark: out of every 100 responses, 60 take
 * 50 ms, 36 take 100 ms, 3 take 200 ms and 1 takes 400 ms, interleaved so slow ones do not come in bursts.
 * So p50 = 50 ms, p95 = 100 ms, p99 = 200 ms, max = 400 ms exactly (before the timers' own lateness).
 */
export const DELAY_SCHEDULE: readonly number[] = interleave([
  ...Array<number>(60).fill(50),
  ...Array<number>(36).fill(100),
  ...Array<number>(3).fill(200),
  400,
]);

/** Spreads a sorted list by a stride coprime with its length (37 of 100): a fixed, well-mixed order. */
function interleave(sorted: readonly number[]): number[] {
  return sorted.map((_, index) => sorted[(index * 37) % sorted.length] ?? 0);
}

/** The value at or below which `percentile` % of the values lie (HdrHistogram's definition). */
export function exactPercentile(values: readonly number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}
