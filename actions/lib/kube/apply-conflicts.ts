// Which server-side apply conflicts the pipeline may force (docs/rollout-semantics.md 5.1): only those whose
// every manager is one of kubectl's own (kubectl after a manual `rollout undo`, kubectl-client-side-apply,
// kubectl-edit, …) or this action's own undo (`<fieldManager>-undo`): those fields were changed on the way
// back to an earlier release, and the state the manifests declare supersedes them. A conflict with any other
// manager (an autoscaler, another pipeline) is not ours to overwrite. The pre-flight's dry run and the apply
// both follow this rule, so a conflict the apply would stop at is found before anything is applied.
import { ApiException } from "@kubernetes/client-node";
import { apiErrorMessage } from "./api-error.ts";

/** The managers a 409 Conflict names (`conflict with "kubectl-rollout" using apps/v1: .spec.template…`). */
export function conflictingManagers(error: unknown): string[] | undefined {
  if (!(error instanceof ApiException) || error.code !== 409) return undefined;
  const message = apiErrorMessage(error);
  const managers = [...message.matchAll(/conflicts? with "([^"]+)"/g)].map((match) => match[1] ?? "");
  return managers.length > 0 ? [...new Set(managers)] : undefined;
}

/** The field manager this action's undo (and a rollback's change-cause) writes with. */
export const undoFieldManager = (fieldManager: string) => `${fieldManager}-undo`;

/** True when every manager of the conflict may be overridden by `fieldManager`'s apply. */
export function mayForce(managers: readonly string[], fieldManager: string): boolean {
  return managers.every(
    (manager) =>
      manager === "kubectl" || manager.startsWith("kubectl-") || manager === undoFieldManager(fieldManager),
  );
}
