// Secret values never live in the manifests (nor the repository): they come from Key Vault through the
// Secrets Store CSI driver. A Secret object without data (e.g. one the driver fills) is fine.
import type { V1Secret } from "@kubernetes/client-node";
import type { Problem } from "../../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../../manifests/manifest-document.ts";
import { groupOf } from "../pod-templates.ts";

export function secretDataProblems(document: ManifestDocument): Problem[] {
  const { object } = document;
  if (groupOf(object.apiVersion) !== "" || object.kind !== "Secret") return [];
  const secret = object as V1Secret;
  return (["data", "stringData"] as const)
    .filter((field) => Object.keys(secret[field] ?? {}).length > 0)
    .map((field) =>
      problemAt(
        document,
        field,
        `Secret "${secret.metadata?.name}" carries ${field} in the manifests`,
        "keep secret values in Key Vault (a SecretProviderClass), not in the repository",
      ),
    );
}
