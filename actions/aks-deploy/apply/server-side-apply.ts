// Server-side apply of every object with one field manager (docs/rollout-semantics.md 5.1), in dependency
// order. A conflict is forced only when every manager it names is one of kubectl's own (kubectl after a
// manual `rollout undo`, kubectl-client-side-apply, kubectl-edit, …) or this action's own undo
// (`<fieldManager>-undo`): those fields were changed on the way back to an earlier release, and the state we
// now declare supersedes them. A conflict with any other manager (an autoscaler, another pipeline) stops the
// apply and names it.
import {
  ApiException,
  type KubernetesObject,
  type KubernetesObjectApi,
  PatchStrategy,
} from "@kubernetes/client-node";
import { apiErrorMessage } from "../../lib/kube/api-error.ts";
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

/** The managers a 409 Conflict names (`conflict with "kubectl-rollout" using apps/v1: .spec.template…`). */
export function conflictingManagers(error: unknown): string[] | undefined {
  if (!(error instanceof ApiException) || error.code !== 409) return undefined;
  const message = apiErrorMessage(error);
  const managers = [...message.matchAll(/conflicts? with "([^"]+)"/g)].map((match) => match[1] ?? "");
  return managers.length > 0 ? [...new Set(managers)] : undefined;
}

/** The field manager every object is applied with. */
export const aksDeployFieldManager = "aks-deploy";

/** The field manager this action's undo (and a rollback's change-cause) writes with. */
export const undoFieldManager = (fieldManager: string) => `${fieldManager}-undo`;

const forcible = (fieldManager: string) => (manager: string) =>
  manager === "kubectl" || manager.startsWith("kubectl-") || manager === undoFieldManager(fieldManager);

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
        if (!managers?.every(forcible(options.fieldManager))) throw error;
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
