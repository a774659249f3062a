// npm run bench:pipeline:smoke -- [--seconds N] [--connections N] [--requests N]
// The smoke-test part of bench:pipeline. Capacity: requests per second the gate's own client sustains against a
// trivial loopback endpoint, beside autocannon on the same endpoint in the same run (goal >= 5 000 req/s, so
// the gate never measures itself). Accuracy: against a stand-in with a known latency distribution, the gate's
// p50/p95/p99/max beside the truth and beside autocannon's (goal: within 5 % of the truth).
import { type ChildProcess, spawn } from "node:child_process";
import type { EventEmitter } from "node:events";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { SmokeClient } from "../../../actions/smoke-test/http/client.ts";
import { measureLatency, newHistogram, percentilesOf } from "../../../actions/smoke-test/latency/measure.ts";
import { LATENCY_PATH } from "../../../actions/smoke-test/test-support/stand-in.ts";
import { DELAY_SCHEDULE, exactPercentile } from "./distribution.ts";

const CAPACITY_GOAL = 5000;
const ACCURACY_GOAL = 0.05;

interface Target {
  url: string;
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
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`target exited with ${code}`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
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

try {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      seconds: { type: "string", default: "5" },
      connections: { type: "string", default: "16" },
      requests: { type: "string", default: "3000" },
      "accuracy-connections": { type: "string", default: "50" },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const requests = Number(values.requests);
  const accuracyConnections = Number(values["accuracy-connections"]);
  for (const [name, value] of Object.entries({ seconds, connections, requests, accuracyConnections })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1`);
  }
  const target = await startTarget();
  try {
    console.error(`capacity: ${seconds} s each, ${connections} connections, GET /healthz on ${target.url}`);
    const ours = await ourClosedLoop(target.url, "/healthz", connections, { seconds });
    const theirs = await autocannonRun(`${target.url}/healthz`, connections, { seconds });
    const ourRate = ours.requestsPerSecond;
    const theirRate = theirs.result.requests.total / (theirs.result.duration || seconds);

    console.error(
      `accuracy: ${requests} requests each, ${accuracyConnections} connections, GET ${LATENCY_PATH}`,
    );
    const ourAccuracy = await ourClosedLoop(target.url, LATENCY_PATH, accuracyConnections, { requests });
    const theirAccuracy = await autocannonRun(`${target.url}${LATENCY_PATH}`, accuracyConnections, {
      requests,
    });
    const truth = {
      p50: exactPercentile(DELAY_SCHEDULE, 50),
      p95: exactPercentile(DELAY_SCHEDULE, 95),
      p99: exactPercentile(DELAY_SCHEDULE, 99),
      max: exactPercentile(DELAY_SCHEDULE, 100),
    };
    const rows = (["p50", "p95", "p99", "max"] as const).map((key) => {
      const ourValue = ourAccuracy.latencyMs[key];
      const within = Math.abs(ourValue - truth[key]) / truth[key] <= ACCURACY_GOAL;
      return `| ${key} | ${truth[key]} | ${ratio(ourValue, truth[key])} | ${ratio(theirAccuracy.percentiles[key], truth[key])} | ${within ? "yes" : "NO"} |`;
    });
    const autocannonOwn = theirAccuracy.result.latency;
    console.log(
      [
        "## smoke-test client: capacity and accuracy",
        "",
        `Capacity (GET /healthz on a loopback stand-in in its own process, ${connections} connections, ${seconds} s each, closed loop):`,
        "",
        "| client | requests | req/s | vs autocannon | goal >= 5 000 req/s |",
        "|---|---|---|---|---|",
        `| smoke-test (node:http, keep-alive) | ${ours.requests} | ${Math.round(ourRate)} | ${(ourRate / theirRate).toFixed(2)}x | ${ourRate >= CAPACITY_GOAL ? "met" : "MISSED"} |`,
        `| autocannon | ${theirs.result.requests.total} | ${Math.round(theirRate)} | 1.00x | ${theirRate >= CAPACITY_GOAL ? "met" : "MISSED"} |`,
        "",
        `Accuracy (GET ${LATENCY_PATH}: 60 % 50 ms, 36 % 100 ms, 3 % 200 ms, 1 % 400 ms; ${requests} requests, ${accuracyConnections} connections), ms (error vs truth):`,
        "",
        "| percentile | truth | smoke-test | autocannon | smoke-test within 5 % |",
        "|---|---|---|---|---|",
        ...rows,
        "",
        `autocannon's own summary (1 ms resolution, no p95): p50 ${autocannonOwn.p50}, p97.5 ${autocannonOwn.p97_5}, p99 ${autocannonOwn.p99}, max ${autocannonOwn.max}; ` +
          `smoke-test errors ${ourAccuracy.errors}, autocannon errors ${theirAccuracy.result.errors}.`,
      ].join("\n"),
    );
  } finally {
    await target.stop();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
