// The GitHub Actions entry: inputs from INPUT_* through @actions/core, outputs to GITHUB_OUTPUT, the summary to
// GITHUB_STEP_SUMMARY, secrets masked with ::add-mask::. Each action's github.ts calls runGitHubAction.
import * as core from "@actions/core";
import type { ActionDefinition, RawInputs } from "./definition.ts";
import { reportInputs } from "./definition.ts";
import { cancellationSignal, executeAction } from "./execute.ts";

function githubInputs<Config, Result>(definition: ActionDefinition<Config, Result>): RawInputs {
  const inputs: Record<string, string | readonly string[] | undefined> = {};
  for (const spec of [...definition.inputs, ...reportInputs]) {
    if (spec.kind === "multiline") {
      const lines = core.getMultilineInput(spec.name);
      inputs[spec.name] = lines.length > 0 ? lines : undefined;
    } else {
      const value = core.getInput(spec.name);
      inputs[spec.name] = value === "" ? undefined : value;
    }
  }
  return inputs;
}

export async function runGitHubAction<Config, Result>(
  definition: ActionDefinition<Config, Result>,
): Promise<never> {
  const signal = cancellationSignal((name) => core.warning(`${name} received: cancelling`));
  const exitCode = await executeAction(definition, {
    inputs: githubInputs(definition),
    env: process.env,
    signal,
    log: {
      info: core.info,
      warning: (line) => core.warning(line),
      error: (line) => core.error(line),
      startGroup: core.startGroup,
      endGroup: core.endGroup,
    },
    mask: core.setSecret,
    setOutput: core.setOutput,
    async appendSummary(markdown) {
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
    },
  });
  if (exitCode !== 0) process.exitCode = exitCode;
  // Watches and keep-alive sockets would keep the step alive after the result is known.
  process.exit(exitCode);
}
