import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { parse } from "yaml";
import { runBundle, runCli } from "../lib/entry/testing/github-runner.ts";
import { SMOKE_INPUTS } from "./inputs.ts";
import { LATENCY_PATH, startStandIn } from "./testing/stand-in.ts";

test("--help lists the inputs as flags", async () => {
  const run = await runCli("smoke-test", ["--help"]);
  assert.equal(run.exitCode, 0);
  for (const flag of [
    "--url <value>",
    "--connect-to <value>",
    "--max-p95-ms <value>",
    "--check-https-redirect",
  ]) {
    assert.ok(run.stdout.includes(flag), flag);
  }
});

test("bad configuration exits 3 before any request, naming every problem (CLI)", async (t) => {
  const server = await startStandIn();
  t.after(() => server.close());
  const run = await runCli("smoke-test", [
    "--url",
    server.url,
    "--max-p95-ms=-1",
    "--ca-file",
    "/nonexistent/ca.crt",
    "--checks",
    "actions/smoke-test/testing/bad-checks.yaml",
  ]);
  assert.equal(run.exitCode, 3);
  assert.equal(server.requests(), 0);
  assert.deepEqual(run.stderr.trim().split("\n"), [
    "error: input ca-file: cannot read /nonexistent/ca.crt: ENOENT",
    "error: input ca-file: given for an http:// url",
    "error: actions/smoke-test/testing/bad-checks.yaml:5 checks[0].expect.json[0].field: Invalid input: expected string, received undefined",
    "error: actions/smoke-test/testing/bad-checks.yaml:5 checks[0].expect.json[0].fields: unknown field",
    "error: input max-p95-ms: -1 is out of range (must be a number >= 0)",
  ]);
});

test("the committed bundle runs as GitHub runs it: outputs, summary, exit 0 on a healthy target", async (t) => {
  const server = await startStandIn();
  t.after(() => server.close());
  const run = await runBundle("smoke-test", {
    url: server.url,
    "latency-path": LATENCY_PATH,
    requests: "100",
    "max-p95-ms": "5000",
  });
  assert.equal(run.exitCode, 0, run.stdout + run.stderr);
  assert.equal(run.outputs.result, "passed");
  assert.match(run.outputs["p95-ms"] ?? "", /^\d+\.\d{3}$/);
  assert.equal(run.outputs["error-rate"], "0.0000");
  assert.match(run.summary, /^## smoke-test: passed/);
});

test("the bundle exits 3 on a malformed URL and sends nothing", async (t) => {
  const server = await startStandIn();
  t.after(() => server.close());
  const run = await runBundle("smoke-test", { url: `http//127.0.0.1:${server.port}` });
  assert.equal(run.exitCode, 3);
  assert.equal(run.outputs.result, "invalid");
  assert.equal(server.requests(), 0);
  assert.match(run.stdout, /input url: "http\/\/127\.0\.0\.1:\d+" is not a URL/);
});

test("a failing gate exits 1 with result failed", async (t) => {
  const server = await startStandIn({ failing: { every: 10 } });
  t.after(() => server.close());
  const run = await runCli("smoke-test", [
    "--url",
    server.url,
    "--latency-path",
    LATENCY_PATH,
    "--requests",
    "100",
  ]);
  assert.equal(run.exitCode, 1);
  assert.match(run.stdout, /output result=failed/);
  assert.match(run.stderr, /error: error rate 10\.00 % > 1\.00 % \(100 requests\)/);
});

test("action.yml declares exactly the inputs of the definition, with the same defaults", async () => {
  const manifest = parse(await readFile("actions/smoke-test/action.yml", "utf8")) as {
    inputs: Record<string, { required: boolean; default?: string }>;
    runs: { using: string; main: string };
  };
  assert.deepEqual(manifest.runs, { using: "node24", main: "dist/index.mjs" });
  assert.deepEqual(
    Object.entries(manifest.inputs).map(([name, spec]) => [name, spec.required, spec.default]),
    SMOKE_INPUTS.map((input) => [input.name, input.required === true, input.default]),
  );
});
