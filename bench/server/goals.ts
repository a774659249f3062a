import type { LoadResult } from "./load-result.ts";
import { pairedRatios, summarize } from "./stats.ts";

export const contenderIds = [
  "app-healthz",
  "bare-healthz",
  "fastapi-healthz",
  "app-search",
  "app-search-scraped",
  "direct-search",
  "fastapi-search",
] as const;
export type ContenderId = (typeof contenderIds)[number];

/** Each contender's result in every round, in round order. */
export type RoundResults = Partial<Record<ContenderId, LoadResult[]>>;

export interface GoalVerdict {
  goal: string;
  measured: string;
  target: string;
  verdict: "PASS" | "MISS" | "SKIP";
}

const throughput = (results: LoadResult[]) => results.map((result) => result.requestsPerSecond);
const p99 = (results: LoadResult[]) => summarize(results.map((result) => result.p99Ms)).median;

function throughputRatio(
  goal: string,
  results: RoundResults,
  ours: ContenderId,
  theirs: ContenderId,
  min: number,
) {
  const numerators = results[ours];
  const denominators = results[theirs];
  if (!numerators || !denominators) return skipped(goal, `>= ${min}`);
  const ratios = summarize(pairedRatios(throughput(numerators), throughput(denominators)));
  return verdict(
    goal,
    `${ratios.median.toFixed(2)} (${ratios.min.toFixed(2)}-${ratios.max.toFixed(2)})`,
    `>= ${min}`,
    ratios.median >= min,
  );
}

function lowerP99(goal: string, results: RoundResults, ours: ContenderId, theirs: ContenderId) {
  const mine = results[ours];
  const other = results[theirs];
  if (!mine || !other) return skipped(goal, `< ${theirs}`);
  return verdict(
    goal,
    `${p99(mine).toFixed(1)} ms vs ${p99(other).toFixed(1)} ms`,
    "lower",
    p99(mine) < p99(other),
  );
}

function verdict(goal: string, measured: string, target: string, pass: boolean): GoalVerdict {
  return { goal, measured, target, verdict: pass ? "PASS" : "MISS" };
}

function skipped(goal: string, target: string): GoalVerdict {
  return { goal, measured: "not measured", target, verdict: "SKIP" };
}

/** The goals, judged on medians (ratios: median of the per-round ratios, with their range). */
export function evaluateGoals(results: RoundResults, connections: number): GoalVerdict[] {
  const search = results["app-search"];
  return [
    throughputRatio("/healthz req/s: app / bare node:http", results, "app-healthz", "bare-healthz", 0.85),
    throughputRatio("search req/s: app / direct postgres.js", results, "app-search", "direct-search", 0.7),
    search
      ? verdict(
          `search p99 at ${connections} connections`,
          `${p99(search).toFixed(1)} ms`,
          "< 50 ms",
          p99(search) < 50,
        )
      : skipped(`search p99 at ${connections} connections`, "< 50 ms"),
    throughputRatio("/healthz req/s: app / FastAPI", results, "app-healthz", "fastapi-healthz", 2),
    lowerP99("/healthz p99: app vs FastAPI", results, "app-healthz", "fastapi-healthz"),
    throughputRatio("search req/s: app / FastAPI", results, "app-search", "fastapi-search", 2),
    throughputRatio(
      "search req/s: with a metrics scrape flood / without",
      results,
      "app-search-scraped",
      "app-search",
      0.9,
    ),
    lowerP99("search p99: app vs FastAPI", results, "app-search", "fastapi-search"),
  ];
}
