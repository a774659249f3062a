// build-push as an ActionDefinition: one parse, run and report for the GitHub entry (github.ts) and the CLI
// (index.ts, also what the Jenkinsfile runs).
import type { ActionDefinition } from "../lib/entry/definition.ts";
import { type BuildPushConfig, parseBuildPushInputs } from "./context.ts";
import { actionsExec } from "./docker/exec.ts";
import { buildPushInputs, buildPushSecretEnv } from "./inputs.ts";
import { type BuildPushResult, buildPushExitCode, buildPushOutputs, buildPushSummary } from "./result.ts";
import { runBuildPush } from "./run.ts";

export const buildPush: ActionDefinition<BuildPushConfig, BuildPushResult> = {
  name: "build-push",
  description:
    "Build the image (BuildKit when present, else the classic builder), push it by commit SHA (and version), and check the registry holds the digest the push reported.",
  inputs: buildPushInputs,
  secretEnv: buildPushSecretEnv,
  parse: (inputs, env) => parseBuildPushInputs(inputs, env),
  run: (config, context) =>
    runBuildPush(config, {
      exec: actionsExec,
      log: context.log,
      env: context.env,
      secret: (value) => context.secret(value),
    }),
  outputs: buildPushOutputs,
  summary: buildPushSummary,
  exitCode: buildPushExitCode,
};
