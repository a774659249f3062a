// `npm run bench:platform:objects`: 1 000 objects created, listed and watched through the API server
// (HTTP on loopback, a durable store in a temporary folder). Prints create latency, list latency (JSON
// and Table, 1 000 items), create-to-watch-event latency and the process's memory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startApiServer } from "../kube/apiserver/server.ts";
import { MemoryStore } from "../kube/store/memory-store.ts";

const count = 1000;
const listRounds = 20;
const concurrency = 8;
const token = "bench";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function row(name: string, values: number[]): string {
  const cells = [
    percentile(values, 50),
    percentile(values, 95),
    percentile(values, 99),
    Math.max(...values),
  ].map((v) => v.toFixed(2).padStart(9));
  return `${name.padEnd(34)}${String(values.length).padStart(6)}${cells.join("")}`;
}

const dir = mkdtempSync(join(tmpdir(), "bench-objects-"));
const store = new MemoryStore({ stateDir: join(dir, "store") });
const server = await startApiServer({ store, token });
const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
const base = `${server.url}/api/v1/namespaces/default/configmaps`;
const rssBefore = process.memoryUsage().rss;

try {
  // The watch: started from the current version, records when each object's ADDED event arrives.
  const arrived = new Map<string, number>();
  const watch = new AbortController();
  const stream = await fetch(`${base}?watch=1&resourceVersion=${store.resourceVersion}`, {
    headers,
    signal: watch.signal,
  });
  const reader = stream.body?.getReader();
  if (!reader) throw new Error("no watch stream");
  const reading = (async () => {
    let buffer = "";
    const decoder = new TextDecoder();
    while (arrived.size < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const event = JSON.parse(buffer.slice(0, newline)) as {
          type: string;
          object: { metadata: { name: string } };
        };
        if (event.type === "ADDED") arrived.set(event.object.metadata.name, performance.now());
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    }
  })();

  const started = new Map<string, number>();
  const createLatency: number[] = [];
  let next = 0;
  const createStart = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const name = `bench-${String(next++).padStart(4, "0")}`;
        const body = JSON.stringify({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name, labels: { bench: "objects" } },
          data: { payload: "x".repeat(256) },
        });
        const begin = performance.now();
        started.set(name, begin);
        const response = await fetch(base, { method: "POST", headers, body });
        await response.arrayBuffer();
        if (response.status !== 201) throw new Error(`create ${name}: ${response.status}`);
        createLatency.push(performance.now() - begin);
      }
    }),
  );
  const createSeconds = (performance.now() - createStart) / 1000;
  await reading;
  watch.abort();
  const watchLatency = [...arrived].map(([name, time]) => time - (started.get(name) ?? time));

  const listLatency: number[] = [];
  const tableLatency: number[] = [];
  for (let round = 0; round < listRounds; round++) {
    let begin = performance.now();
    const list = (await (await fetch(`${base}?labelSelector=bench%3Dobjects`, { headers })).json()) as {
      items: unknown[];
    };
    listLatency.push(performance.now() - begin);
    if (list.items.length !== count) throw new Error(`list returned ${list.items.length} items`);
    begin = performance.now();
    await (
      await fetch(base, { headers: { ...headers, Accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })
    ).arrayBuffer();
    tableLatency.push(performance.now() - begin);
  }
  const rssAfter = process.memoryUsage().rss;

  console.log(
    `platform objects benchmark: ${count} ConfigMaps (256-byte payload), ${concurrency} concurrent creators, durable store`,
  );
  console.log(
    `${"".padEnd(34)}${"n".padStart(6)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}${"max ms".padStart(9)}`,
  );
  console.log(row("create (POST)", createLatency));
  console.log(row("create -> watch ADDED", watchLatency));
  console.log(row(`list ${count} (JSON)`, listLatency));
  console.log(row(`list ${count} (Table)`, tableLatency));
  console.log(
    `create throughput: ${(count / createSeconds).toFixed(0)} objects/s; watch events received: ${arrived.size}/${count}`,
  );
  console.log(
    `RSS: ${(rssBefore / 2 ** 20).toFixed(1)} MiB before, ${(rssAfter / 2 ** 20).toFixed(1)} MiB after (server and client in one process)`,
  );
} finally {
  await server.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
