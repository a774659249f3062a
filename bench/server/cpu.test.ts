import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { coreShares, parseProcStat, sampleTrees, ticksPerSecond } from "./cpu.ts";

test("parses a stat line whose command name holds spaces and parentheses", () => {
  const line = "4242 (tsx (worker) 1) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 30 0 0 20 0 11 0 123 0 0";
  assert.deepEqual(parseProcStat(line), { pid: 4242, parentPid: 17, ticks: 280 });
});

test("counts a busy child's CPU in its parent's tree", async () => {
  const child = spawn(process.execPath, ["-e", "for (;;);"]);
  await once(child, "spawn");
  try {
    const roots = { runner: process.pid, child: child.pid as number };
    let sample = sampleTrees(roots);
    const deadline = Date.now() + 30_000;
    while ((sample.child ?? 0) < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      sample = sampleTrees(roots);
    }
    assert.ok((sample.child ?? 0) >= 5, `child used ${sample.child} ticks`);
    assert.ok((sample.runner ?? 0) >= (sample.child ?? 0), "the runner's tree includes the child");
  } finally {
    child.kill();
  }
});

test("expresses ticks as a share of one core", () => {
  assert.deepEqual(coreShares({ server: 0, wrk: 10 }, { server: ticksPerSecond * 3, wrk: 10 }, 2), {
    server: 150,
    wrk: 0,
  });
});
