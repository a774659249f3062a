// Does a pod run the image its spec asks for? For a container whose image is a digest reference
// (`repo@sha256:…`), the kubelet's `imageID` must name that digest (`repo@sha256:…`, or
// `docker-pullable://repo@sha256:…` from dockershim-era runtimes): a moved tag or a node's stale cache
// shows up as another digest.
import type { V1Pod } from "@kubernetes/client-node";
import type { PodSignal } from "./pod-signals.ts";

/** The digest part of the distribution reference grammar: algorithm ":" encoded (docker/distribution
 * reference/regexp.go: `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`). */
const digestReference = /@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})$/;

/** The digest a reference pins, or undefined for a reference by tag. */
export function pinnedDigest(image: string | undefined): string | undefined {
  return image === undefined ? undefined : digestReference.exec(image)?.[1];
}

export interface ContainerDigest {
  container: string;
  /** The digest the spec pins. */
  expected: string;
  /** The kubelet's imageID; empty until the image is pulled. */
  imageID: string;
  matches: boolean;
}

/** Each container (init included) whose spec pins a digest, with what the kubelet reports. */
export function containerDigests(pod: V1Pod): ContainerDigest[] {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return containers.flatMap((container) => {
    const expected = pinnedDigest(container.image);
    if (!expected) return [];
    const imageID = statuses.find((status) => status.name === container.name)?.imageID ?? "";
    return [{ container: container.name, expected, imageID, matches: imageID.endsWith(`@${expected}`) }];
  });
}

/** True when every digest-pinned container reports that digest. */
export function runsPinnedDigests(pod: V1Pod): boolean {
  return containerDigests(pod).every((digest) => digest.matches);
}

/** A decisive ImageDigestMismatch for each container that reports another image than its pinned digest. */
export function digestSignals(pod: V1Pod): PodSignal[] {
  return containerDigests(pod)
    .filter((digest) => digest.imageID !== "" && !digest.matches)
    .map((digest) => ({
      pod: pod.metadata?.name ?? "",
      container: digest.container,
      reason: "ImageDigestMismatch",
      message: `container "${digest.container}" runs ${digest.imageID}, not the requested ${digest.expected}`,
      decisive: true,
    }));
}
