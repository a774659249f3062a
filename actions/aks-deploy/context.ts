// Raw inputs and the runner's environment -> the typed config the core runs on. Every problem is reported at
// once, naming the input; nothing touches the cluster here (exit 3, nothing applied).
import { hostname, userInfo } from "node:os";
import { type AzureCredentialOptions, azureCredentialOptions } from "../lib/azure/index.ts";
import type { Env, Parsed, RawInputs } from "../lib/entry/definition.ts";
import {
  booleanInput,
  durationInput,
  listInput,
  numberInput,
  requiredInput,
  stringInput,
} from "../lib/entry/inputs.ts";
import type { Problem } from "../lib/report/problem.ts";
import { type ImageSubstitution, parseImageSubstitution } from "./preflight/image-substitution.ts";
import { isDns1123Label } from "./preflight/names.ts";
import { type SignalThresholds, signalThresholds } from "./wait/pod-signals.ts";

export type ClusterAccess =
  | { readonly kind: "kubeconfig"; readonly path: string; readonly context?: string }
  | {
      readonly kind: "aks";
      readonly subscriptionId: string;
      readonly resourceGroup: string;
      readonly clusterName: string;
      /** The identity ARM is called with (from AZURE_* / ACTIONS_ID_TOKEN_REQUEST_* variables). */
      readonly credential: AzureCredentialOptions;
      /** AZURE_RESOURCE_MANAGER_ENDPOINT, for clouds other than the public one (and the local stand-in). */
      readonly armEndpoint?: string;
    };

/** Who runs the deploy, for the lock, the ledger and the provenance annotations. */
export interface RunIdentity {
  /** GitHub run URL, Jenkins BUILD_URL, or user@host. */
  readonly url: string;
  readonly actor?: string;
  readonly commit?: string;
}

export interface DeployConfig {
  readonly mode: "deploy" | "rollback";
  readonly manifests: readonly string[];
  readonly namespace: string;
  readonly cluster: ClusterAccess;
  /** Image substitutions; the pre-flight applies them to every workload. */
  readonly images: readonly ImageSubstitution[];
  readonly timeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly lockLeaseSeconds: number;
  readonly toRevision?: number;
  readonly reason?: string;
  readonly dryRun: boolean;
  readonly thresholds: SignalThresholds;
  readonly run: RunIdentity;
}

/** The run's identity from the runner's environment: GitHub first, then Jenkins, then the local user. */
export function runIdentity(env: Env): RunIdentity {
  const commit = env.GITHUB_SHA ?? env.GIT_COMMIT;
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    const server = env.GITHUB_SERVER_URL ?? "https://github.com";
    const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : "";
    return {
      url: `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`,
      ...(env.GITHUB_ACTOR ? { actor: env.GITHUB_ACTOR } : {}),
      ...(commit ? { commit } : {}),
    };
  }
  if (env.BUILD_URL) {
    const actor = env.BUILD_USER_ID ?? env.CHANGE_AUTHOR;
    return { url: env.BUILD_URL, ...(actor ? { actor } : {}), ...(commit ? { commit } : {}) };
  }
  const user = env.USER ?? userInfo().username;
  return { url: `${user}@${hostname()}`, actor: user, ...(commit ? { commit } : {}) };
}

function clusterAccess(inputs: RawInputs, env: Env, problems: Problem[]): ClusterAccess | undefined {
  const path = stringInput(inputs, "kubeconfig");
  const resourceGroup = stringInput(inputs, "resource-group");
  const clusterName = stringInput(inputs, "cluster-name");
  const context = stringInput(inputs, "context");
  if (path !== undefined) {
    if (resourceGroup !== undefined || clusterName !== undefined)
      problems.push({
        file: "input kubeconfig",
        message: "is given together with resource-group/cluster-name",
        hint: "give either a kubeconfig or the AKS cluster, not both",
      });
    return { kind: "kubeconfig", path, ...(context ? { context } : {}) };
  }
  if (resourceGroup === undefined && clusterName === undefined) {
    problems.push({
      file: "input kubeconfig",
      message: "no cluster given",
      hint: "give kubeconfig, or resource-group and cluster-name",
    });
    return undefined;
  }
  if (resourceGroup === undefined)
    problems.push({ file: "input resource-group", message: "is required with cluster-name" });
  if (clusterName === undefined)
    problems.push({ file: "input cluster-name", message: "is required with resource-group" });
  if (context !== undefined)
    problems.push({
      file: "input context",
      message: "applies to a kubeconfig only",
      hint: "drop it for AKS",
    });
  const subscriptionId = stringInput(inputs, "subscription-id") ?? env.AZURE_SUBSCRIPTION_ID;
  if (subscriptionId === undefined)
    problems.push({
      file: "input subscription-id",
      message: "is required for AKS",
      hint: "give subscription-id or set AZURE_SUBSCRIPTION_ID",
    });
  const credential = azureCredentialOptions(env);
  if (!credential.ok) problems.push(...credential.problems);
  if (
    resourceGroup === undefined ||
    clusterName === undefined ||
    subscriptionId === undefined ||
    !credential.ok
  )
    return undefined;
  const armEndpoint = env.AZURE_RESOURCE_MANAGER_ENDPOINT;
  return {
    kind: "aks",
    subscriptionId,
    resourceGroup,
    clusterName,
    credential: credential.options,
    ...(armEndpoint ? { armEndpoint } : {}),
  };
}

