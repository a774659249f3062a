// The JSON report Jenkins archives and tools read: the action's typed result plus when and how it ended.
import type { Problem } from "./problem.ts";

export interface InvalidInput {
  readonly result: "invalid";
  readonly problems: readonly Problem[];
}

export interface ActionReport<Result> {
  readonly action: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly exitCode: number;
  readonly outcome: Result | InvalidInput;
}

export function reportJson<Result>(report: ActionReport<Result>): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
