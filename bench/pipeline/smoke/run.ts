// npm run bench:pipeline:smoke -- [--seconds N] [--connections N] [--requests N]
// The smoke-test part of bench:pipeline. Capacity: requests per second the gate's own client sustains against a
// trivial loopback endpoint, beside autocannon on the same endpoint in the same run (goal >= 5 000 req/s, so
// the gate never measures itself). Accuracy: against a stand-in with a known latency distribution, the gate's
// p50/p95/p99/max beside the truth and beside autocannon's (goal: within 5 % of the truth).
import { type ChildProcess, spawn } from "node:child_process";
import type { EventEmitter } from "node:events";
import { availableParallelism, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { SmokeClient } from "../../../actions/smoke-test/http/client.ts";
import {
  measureLatency,
  newHistogram,
  type Percentiles,
  percentilesOf,
} from "../../../actions/smoke-test/latency/measure.ts";
import { LATENCY_PATH } from "../../../actions/smoke-test/testing/stand-in.ts";
import { ExitCode, InvalidInputError, runCli } from "../../../local/common/exit-code.ts";
import { DELAY_SCHEDULE, exactPercentile } from "./distribution.ts";

const CAPACITY_GOAL = 5000;
const ACCURACY_GOAL = 0.05;

interface Target {
  url: string;
  /** Percentiles of the latency path as the target timed it since the last call. */
  served(): Promise<Percentiles>;
  stop(): Promise<void>;
}

/** The stand-in in a child process (tsx, Node 24), so the clients measured here have this process to themselves. */
async function startTarget(): Promise<Target> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, new URL("./target-process.ts", import.meta.url).pathname],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`target exited with ${code}`)));
    });
  const { url } = JSON.parse(await nextLine()) as { url: string };
  return {
    url,
    async served() {
      const answer = nextLine();
      child.stdin?.write("served\n");
      return JSON.parse(await answer) as Percentiles;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.stdin?.end();
      }),
  };
}

async function ourClosedLoop(
  url: string,
  path: string,
  connections: number,
  load: { seconds?: number; requests?: number },
) {
  const client = new SmokeClient(
    { url: new URL(url), requestTimeoutMs: 10_000 },
    { maxSockets: connections },
  );
  try {
    return await measureLatency(client, {
      path,
      concurrency: connections,
      load:
        load.requests === undefined
          ? { kind: "duration", ms: (load.seconds ?? 5) * 1000 }
          : { kind: "requests", count: load.requests },
    });
  } finally {
    client.close();
  }
}

async function autocannonRun(
  url: string,
  connections: number,
  load: { seconds?: number; requests?: number },
) {
  const histogram = newHistogram();
  const instance = autocannon({
    url,
    connections,
    ...(load.requests === undefined ? { duration: load.seconds ?? 5 } : { amount: load.requests }),
  });
  // autocannon's tracker emits (client, statusCode, resBytes, responseTime in ms) for every response.
  (instance as unknown as EventEmitter).on(
    "response",
    (_client: unknown, _status: number, _bytes: number, ms: number) => {
      histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
    },
  );
  const result = await instance;
  return { result, percentiles: percentilesOf(histogram), count: histogram.totalCount };
}

function ratio(value: number, truth: number): string {
  const off = (value - truth) / truth;
  return `${value.toFixed(2)} (${off >= 0 ? "+" : ""}${(off * 100).toFixed(1)} %)`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

interface Options {
  seconds: number;
  rounds: number;
  connections: number;
  requests: number;
  accuracyConnections: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: "string", default: "5" },
      rounds: { type: "string", default: "3" },
      connections: { type: "string", default: "16" },
      requests: { type: "string", default: "3000" },
      "accuracy-connections": { type: "string", default: "50" },
    },
  });
  const options: Options = {
    seconds: Number(values.seconds),
    rounds: Number(values.rounds),
    connections: Number(values.connections),
    requests: Number(values.requests),
    accuracyConnections: Number(values["accuracy-connections"]),
  };
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 1)
      throw new InvalidInputError(`--${name} must be a whole number >= 1`);
  }
  return options;
}

