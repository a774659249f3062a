// aks-deploy as an ActionDefinition: the same parse, run and report for the GitHub entry (github.ts) and the
// CLI (index.ts, also what the Jenkinsfile runs).
import { randomBytes } from "node:crypto";
import { azureSecretEnv } from "../lib/azure/index.ts";
import type { ActionDefinition } from "../lib/entry/definition.ts";
import { type DeployConfig, parseDeployInputs } from "./context.ts";
import { connectToCluster } from "./credentials/cluster-access.ts";
import { deployInputs } from "./inputs.ts";
import { kubectlKustomize } from "./manifests/kustomize.ts";
import { deploySummary } from "./report/summary.ts";
import { type DeployResult, deployExitCode, deployOutputs } from "./result.ts";
import { runDeploy } from "./run.ts";

export const aksDeploy: ActionDefinition<DeployConfig, DeployResult> = {
  name: "aks-deploy",
  description:
    "Pre-flight, apply, wait like kubectl rollout status, fail fast on pod signals, and undo to the last verified release.",
  inputs: deployInputs,
  secretEnv: azureSecretEnv,
  parse: parseDeployInputs,
  async run(config, context) {
    const connection = await connectToCluster(config.cluster, (value) => context.secret(value));
    const base = { mode: config.mode, namespace: config.namespace, timeline: {} };
    if (!connection.ok)
      return "problems" in connection
        ? {
            ...base,
            result: "invalid",
            message: "the cluster credentials cannot be used",
            problems: connection.problems,
          }
        : { ...base, result: "not-started", message: connection.unreachable };
    return runDeploy(config, {
      kubeConfig: connection.kubeConfig,
      log: context.log,
      signal: context.signal,
      kustomize: kubectlKustomize,
      nonce: randomBytes(4).toString("hex"),
    });
  },
  outputs: deployOutputs,
  summary: deploySummary,
  exitCode: deployExitCode,
};
