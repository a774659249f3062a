// What the scenario tests share: digest-pinned images the simulated registry serves, manifests written to a
// folder, inputs parsed by the action's own context.ts, and a run of the core that records its log.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import { stringify } from "yaml";
import type { Logger, RawInputs } from "../../lib/entry/definition.ts";
import { parseDeployInputs } from "../context.ts";
import type { DeployResult } from "../result.ts";
import { runDeploy } from "../run.ts";
import type { TestCluster } from "./test-platform.ts";

/** The tag the simulated registry is given for a release label (its digest is the sha256 of this text). */
export const taggedImage = (label: string) => `registry.example.test/app:${label}`;

/** `registry.example.test/app@sha256:…` for a release label: the digest the registry serves for its tag. */
export function imageOf(label: string): string {
  return `registry.example.test/app@sha256:${createHash("sha256").update(taggedImage(label)).digest("hex")}`;
}

/** An image no registry has: pulling it fails (ErrImagePull). */
export const unpullableImage = `registry.example.test/app@sha256:${"0".repeat(64)}`;

const root = mkdtempSync(join(tmpdir(), "aks-deploy-manifests-"));

/** Writes the objects as one multi-document YAML file in a folder of their own; returns the folder. */
export function manifestFolder(objects: readonly KubernetesObject[]): string {
  const dir = join(root, randomBytes(4).toString("hex"));
  mkdirSync(dir);
  writeFileSync(join(dir, "manifests.yaml"), objects.map((object) => stringify(object)).join("---\n"));
  return dir;
}

export interface ScenarioRun {
  readonly result: DeployResult;
  readonly log: readonly string[];
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Called with each log line as it is written (to cancel a run at a chosen moment). */
  readonly onLog?: (line: string) => void;
}

/** Runs the core in this process as the entries do: inputs parsed by context.ts, then runDeploy. */
export async function runScenario(
  cluster: TestCluster,
  inputs: RawInputs,
  options: RunOptions = {},
): Promise<ScenarioRun> {
  const parsed = parseDeployInputs({ kubeconfig: cluster.kubeconfigPath, ...inputs }, { USER: "tester" });
  if (!parsed.ok) throw new Error(`inputs rejected: ${JSON.stringify(parsed.problems)}`);
  const log: string[] = [];
  const write = (line: string) => {
    log.push(line);
    options.onLog?.(line);
  };
  const logger: Logger = {
    info: write,
    warning: (line) => write(`warning: ${line}`),
    error: (line) => write(`error: ${line}`),
    async group(name, work) {
      write(`== ${name}`);
      return work();
    },
  };
  const result = await runDeploy(parsed.config, {
    kubeConfig: cluster.kubeConfig,
    log: logger,
    signal: options.signal ?? new AbortController().signal,
    clock: cluster.clock,
    nonce: randomBytes(4).toString("hex"),
  });
  return { result, log };
}
