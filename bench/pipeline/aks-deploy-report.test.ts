import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderAksDeployReport } from "./aks-deploy-report.ts";

describe("bench:pipeline aks-deploy report", () => {
  test("median and max per figure, the paired ratio, and each goal's verdict", () => {
    const text = renderAksDeployReport(
      [
        {
          signalToUndoMs: 100,
          signalToDetectMs: 50,
          aksDeployHealthyMs: 4000,
          kubectlHealthyMs: 20_000,
          completeToExitMs: 150,
        },
        {
          signalToUndoMs: 700,
          signalToDetectMs: 50,
          aksDeployHealthyMs: 6000,
          kubectlHealthyMs: 30_000,
          completeToExitMs: 90,
        },
        {
          signalToUndoMs: 200,
          signalToDetectMs: 50,
          aksDeployHealthyMs: 5000,
          kubectlHealthyMs: 25_000,
          completeToExitMs: 120,
        },
      ],
      { repetitions: 3, progressDeadlineSeconds: 20 },
    );
    assert.match(text, /first decisive pod signal -> undo accepted\s+200 ms\s+700 ms\s+<= 500 ms: MISSED/);
    assert.match(text, /ratio \(a\)\/\(b\), paired per repetition\s+0\.200\s+0\.200/);
    assert.match(text, /rollout complete -> step exit \(healthy deploy\)\s+120 ms\s+150 ms\s+<= 200 ms: met/);
  });
});
