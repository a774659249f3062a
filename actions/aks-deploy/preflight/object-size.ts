// An object over 1 MiB serialised cannot be stored (etcd's request limit, and the 1 MiB data limit of
// ConfigMaps and Secrets in pkg/apis/core/validation).
import type { Problem } from "../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../manifests/manifest-document.ts";

export const maxObjectBytes = 1024 * 1024;

export function objectSizeProblems(document: ManifestDocument): Problem[] {
  const bytes = Buffer.byteLength(JSON.stringify(document.object));
  if (bytes <= maxObjectBytes) return [];
  return [
    problemAt(
      document,
      undefined,
      `object is ${bytes} bytes serialised, over the 1 MiB (${maxObjectBytes} bytes) Kubernetes stores`,
      "move large data out of the manifest (a volume, the image, or Key Vault)",
    ),
  ];
}
