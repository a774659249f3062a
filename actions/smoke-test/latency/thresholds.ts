import type { Thresholds } from "../context.ts";
import type { LatencyResult } from "./measure.ts";

export interface ThresholdResult {
  /** `p50`, `p95`, `p99`, `max` (milliseconds) or `error rate` (a share). */
  measure: "p50" | "p95" | "p99" | "max" | "error rate";
  actual: number;
  limit: number;
  passed: boolean;
}

/** Each configured threshold against the measured latency; a value equal to its limit passes. */
export function evaluateThresholds(latency: LatencyResult, thresholds: Thresholds): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  const add = (measure: ThresholdResult["measure"], actual: number, limit: number | undefined) => {
    if (limit !== undefined) results.push({ measure, actual, limit, passed: actual <= limit });
  };
  add("p50", latency.latencyMs.p50, thresholds.p50Ms);
  add("p95", latency.latencyMs.p95, thresholds.p95Ms);
  add("p99", latency.latencyMs.p99, thresholds.p99Ms);
  add("max", latency.latencyMs.max, thresholds.maxMs);
  add("error rate", latency.errorRate, thresholds.errorRate);
  return results;
}

/** `p95 612.4 ms > 500 ms`, `error rate 2.00 % > 1.00 %`: what a failed threshold reads as. */
export function describeThreshold(result: ThresholdResult): string {
  const relation = result.passed ? "<=" : ">";
  if (result.measure === "error rate") {
    return `error rate ${percent(result.actual)} ${relation} ${percent(result.limit)}`;
  }
  return `${result.measure} ${milliseconds(result.actual)} ${relation} ${milliseconds(result.limit)}`;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(2)} %`;
}

export function milliseconds(ms: number): string {
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}
