import { azureSecretEnv } from "../lib/azure/index.ts";
import type { ActionDefinition, RunContext } from "../lib/entry/definition.ts";
import { ExitCode } from "../lib/entry/exit-code.ts";
import { parseInputs, type SmokeConfig } from "./context.ts";
import { SMOKE_INPUTS } from "./inputs.ts";
import { smokeSummary } from "./report/summary.ts";
import { notStarted, runSmokeTest, type SmokeResult } from "./run.ts";
import type { ReleaseVerdict } from "./verdict/release-verdict.ts";

const EXIT_CODES: Record<SmokeResult["result"], ExitCode> = {
  passed: ExitCode.Ok,
  failed: ExitCode.RolledBack,
  "rolled-back": ExitCode.RolledBack,
  "rollback-failed": ExitCode.RollbackFailed,
  "not-started": ExitCode.NotStarted,
};

/** Builds the verdict for the deployment named in the inputs (the entry's wiring to aks-deploy's ledger). */
export type VerdictFactory = (
  config: SmokeConfig,
  context: RunContext,
) => Promise<ReleaseVerdict | undefined>;

export function smokeTestAction(verdictFor: VerdictFactory): ActionDefinition<SmokeConfig, SmokeResult> {
  return {
    name: "smoke-test",
    description:
      "Gate a release: readiness, TLS, declared checks and latency against thresholds; the verdict marks the " +
      "release verified or undoes it.",
    inputs: SMOKE_INPUTS,
    secretEnv: azureSecretEnv,
    parse: (inputs, env) => parseInputs(inputs, env),
    async run(config, context) {
      let verdict: ReleaseVerdict | undefined;
      try {
        verdict = await verdictFor(config, context);
      } catch (error) {
        const result = notStarted(
          config,
          error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error),
        );
        for (const failure of result.failures) context.log.error(failure);
        return result;
      }
      return runSmokeTest(config, {
        log: context.log,
        signal: context.signal,
        ...(verdict ? { verdict } : {}),
      });
    },
    outputs(result) {
      const ms = (value: number | undefined) => (value === undefined ? "" : value.toFixed(3));
      return {
        result: result.result,
        "p50-ms": ms(result.latency?.latencyMs.p50),
        "p95-ms": ms(result.latency?.latencyMs.p95),
        "p99-ms": ms(result.latency?.latencyMs.p99),
        "error-rate": result.latency === undefined ? "" : result.latency.errorRate.toFixed(4),
      };
    },
    summary: smokeSummary,
    exitCode: (result) => EXIT_CODES[result.result],
  };
}
