import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { latencyChart } from "./latency-chart.ts";

interface JisonParser {
  parser: { yy: unknown };
  parse(text: string): unknown;
}

/**
 * Mermaid's own xychart grammar (its generated jison parser). `mermaid.parse()` needs a browser DOM (DOMPurify)
 * for the diagram database, so the test gives the grammar a recording database instead: the grammar decides
 * what is valid, the recorded calls show what Mermaid read.
 */
async function mermaidXychartParser(): Promise<{ parse(text: string): [string, unknown[]][] }> {
  const chunks = join(dirname(fileURLToPath(import.meta.resolve("mermaid"))), "chunks", "mermaid.core");
  const file = (await readdir(chunks)).find((name) => /^xychartDiagram-[\w-]+\.mjs$/.test(name));
  assert.ok(file, `no xychart chunk in ${chunks}`);
  const { diagram } = (await import(pathToFileURL(join(chunks, file)).href)) as {
    diagram: { parser: JisonParser };
  };
  return {
    parse(text) {
      const calls: [string, unknown[]][] = [];
      const setters = ["setOrientation", "setDiagramTitle", "setAccTitle", "setAccDescription", "setLineData"]
        .concat(["setBarData", "setXAxisTitle", "setXAxisBand", "setXAxisRangeData", "setYAxisTitle"])
        .concat(["setYAxisRangeData"]);
      diagram.parser.parser.yy = Object.fromEntries(
        setters.map((name) => [name, (...args: unknown[]) => calls.push([name, args])]),
      );
      diagram.parser.parse(text);
      return calls;
    },
  };
}

const latency = { p50: 1.234, p75: 2, p90: 4.5, p95: 212.7, p99: 230, p999: 250, max: 251.3, mean: 25 };

test("latencyChart writes an xychart-beta that Mermaid's grammar accepts, with our values", async () => {
  const chart = latencyChart(latency, 500, 'GET /healthz "latency"');
  const calls = await (await mermaidXychartParser()).parse(chart);
  const call = (name: string) => calls.find(([called]) => called === name)?.[1];
  assert.deepEqual(call("setDiagramTitle"), ["GET /healthz 'latency'"]);
  assert.deepEqual(call("setYAxisRangeData"), [0, 500]);
  const values = (name: string) => ((call(name) ?? [])[1] as { value: number }[]).map((point) => point.value);
  assert.deepEqual(values("setBarData"), [1.23, 2, 4.5, 212.7, 230, 250, 251.3]);
  assert.deepEqual(values("setLineData"), [500, 500, 500, 500, 500, 500, 500]);
  const band = call("setXAxisBand")?.[0] as { text: string }[];
  assert.deepEqual(
    band.map((label) => label.text),
    ["p50", "p75", "p90", "p95", "p99", "p99.9", "max"],
  );
});

test("the y axis ends on a round number above both the slowest value and the limit", async () => {
  const parser = await mermaidXychartParser();
  const range = (chart: string) => parser.parse(chart).find(([name]) => name === "setYAxisRangeData")?.[1];
  assert.deepEqual(range(latencyChart({ ...latency, max: 1234 }, 500, "t")), [0, 2000]);
  assert.deepEqual(
    range(
      latencyChart(
        { p50: 0.1, p75: 0.1, p90: 0.2, p95: 0.2, p99: 0.3, p999: 0.3, max: 0.4, mean: 0.1 },
        0.3,
        "t",
      ),
    ),
    [0, 0.5],
  );
});

test("Mermaid's grammar rejects a malformed chart (the check can fail)", async () => {
  const parser = await mermaidXychartParser();
  assert.throws(() => parser.parse("xychart-beta\n  bar [1, x]\n"), /Parse error/);
});
