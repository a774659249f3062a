import type { CpuUse } from "./cpu-window.ts";
import { type ContenderId, contenderIds, evaluateGoals, type RoundResults } from "./goals.ts";
import type { LoadResult } from "./load-result.ts";
import type { FloodTally } from "./scrape-flood.ts";
import { type Spread, summarize } from "./stats.ts";
import { renderTable } from "./table.ts";

export const contenderLabels: Record<ContenderId, string> = {
  "app-healthz": "/healthz  app (all middleware)",
  "bare-healthz": "/healthz  bare node:http",
  "fastapi-healthz": "/healthz  FastAPI + uvicorn",
  "app-search": "search    app GET /jobs",
  "app-search-scraped": "search    app GET /jobs, metrics port flooded",
  "direct-search": "search    direct postgres.js (no HTTP)",
  "fastapi-search": "search    FastAPI + asyncpg",
};

export interface RoundRecord {
  result: LoadResult;
  cpu: CpuUse | undefined;
  /** What the metrics scrape flood achieved during the run, for the contenders run under one. */
  scrapes?: FloodTally;
}
export type Records = Partial<Record<ContenderId, RoundRecord[]>>;

const spread = (values: number[], digits: number) => {
  const { median, min, max }: Spread = summarize(values);
  return `${median.toFixed(digits)} (${min.toFixed(digits)}-${max.toFixed(digits)})`;
};

/** A full core is 100; a share this high means that process had all the CPU it could use. */
const saturated = 85;

/**
 * Names what held the run back, from the median CPU shares: Node and uvicorn serve on one thread, so a
 * server near a full core is saturated; wrk runs one thread; PostgreSQL's backends may spread over both cores.
 */
export function limiter(cpu: CpuUse): string {
  const total = cpu.loadGenerator + (cpu.server ?? 0) + cpu.postgres + cpu.others;
  const parts = [
    ["load generator", cpu.loadGenerator],
    ["server", cpu.server ?? 0],
    ["postgres", cpu.postgres],
  ] as const;
  const busiest = [...parts].sort((a, b) => b[1] - a[1])[0] as (typeof parts)[number];
  // A process at a full core is the limit whatever else runs; otherwise, two busy cores are.
  if (busiest[1] >= saturated) return `${busiest[0]} (${busiest[1].toFixed(0)}% of a core)`;
  if (total >= 2 * saturated) return `both cores busy (most of ours: ${busiest[0]})`;
  return "no process saturated (waits dominate)";
}

/** A CPU share (100 = one core) spread over a run's requests, in microseconds of CPU per request. */
function microsPerRequest(share: number, result: LoadResult): number {
  return (share / 100 / result.requestsPerSecond) * 1e6;
}

export function renderReport(records: Records, connections: number): string {
  const ran = contenderIds.filter((id) => (records[id]?.length ?? 0) > 0);
  const rounds = (id: ContenderId) => records[id] ?? [];
  const figures = renderTable(
    ["contender", "req/s median (min-max)", "p50 ms", "p99 ms", "failed requests"],
    ran.map((id) => [
      contenderLabels[id],
      spread(
        rounds(id).map((round) => round.result.requestsPerSecond),
        0,
      ),
      spread(
        rounds(id).map((round) => round.result.p50Ms),
        2,
      ),
      spread(
        rounds(id).map((round) => round.result.p99Ms),
        2,
      ),
      String(rounds(id).reduce((sum, round) => sum + round.result.errors, 0)),
    ]),
  );
  const cpuMedians = ran.flatMap((id) => {
    const sampled = rounds(id).flatMap((round) =>
      round.cpu ? [{ cpu: round.cpu, result: round.result }] : [],
    );
    if (sampled.length === 0) return [];
    const median = (pick: (cpu: CpuUse, result: LoadResult) => number) =>
      summarize(sampled.map((round) => pick(round.cpu, round.result))).median;
    const cpu: CpuUse = {
      loadGenerator: median((sample) => sample.loadGenerator),
      server: sampled[0]?.cpu.server === undefined ? undefined : median((sample) => sample.server ?? 0),
      postgres: median((sample) => sample.postgres),
      others: median((sample) => sample.others),
    };
    // CPU time per request holds up better than req/s when other work takes cores away from the run.
    const perRequest = {
      // Without a server (the direct baseline), the calling process runs the search function itself.
      appSide: median((sample, result) => microsPerRequest(sample.server ?? sample.loadGenerator, result)),
      postgres: median((sample, result) => microsPerRequest(sample.postgres, result)),
    };
    return [{ id, cpu, perRequest }];
  });
  const percent = (value: number | undefined) => (value === undefined ? "-" : `${value.toFixed(0)}%`);
  const cpuRows = cpuMedians.map(({ id, cpu, perRequest }) => [
    contenderLabels[id],
    percent(cpu.loadGenerator),
    percent(cpu.server),
    percent(cpu.postgres),
    percent(cpu.others),
    perRequest.appSide.toFixed(0),
    perRequest.postgres.toFixed(0),
    limiter(cpu),
  ]);
  const cpuTable = renderTable(
    [
      "contender",
      "load generator",
      "server",
      "postgres",
      "other processes",
      "server µs/req",
      "postgres µs/req",
      "limited by",
    ],
    cpuRows,
  );
  const results: RoundResults = Object.fromEntries(
    ran.map((id) => [id, rounds(id).map((round) => round.result)]),
  );
  const goals = renderTable(
    ["goal", "measured median (range)", "target", "verdict"],
    evaluateGoals(results, connections).map((goal) => [goal.goal, goal.measured, goal.target, goal.verdict]),
  );
  const floods = ran.flatMap((id) => {
    const tallies = rounds(id).flatMap((round) => (round.scrapes ? [round.scrapes] : []));
    if (tallies.length === 0) return [];
    const failed = tallies.reduce((sum, tally) => sum + tally.failed, 0);
    return [
      `${contenderLabels[id].trim()}: metrics port scraped at ${spread(
        tallies.map((tally) => tally.perSecond),
        0,
      )} scrapes/s, ${failed} failed`,
    ];
  });
  const othersPeak = Math.max(0, ...cpuMedians.map(({ cpu }) => cpu.others));
  const noise =
    othersPeak > 25
      ? [
          `Other processes used up to ${othersPeak.toFixed(0)}% of a core during these runs: the figures are noisy.`,
        ]
      : [];
  return [
    "Throughput and latency (median over rounds, range in brackets)",
    figures,
    ...floods,
    "",
    "CPU during the runs (median share of one core; the machine has 2 cores shared with other work)",
    cpuTable,
    ...noise,
    "",
    "Goals",
    goals,
  ].join("\n");
}
