// The API server's own verdict on each object, changing nothing: server-side apply with dryRun=All, as the
// real apply will run it (same field manager; a conflict forced only as the apply would force it). Its admission, defaulting and validation see what
// the static checks cannot (quotas, webhooks, immutable fields, names the cluster already holds).
import {
  ApiException,
  type KubernetesObject,
  type KubernetesObjectApi,
  PatchStrategy,
} from "@kubernetes/client-node";
import { conflictingManagers, mayForce } from "../../lib/kube/apply-conflicts.ts";
import type { Problem } from "../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../manifests/manifest-document.ts";

interface Status {
  message?: string;
  reason?: string;
  details?: { kind?: string; name?: string; causes?: { field?: string; message?: string }[] };
}

function statusOf(body: unknown): Status {
  if (typeof body === "object" && body !== null) return body as Status;
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as Status;
    } catch {
      return { message: body };
    }
  }
  return {};
}

/**
 * Problems the server finds in `object` (the document's object, namespace set and images substituted).
 * Throws what says nothing about the object: unauthorised (401), server errors, an unreachable cluster.
 */
export async function dryRunProblems(
  document: ManifestDocument,
  object: KubernetesObject,
  objectApi: KubernetesObjectApi,
  fieldManager: string,
): Promise<Problem[]> {
  const dryRun = (force: boolean) =>
    objectApi.patch(
      structuredClone(object),
      undefined,
      "All",
      fieldManager,
      force,
      PatchStrategy.ServerSideApply,
    );
  try {
    try {
      await dryRun(false);
    } catch (error) {
      const managers = conflictingManagers(error);
      if (managers === undefined) throw error;
      if (!mayForce(managers, fieldManager))
        return [
          problemAt(
            document,
            undefined,
            `fields are managed by ${managers.map((manager) => `"${manager}"`).join(", ")}: the apply would conflict`,
            "leave those fields out of the manifests, or have that manager give them up",
          ),
        ];
      await dryRun(true);
    }
    return [];
  } catch (error) {
    if (!(error instanceof ApiException) || error.code === 401 || error.code >= 500) throw error;
    const status = statusOf(error.body);
    if (error.code === 404 && status.details?.kind === "namespaces") {
      return [
        problemAt(
          document,
          "metadata.namespace",
          `namespace "${status.details.name}" does not exist in the cluster`,
          "create it first (the cluster's Terraform does), or add a Namespace object to the manifests",
        ),
      ];
    }
    const causes = (status.details?.causes ?? []).filter((cause) => cause.message !== undefined);
    const rejected = `the API server rejects it (dry run, ${error.code}${status.reason ? ` ${status.reason}` : ""})`;
    if (causes.length === 0)
      return [problemAt(document, undefined, `${rejected}: ${status.message ?? "no message"}`)];
    return causes.map((cause) => problemAt(document, cause.field, `${rejected}: ${cause.message}`));
  }
}
