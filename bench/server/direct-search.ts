// The baseline for GET /jobs: the same search function over postgres.js, at the same concurrency, with no
// HTTP. A long-lived child process (like the servers, so it stays warm and its CPU is measured apart):
// forked with DATABASE_URL and BENCH_POOL_MAX, it answers each { connections, durationSeconds } message with
// a LoadResult.
import { performance } from "node:perf_hooks";
import { build } from "hdr-histogram-js";
import { type DirectRunRequest, directRunRequest } from "./direct-protocol.ts";
import type { LoadResult } from "./load-result.ts";
import { searchQueries } from "./queries.ts";
import { openDirectSearch } from "./search-adapter.ts";

const poolMax = Number.parseInt(process.env.BENCH_POOL_MAX ?? "", 10);
const direct = openDirectSearch(process.env.DATABASE_URL ?? "", poolMax);
let next = 0;

async function measure({ connections, durationSeconds }: DirectRunRequest): Promise<LoadResult> {
  const latencies = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000 });
  let completed = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationSeconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline) {
      const query = searchQueries[next++ % searchQueries.length] as Readonly<Record<string, string>>;
      const sent = performance.now();
      try {
        await direct.search(query);
        completed++;
        latencies.recordValue(Math.max(1, Math.round((performance.now() - sent) * 1000)));
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, caller));
  const elapsedSeconds = (performance.now() - started) / 1000;
  return {
    requestsPerSecond: completed / elapsedSeconds,
    p50Ms: latencies.getValueAtPercentile(50) / 1000,
    p99Ms: latencies.getValueAtPercentile(99) / 1000,
    errors,
  };
}

process.on("message", async (message) => {
  process.send?.(await measure(directRunRequest.parse(message)));
});
process.once("disconnect", () => void direct.close());
process.send?.("ready");
