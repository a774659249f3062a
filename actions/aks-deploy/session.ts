// What the steps of one run share once the manifests are loaded: the config, the injected clients, the one
// Deployment the run rolls out, its ledger, the cancellation signal and the timeline.
import type { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import type { Logger } from "../lib/entry/definition.ts";
import type { DeployConfig } from "./context.ts";
import type { ReleaseLedger } from "./ledger/ledger.ts";
import type { ManifestDocument } from "./manifests/manifest-document.ts";
import type { Timeline } from "./result.ts";
import type { WaitClock } from "./wait/wait-for-rollout.ts";

export interface DeployDeps {
  readonly kubeConfig: KubeConfig;
  readonly log: Logger;
  /** Aborted when the runner cancels the step. */
  readonly signal: AbortSignal;
  /** Renders a kustomization folder (kubectl kustomize). */
  readonly kustomize?: (dir: string) => Promise<string>;
  /** The cluster's clock for time-based pod signals (tests on a sped-up platform pass its clock). */
  readonly clock?: WaitClock;
  /** A per-process nonce appended to the run identity in the lock, so two runs of one user differ. */
  readonly nonce: string;
}

/** What every step after loading shares. */
export interface RunSession {
  readonly config: DeployConfig;
  readonly deps: DeployDeps;
  readonly name: string;
  readonly documents: readonly ManifestDocument[];
  readonly apps: AppsV1Api;
  readonly core: CoreV1Api;
  readonly objectApi: KubernetesObjectApi;
  readonly ledger: ReleaseLedger;
  readonly signal: AbortSignal;
  readonly timeline: Timeline;
  /** Last writes that need not hold up the result (awaited together with the lock's release). */
  readonly finalWrites: Promise<unknown>[];
}

export const nowIso = () => new Date().toISOString();
