// The release ledger: a ConfigMap `<deployment>-releases` in the Deployment's namespace, one JSON list of
// releases. It lives apart from the Deployment and its ReplicaSets on purpose: kubectl's undo copies
// ReplicaSet annotations onto the Deployment and the controller copies Deployment annotations onto every new
// ReplicaSet (docs/rollout-semantics.md 2.3, 3.2), so a mark kept in annotations would travel from one release
// to the next. Every write carries the resourceVersion it read (optimistic concurrency, retried on 409).
import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1ConfigMap,
  type V1Deployment,
  type V1ReplicaSet,
} from "@kubernetes/client-node";
import { parseImageReference } from "../../lib/image-ref/index.ts";
import { statusCode } from "../../lib/kube/api-error.ts";
import {
  currentReplicaSet,
  podTemplateHashLabel,
  replicaSetsOf,
} from "../../lib/kube/deployment-replica-sets.ts";
import { revisionOf } from "../wait/revision.ts";
import type { Release, ReleaseImage, ReleaseState, ReleaseTarget } from "./release.ts";

const dataKey = "releases.json";
/** Releases kept; the oldest are dropped (their ReplicaSets are long gone by revisionHistoryLimit). */
const kept = 50;

export const ledgerName = (deployment: string) => `${deployment}-releases`;

export class ReleaseLedger {
  readonly #core: CoreV1Api;
  readonly #namespace: string;
  readonly #deployment: string;

  constructor(core: CoreV1Api, namespace: string, deployment: string) {
    this.#core = core;
    this.#namespace = namespace;
    this.#deployment = deployment;
  }

  async #read(): Promise<{ configMap?: V1ConfigMap; releases: Release[] }> {
    try {
      const configMap = await this.#core.readNamespacedConfigMap({
        name: ledgerName(this.#deployment),
        namespace: this.#namespace,
      });
      const text = configMap.data?.[dataKey];
      return { configMap, releases: text ? (JSON.parse(text) as Release[]) : [] };
    } catch (error) {
      if (statusCode(error) === 404) return { releases: [] };
      throw error;
    }
  }

  async releases(): Promise<Release[]> {
    return (await this.#read()).releases;
  }

  /** Applies `change` to the list and writes it back; re-reads and re-applies when another writer won. */
  async #update<T>(change: (releases: Release[]) => { releases: Release[]; value: T }): Promise<T> {
    for (;;) {
      const { configMap, releases } = await this.#read();
      const next = change(releases);
      const data = { [dataKey]: JSON.stringify(next.releases.slice(-kept)) };
      try {
        if (configMap) {
          await this.#core.replaceNamespacedConfigMap({
            name: ledgerName(this.#deployment),
            namespace: this.#namespace,
            body: { ...configMap, data },
          });
        } else {
          await this.#core.createNamespacedConfigMap({
            namespace: this.#namespace,
            body: {
              metadata: {
                name: ledgerName(this.#deployment),
                namespace: this.#namespace,
                labels: { "app.kubernetes.io/managed-by": "aks-deploy" },
                annotations: { "aks-deploy/deployment": this.#deployment },
              },
              data,
            },
          });
        }
        return next.value;
      } catch (error) {
        if (statusCode(error) !== 409) throw error;
      }
    }
  }

  /** Records a release before anything is applied; returns its id. */
  recordStart(release: Omit<Release, "id" | "state">): Promise<number> {
    return this.#update((releases) => {
      const id = (releases.at(-1)?.id ?? 0) + 1;
      return { releases: [...releases, { ...release, id, state: "applying" }], value: id };
    });
  }

  /** Records how a release ended (or that its undo was requested); fields given replace the recorded ones. */
  recordResult(
    id: number,
    result: { state: ReleaseState; message?: string; target?: ReleaseTarget; finishedAt?: string },
  ): Promise<void> {
    return this.#update((releases) => ({
      releases: releases.map((release) => (release.id === id ? { ...release, ...result } : release)),
      value: undefined,
    }));
  }

  /**
   * Marks the release running `target` verified. A ReplicaSet deployed without this action gets a release of
   * its own, so a later failure can still return to it.
   */
  markVerified(target: ReleaseTarget, by: string, at: string): Promise<Release> {
    return this.#update((releases) => {
      const index = releases.findLastIndex(
        (release) => release.target?.replicaSetUid === target.replicaSetUid,
      );
      const verified = { at, by };
      if (index >= 0) {
        const release = { ...(releases[index] as Release), verified };
        return { releases: releases.with(index, release), value: release };
      }
      const release: Release = {
        id: (releases.at(-1)?.id ?? 0) + 1,
        kind: "deploy",
        run: by,
        startedAt: at,
        changeCause: "",
        target,
        state: "deployed",
        finishedAt: at,
        verified,
      };
      return { releases: [...releases, release], value: release };
    });
  }
}

function imagesOf(replicaSet: V1ReplicaSet | V1Deployment): ReleaseImage[] {
  return (replicaSet.spec?.template?.spec?.containers ?? []).map((container) => {
    const image = container.image ?? "";
    let digest: string | undefined;
    try {
      digest = parseImageReference(image).digest;
    } catch {
      digest = undefined; // not a reference we can parse: no digest to check
    }
    return { container: container.name, image, ...(digest ? { digest } : {}) };
  });
}

/** The ledger's view of a ReplicaSet: its revision now, name, uid, template hash and images. */
export function targetOf(replicaSet: V1ReplicaSet): ReleaseTarget {
  return {
    revision: revisionOf(replicaSet.metadata).revision ?? 0,
    replicaSetName: replicaSet.metadata?.name ?? "",
    replicaSetUid: replicaSet.metadata?.uid ?? "",
    templateHash: replicaSet.metadata?.labels?.[podTemplateHashLabel] ?? "",
    images: imagesOf(replicaSet),
  };
}

/** What the Deployment runs now (its current ReplicaSet), or undefined before its first ReplicaSet exists. */
export async function currentTarget(
  apps: AppsV1Api,
  deployment: V1Deployment,
): Promise<ReleaseTarget | undefined> {
  const replicaSet = currentReplicaSet(deployment, await replicaSetsOf(apps, deployment));
  return replicaSet ? targetOf(replicaSet) : undefined;
}

/**
 * Marks the release a Deployment runs as verified (smoke-test calls this once its gate passed). With
 * `revision`, the ReplicaSet of that revision; else the Deployment's current one. Throws when there is none.
 */
export async function markReleaseVerified(
  kubeConfig: KubeConfig,
  namespace: string,
  deployment: string,
  options: { revision?: number; by: string; now?: () => Date },
): Promise<Release> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const live = await apps.readNamespacedDeployment({ name: deployment, namespace });
  const replicaSets = await replicaSetsOf(apps, live);
  const replicaSet =
    options.revision === undefined
      ? currentReplicaSet(live, replicaSets)
      : replicaSets.find((candidate) => revisionOf(candidate.metadata).revision === options.revision);
  if (!replicaSet) {
    throw new Error(
      options.revision === undefined
        ? `deployment "${deployment}" has no ReplicaSet for its current template yet`
        : `unable to find specified revision ${options.revision} in history`,
    );
  }
  const ledger = new ReleaseLedger(kubeConfig.makeApiClient(CoreV1Api), namespace, deployment);
  return ledger.markVerified(targetOf(replicaSet), options.by, (options.now?.() ?? new Date()).toISOString());
}
