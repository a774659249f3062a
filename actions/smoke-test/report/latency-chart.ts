import type { Percentiles } from "../latency/measure.ts";

const POINTS: readonly [label: string, key: keyof Percentiles][] = [
  ["p50", "p50"],
  ["p75", "p75"],
  ["p90", "p90"],
  ["p95", "p95"],
  ["p99", "p99"],
  ["p99.9", "p999"],
  ["max", "max"],
];

/**
 * A Mermaid `xychart-beta` (which GitHub renders in Markdown): latency by percentile as bars, the p95
 * threshold as a line across them. Syntax: https://mermaid.js.org/syntax/xyChart.html
 */
export function latencyChart(latency: Percentiles, p95LimitMs: number, title: string): string {
  const values = POINTS.map(([, key]) => round(latency[key]));
  const top = niceCeiling(Math.max(...values, p95LimitMs));
  return [
    "xychart-beta",
    `  title "${title.replaceAll('"', "'")}"`,
    `  x-axis [${POINTS.map(([label]) => `"${label}"`).join(", ")}]`,
    `  y-axis "latency (ms)" 0 --> ${top}`,
    `  bar [${values.join(", ")}]`,
    `  line [${POINTS.map(() => round(p95LimitMs)).join(", ")}]`,
  ].join("\n");
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** 1, 2 or 5 times a power of ten, at least `value` (an axis that ends on a round number). */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