/** Alternating rounds, so a change in the machine's other load hits both clients alike; medians reported. */
async function capacity(url: string, { seconds, rounds, connections }: Options) {
  const ours: number[] = [];
  const theirs: number[] = [];
  let ourRequests = 0;
  let theirRequests = 0;
  // One unreported second each first, so neither client is measured while its code is still being compiled.
  await ourClosedLoop(url, "/healthz", connections, { seconds: 1 });
  await autocannonRun(`${url}/healthz`, connections, { seconds: 1 });
  for (let round = 1; round <= rounds; round += 1) {
    const our = await ourClosedLoop(url, "/healthz", connections, { seconds });
    const their = await autocannonRun(`${url}/healthz`, connections, { seconds });
    ours.push(our.requestsPerSecond);
    theirs.push(their.result.requests.total / (their.result.duration || seconds));
    ourRequests += our.requests;
    theirRequests += their.result.requests.total;
    console.error(
      `  round ${round}: smoke-test ${Math.round(our.requestsPerSecond)} req/s, autocannon ${Math.round(theirs.at(-1) ?? 0)} req/s`,
    );
  }
  return { ourRate: median(ours), theirRate: median(theirs), ourRequests, theirRequests };
}

await runCli(async (argv) => {
  const options = parseOptions(argv);
  const { seconds, rounds, connections, requests, accuracyConnections } = options;
  const target = await startTarget();
  try {
    console.error(
      `capacity: ${rounds} x ${seconds} s each, ${connections} connections, GET /healthz on ${target.url}`,
    );
    const { ourRate, theirRate, ourRequests, theirRequests } = await capacity(target.url, options);
    const load = loadavg()[0]?.toFixed(1);
    console.error(
      `accuracy: ${requests} requests each, ${accuracyConnections} connections, GET ${LATENCY_PATH}`,
    );
    await target.served();
    const ourAccuracy = await ourClosedLoop(target.url, LATENCY_PATH, accuracyConnections, { requests });
    const servedToUs = await target.served();
    const theirAccuracy = await autocannonRun(`${target.url}${LATENCY_PATH}`, accuracyConnections, {
      requests,
    });
    const servedToThem = await target.served();
    const truth = {
      p50: exactPercentile(DELAY_SCHEDULE, 50),
      p95: exactPercentile(DELAY_SCHEDULE, 95),
      p99: exactPercentile(DELAY_SCHEDULE, 99),
      max: exactPercentile(DELAY_SCHEDULE, 100),
    };
    const rows = (["p50", "p95", "p99", "max"] as const).map((key) => {
      const ourValue = ourAccuracy.latencyMs[key];
      const within = Math.abs(ourValue - truth[key]) / truth[key] <= ACCURACY_GOAL;
      const served = `${servedToUs[key].toFixed(2)} / ${servedToThem[key].toFixed(2)}`;
      const offServed = (((ourValue - servedToUs[key]) / servedToUs[key]) * 100).toFixed(1);
      return `| ${key} | ${truth[key]} | ${served} | ${ratio(ourValue, truth[key])} | ${ratio(theirAccuracy.percentiles[key], truth[key])} | ${offServed} % | ${within ? "yes" : "NO"} |`;
    });
    const autocannonOwn = theirAccuracy.result.latency;
    const met = (rate: number) => (rate >= CAPACITY_GOAL ? "met" : "MISSED");
    console.log(
      [
        "## smoke-test client: capacity and accuracy",
        "",
        `Capacity: GET /healthz on a loopback stand-in in its own process, ${connections} connections, closed loop, ` +
          `${rounds} alternating rounds of ${seconds} s (load average ${load} on ${availableParallelism()} cores):`,
        "",
        "| client | requests (all rounds) | median req/s | vs autocannon | goal >= 5 000 req/s |",
        "|---|---|---|---|---|",
        `| smoke-test (node:http, keep-alive) | ${ourRequests} | ${Math.round(ourRate)} | ${(ourRate / theirRate).toFixed(2)}x | ${met(ourRate)} |`,
        `| autocannon | ${theirRequests} | ${Math.round(theirRate)} | 1.00x | ${met(theirRate)} |`,
        "",
        `Accuracy: GET ${LATENCY_PATH} (60 % 50 ms, 36 % 100 ms, 3 % 200 ms, 1 % 400 ms), ${requests} requests, ` +
          `${accuracyConnections} connections; ms (error vs truth):`,
        "",
        "| percentile | truth | as the target timed it (our run / autocannon's) | smoke-test | autocannon | smoke-test vs as timed | smoke-test within 5 % of truth |",
        "|---|---|---|---|---|---|---|",
        ...rows,
        "",
        `autocannon's own summary (1 ms resolution, no p95): p50 ${autocannonOwn.p50}, p97.5 ${autocannonOwn.p97_5}, ` +
          `p99 ${autocannonOwn.p99}, max ${autocannonOwn.max}. Errors: smoke-test ${ourAccuracy.errors}, ` +
          `autocannon ${theirAccuracy.result.errors}.`,
      ].join("\n"),
    );
  } finally {
    await target.stop();
  }
  return ExitCode.Ok;
});
