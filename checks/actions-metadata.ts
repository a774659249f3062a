// The action.yml files that exist under actions/*/ (more appear as actions are built; every check covers them).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./render.ts";

export interface ActionMetadata {
  name: string;
  description: string;
  inputs?: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description: string }>;
  runs: { using: string; main?: string; post?: string; "post-if"?: string };
}

export const actionsDir = join(repoRoot, "actions");

export function actionNames(): string[] {
  return readdirSync(actionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(actionsDir, d.name, "action.yml")))
    .map((d) => d.name)
    .sort();
}

export function readActionMetadata(name: string): ActionMetadata {
  return parse(readFileSync(join(actionsDir, name, "action.yml"), "utf8")) as ActionMetadata;
}
