// The rehearsal's closing summary: the steps with their exit codes and times, the request stream's counts,
// then each action's own summary, the Markdown a GitHub job summary shows for the same step.
import { markdownTable } from "../actions/lib/report/markdown.ts";
import type { StepRecord } from "./progress.ts";
import type { ActionRun } from "./run-action.ts";
import type { TrafficCounts } from "./traffic.ts";

export interface StepExpectation {
  readonly name: string;
  readonly action: string;
  readonly expected: number;
  readonly run: ActionRun;
}

export interface SummaryInput {
  readonly steps: readonly StepRecord[];
  readonly expectations: readonly StepExpectation[];
  readonly traffic: TrafficCounts | undefined;
  readonly totalSeconds: number;
}

function trafficLine(traffic: TrafficCounts | undefined): string {
  if (traffic === undefined) return "No requests were sent: the pipeline stopped before the first release.";
  const kinds = Object.entries(traffic.failures).map(([kind, count]) => `${kind}: ${count}`);
  return `Requests through the Ingress, ${traffic.sent} sent at a steady rate from the moment release 1 served to the end: ${traffic.ok} answered 200, **${traffic.failed} failed**${kinds.length > 0 ? ` (${kinds.join(", ")})` : ""}.`;
}

export function rehearsalSummary(input: SummaryInput): string {
  const expectedByStep = new Map(input.expectations.map((expectation) => [expectation.name, expectation]));
  const rows = input.steps.map((step) => {
    const expectation = expectedByStep.get(step.name);
    return [
      step.ok ? "✅" : "❌",
      step.name,
      expectation === undefined ? "" : `exit ${expectation.expected}`,
      step.outcome,
      `${step.seconds.toFixed(1)} s`,
    ];
  });
  const allOk = input.steps.every((step) => step.ok) && (input.traffic?.failed ?? 0) === 0;
  return [
    `# Rehearsal ${allOk ? "passed" : "FAILED"} in ${input.totalSeconds.toFixed(1)} s`,
    "",
    markdownTable(["", "step", "expected", "outcome", "time"], rows),
    "",
    trafficLine(input.traffic),
    "",
    ...input.expectations.flatMap((expectation) => [
      `<details><summary>${expectation.name} (actions/${expectation.action}, exit ${expectation.run.exitCode})</summary>`,
      "",
      expectation.run.summary.trim(),
      "",
      "</details>",
      "",
    ]),
  ].join("\n");
}
