// Server-side apply of every object with one field manager (docs/rollout-semantics.md 5.1), in dependency
// order. A conflict is forced only as actions/lib/kube/apply-conflicts.ts allows; any other stops the apply
// and names its managers.
import { type KubernetesObject, type KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import { apiErrorMessage } from "../../lib/kube/api-error.ts";
import { conflictingManagers, mayForce } from "../../lib/kube/apply-conflicts.ts";
import { inApplyOrder } from "./apply-order.ts";

export interface AppliedObject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly resourceVersion: string;
  /** Conflicting fields taken over from kubectl's managers. */
  readonly forcedFrom?: readonly string[];
}

export class ApplyError extends Error {
  constructor(
    readonly object: string,
    message: string,
    readonly applied: readonly AppliedObject[],
  ) {
    super(`applying ${object} failed: ${message}`);
    this.name = "ApplyError";
  }
}

/** The field manager every object is applied with. */
export const aksDeployFieldManager = "aks-deploy";

function describe(object: KubernetesObject): string {
  const where = object.metadata?.namespace ? ` in namespace ${object.metadata.namespace}` : "";
  return `${object.kind ?? "object"} ${object.metadata?.name ?? ""}${where}`;
}

export async function applyAll(
  objects: readonly KubernetesObject[],
  options: { objectApi: KubernetesObjectApi; fieldManager: string; signal?: AbortSignal },
): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  const patch = (object: KubernetesObject, force: boolean) =>
    options.objectApi.patch(
      object,
      undefined,
      undefined,
      options.fieldManager,
      force,
      PatchStrategy.ServerSideApply,
    );
  for (const object of inApplyOrder(objects)) {
    options.signal?.throwIfAborted();
    let live: KubernetesObject;
    let forcedFrom: string[] | undefined;
    try {
      try {
        live = await patch(object, false);
      } catch (error) {
        const managers = conflictingManagers(error);
        if (managers === undefined || !mayForce(managers, options.fieldManager)) throw error;
        forcedFrom = managers;
        live = await patch(object, true);
      }
    } catch (error) {
      throw new ApplyError(describe(object), apiErrorMessage(error), applied);
    }
    applied.push({
      kind: object.kind ?? "",
      name: object.metadata?.name ?? "",
      resourceVersion: live.metadata?.resourceVersion ?? "",
      ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
      ...(forcedFrom ? { forcedFrom } : {}),
    });
  }
  return applied;
}
