// The GitHub workflows as data, for the checks that read them (parity, pins, shellcheck of `run:` blocks).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./render.ts";

export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}

export interface Job {
  name?: string;
  "runs-on": string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string; url?: string };
  permissions?: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  name: string;
  on: unknown;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export const workflowDir = join(repoRoot, ".github", "workflows");

export const workflowFiles = (): string[] =>
  readdirSync(workflowDir)
    .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
    .sort();

export function readWorkflow(file: string): Workflow {
  return parse(readFileSync(join(workflowDir, file), "utf8")) as Workflow;
}

export const allSteps = (workflow: Workflow): { job: string; step: Step }[] =>
  Object.entries(workflow.jobs).flatMap(([job, { steps }]) => steps.map((step) => ({ job, step })));

/** `./actions/<name>` of a local action step, else undefined. */
export const localAction = (step: Step): string | undefined =>
  /^\.\/actions\/([a-z0-9-]+)$/.exec(step.uses ?? "")?.[1];
