// The revision number of a Deployment or ReplicaSet, read as kubectl's deploymentutil.Revision does
// (kubernetes/kubectl pkg/util/deployment/deployment.go): the `deployment.kubernetes.io/revision`
// annotation parsed with strconv.ParseInt(v, 10, 64); a missing annotation is revision 0.
import type { V1ObjectMeta } from "@kubernetes/client-node";

export const revisionAnnotation = "deployment.kubernetes.io/revision";

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);

/** The revision, or Go's strconv error text when the annotation is not a base-10 int64. */
export function revisionOf(
  metadata: V1ObjectMeta | undefined,
): { revision: number; error?: undefined } | { revision?: undefined; error: string } {
  const value = metadata?.annotations?.[revisionAnnotation];
  if (value === undefined) return { revision: 0 };
  if (!/^[+-]?[0-9]+$/.test(value)) return { error: `strconv.ParseInt: parsing "${value}": invalid syntax` };
  const parsed = BigInt(value);
  if (parsed > int64Max || parsed < int64Min)
    return { error: `strconv.ParseInt: parsing "${value}": value out of range` };
  return { revision: Number(parsed) };
}
