/** Median and range of one figure over the benchmark's rounds. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("summarize needs at least one value");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/**
 * Ratio of two contenders round by round. Both ran in the same round, a few seconds apart, so pairing them
 * cancels most of the drift that other load on the shared machine adds between rounds.
 */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): number[] {
  if (numerators.length !== denominators.length) {
    throw new Error(`cannot pair ${numerators.length} rounds with ${denominators.length} rounds`);
  }
  return numerators.map((value, round) => value / (denominators[round] as number));
}
