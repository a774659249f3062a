import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SmokeClient } from "../http/client.ts";
import { LATENCY_PATH, type StandIn, startStandIn } from "../testing/stand-in.ts";
import { measureLatency, percentilesOf } from "./measure.ts";

const DELAY_MS = 200;

describe("measureLatency against a stand-in with 10 % of responses delayed 200 ms and 2 % of 500s", () => {
  let standIn: StandIn;
  before(async () => {
    standIn = await startStandIn({ slow: { delayMs: DELAY_MS, every: 10 }, failing: { every: 50 } });
  });
  after(() => standIn.close());

  test("closed loop: counts, status counts and percentiles match the known distribution", async () => {
    const client = new SmokeClient({ url: new URL(standIn.url), requestTimeoutMs: 5000 }, { maxSockets: 4 });
    const result = await measureLatency(client, {
      path: LATENCY_PATH,
      load: { kind: "requests", count: 300 },
      concurrency: 4,
    });
    client.close();
    assert.equal(result.mode, "closed-loop");
    assert.equal(result.requests, 300);
    assert.deepEqual(result.statusCounts, { "200": 294, "500": 6 });
    assert.equal(result.errors, 6);
    assert.equal(result.errorRate, 0.02);
    // 90 % of responses are immediate, 10 % wait DELAY_MS: the median is fast, p95 and p99 are slow.
    const truth = percentilesOf(standIn.served);
    assert.ok(result.latencyMs.p50 < DELAY_MS, `p50 ${result.latencyMs.p50}`);
    assert.ok(
      truth.p95 >= DELAY_MS && truth.p50 < DELAY_MS,
      `stand-in's own p50 ${truth.p50}, p95 ${truth.p95}`,
    );
    for (const key of ["p95", "p99", "max"] as const) {
      assert.ok(
        result.latencyMs[key] >= truth[key],
        `${key}: ours ${result.latencyMs[key]} below served ${truth[key]}`,
      );
      assert.ok(
        result.latencyMs[key] < truth[key] + DELAY_MS,
        `${key}: ours ${result.latencyMs[key]}, served ${truth[key]}`,
      );
    }
  });
});

describe("measureLatency open loop", () => {
  test("counts the queueing behind a stalled response from each request's intended send time", async (t) => {
    // 2 % of responses stall 300 ms: a closed loop at concurrency 1 sees them as 2 % of samples (p95 fast);
    // an open loop at 100 req/s has ~30 requests fall due behind each stall, and counts their wait.
    const standIn = await startStandIn({ slow: { delayMs: 300, every: 50 } });
    t.after(() => standIn.close());
    const client = new SmokeClient({ url: new URL(standIn.url), requestTimeoutMs: 5000 }, { maxSockets: 1 });
    t.after(() => client.close());
    const plan = { path: LATENCY_PATH, load: { kind: "requests", count: 200 } as const, concurrency: 1 };
    const closed = await measureLatency(client, plan);
    const open = await measureLatency(client, { ...plan, rate: 100 });
    assert.equal(open.mode, "open-loop");
    assert.equal(open.requests, 200);
    assert.ok(closed.latencyMs.p95 < 300, `closed-loop p95 ${closed.latencyMs.p95}`);
    assert.ok(open.latencyMs.p95 >= 150, `open-loop p95 ${open.latencyMs.p95}`);
    assert.ok(open.latencyMs.max >= 300, `open-loop max ${open.latencyMs.max}`);
  });

  test("a duration-bounded open loop sends rate x duration requests", async (t) => {
    const standIn = await startStandIn();
    t.after(() => standIn.close());
    const client = new SmokeClient({ url: new URL(standIn.url), requestTimeoutMs: 5000 }, { maxSockets: 2 });
    t.after(() => client.close());
    const result = await measureLatency(client, {
      path: LATENCY_PATH,
      load: { kind: "duration", ms: 500 },
      concurrency: 2,
      rate: 200,
    });
    assert.equal(result.requests, 100);
    assert.equal(standIn.requests(), 100);
  });

  test("requests that get no response count as errors by their code", async () => {
    const client = new SmokeClient(
      { url: new URL("http://127.0.0.1:1"), requestTimeoutMs: 5000 },
      { maxSockets: 1 },
    );
    const result = await measureLatency(client, {
      path: "/healthz",
      load: { kind: "requests", count: 3 },
      concurrency: 1,
    });
    client.close();
    assert.deepEqual(result.statusCounts, { ECONNREFUSED: 3 });
    assert.equal(result.errorRate, 1);
  });
});
