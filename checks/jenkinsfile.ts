// The Jenkinsfile as Groovy parses it (checks/jenkinsfile-tree.groovy), and its stages' action commands as
// argument lists, split by shell-quote the way the agent's shell splits them.
import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse as shellWords } from "shell-quote";
import { execFileAsync } from "../local/common/exec-file.ts";
import { repoRoot } from "./render.ts";

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export interface Call {
  method: string;
  args: Value[];
  calls: Call[];
}

export interface JenkinsfileTree {
  script: Call[];
  methods: Record<string, Call[]>;
}

/** Debian's groovy looks for Java in JAVA_HOME, else /usr/lib/jvm/default-java: derive it from `java` on PATH. */
async function javaHome(): Promise<string> {
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  const { stdout } = await execFileAsync("sh", ["-c", "command -v java"]);
  return dirname(dirname(realpathSync(stdout.trim())));
}

export async function parseJenkinsfile(file = join(repoRoot, "Jenkinsfile")): Promise<JenkinsfileTree> {
  const script = join(repoRoot, "checks", "jenkinsfile-tree.groovy");
  const { stdout } = await execFileAsync("groovy", [script, file], {
    env: { ...process.env, JAVA_HOME: await javaHome() },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as JenkinsfileTree;
}

/** Every call in a tree, depth first. */
export const flatten = (calls: Call[]): Call[] => calls.flatMap((c) => [c, ...flatten(c.calls)]);

/** Every string literal among a tree's arguments. */
export function strings(calls: Call[]): string[] {
  const of = (v: Value): string[] =>
    typeof v === "string"
      ? [v]
      : Array.isArray(v)
        ? v.flatMap(of)
        : v && typeof v === "object"
          ? Object.values(v).flatMap(of)
          : [];
  return flatten(calls).flatMap((c) => c.args.flatMap(of));
}

export interface StageCommand {
  stage: string;
  action: string;
  /** `--flag value` pairs in their order, the values as the shell sees them (`$VAR` left unexpanded); a flag
   * alone is a boolean input, `true`. */
  inputs: [string, string][];
}

/** A command `npx tsx actions/<name> --a x --b y` as the action and its inputs; undefined for other text. */
export function actionCommand(stage: string, command: string): StageCommand | undefined {
  if (!/^\s*npx tsx actions\//.test(command)) return undefined;
  // A backslash-newline is a line continuation to the shell: removed before words are split.
  const words = shellWords(command.replaceAll("\\\n", ""), (name) => `$${name}`);
  if (!words.every((w): w is string => typeof w === "string"))
    throw new Error(`${stage}: "${command.trim()}" is not a simple command`);
  const [, , entry = "", ...rest] = words;
  const action = /^actions\/([a-z0-9-]+)$/.exec(entry)?.[1];
  if (!action) throw new Error(`${stage}: "${entry}" is not an action entry`);
  const inputs: [string, string][] = [];
  for (let i = 0; i < rest.length; i++) {
    const flag = /^--([a-z0-9-]+)$/.exec(rest[i] ?? "")?.[1];
    if (!flag) throw new Error(`${stage}: expected --<input> at "${rest[i]}"`);
    // A boolean input is a flag alone (node:util parseArgs), which the workflow writes as `true`.
    const value = rest[i + 1];
    const alone = value === undefined || value.startsWith("--");
    inputs.push([flag, alone ? "true" : value]);
    if (!alone) i++;
  }
  return { stage, action, inputs };
}

/** The pipeline's stages in order, each with the action commands it runs. */
export function stageCommands(tree: JenkinsfileTree): StageCommand[] {
  const pipeline = tree.script.find((c) => c.method === "pipeline");
  const stages =
    pipeline?.calls.find((c) => c.method === "stages")?.calls.filter((c) => c.method === "stage") ?? [];
  return stages.flatMap((stage) => {
    const name = String(stage.args[0]);
    return strings(stage.calls).flatMap((text) => actionCommand(name, text) ?? []);
  });
}