export function parseDeployInputs(inputs: RawInputs, env: Env): Parsed<DeployConfig> {
  const problems: Problem[] = [];
  const manifests = listInput(inputs, "manifests");
  if (manifests.length === 0) problems.push({ file: "input manifests", message: "is required" });
  const namespace = requiredInput(inputs, "namespace", problems);
  if (namespace !== undefined && !isDns1123Label(namespace))
    problems.push({
      file: "input namespace",
      message: `"${namespace}" is not a valid namespace name`,
      hint: "lower-case letters, digits and '-', at most 63 characters, starting and ending alphanumeric",
    });
  const cluster = clusterAccess(inputs, env, problems);
  const mode = stringInput(inputs, "mode") ?? "deploy";
  if (mode !== "deploy" && mode !== "rollback")
    problems.push({ file: "input mode", message: `"${mode}" is not a mode`, hint: "use deploy or rollback" });
  const reason = stringInput(inputs, "reason");
  const toRevisionText = stringInput(inputs, "to-revision");
  const toRevision =
    toRevisionText === undefined
      ? undefined
      : numberInput(inputs, "to-revision", 0, { min: 1, integer: true }, problems);
  if (mode === "rollback" && reason === undefined)
    problems.push({
      file: "input reason",
      message: "is required in rollback mode",
      hint: "say why; it becomes the Deployment's change-cause",
    });
  if (mode !== "rollback" && toRevisionText !== undefined)
    problems.push({ file: "input to-revision", message: "applies to rollback mode only" });
  const images: ImageSubstitution[] = [];
  for (const line of listInput(inputs, "image")) {
    try {
      images.push(parseImageSubstitution(line));
    } catch (error) {
      problems.push({ file: "input image", message: error instanceof Error ? error.message : String(error) });
    }
  }
  if (mode === "rollback" && images.length > 0)
    problems.push({
      file: "input image",
      message: "applies to deploy mode only",
      hint: "a rollback returns to a recorded release",
    });
  const dryRun = booleanInput(inputs, "dry-run", false, problems);
  const timeoutMs = durationInput(inputs, "timeout", 600_000, problems);
  const lockTimeoutMs = durationInput(inputs, "lock-timeout", 300_000, problems);
  const lockLeaseMs = durationInput(inputs, "lock-lease", 30_000, problems);
  for (const [name, value, min] of [
    ["timeout", timeoutMs, 1000],
    ["lock-lease", lockLeaseMs, 3000],
  ] as const)
    if (value < min)
      problems.push({
        file: `input ${name}`,
        message: `${value} ms is too short`,
        hint: `at least ${min / 1000}s`,
      });
  const maxRestarts = numberInput(inputs, "max-restarts", 2, { min: 0, max: 100, integer: true }, problems);
  const unschedulableMs = durationInput(inputs, "unschedulable-timeout", 60_000, problems);
  const readinessMarginMs = durationInput(inputs, "readiness-margin", 10_000, problems);
  const thresholds = signalThresholds({ maxRestarts, unschedulableMs, readinessMarginMs });
  if (problems.length > 0 || cluster === undefined || namespace === undefined) return { ok: false, problems };
  return {
    ok: true,
    config: {
      mode: mode === "rollback" ? "rollback" : "deploy",
      manifests,
      namespace,
      cluster,
      images,
      timeoutMs,
      lockTimeoutMs,
      lockLeaseSeconds: Math.ceil(lockLeaseMs / 1000),
      ...(toRevision !== undefined ? { toRevision } : {}),
      ...(reason !== undefined ? { reason } : {}),
      dryRun,
      thresholds,
      run: runIdentity(env),
    },
  };
}
