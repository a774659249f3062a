// The simulated image registry: the images that can be pulled, each with a stable digest. An image
// reference not in it fails to pull with the message containerd gives for a missing manifest.
import { createHash } from "node:crypto";
import { ImagePullError } from "../../kube/kubelet/pod-runtime.ts";

/** The repository of `repo[:tag][@digest]` (a registry host's port is not a tag). */
function repositoryOf(reference: string): string {
  const name = reference.split("@")[0] ?? "";
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return colon > slash ? name.slice(0, colon) : name;
}

export class SimulatedRegistry {
  readonly #digests = new Map<string, string>();

  /** `images: "any"` accepts every reference (for rehearsals that only care about rollouts). */
  constructor(private readonly images: Iterable<string> | "any" = []) {
    if (images !== "any") for (const image of images) this.push(image);
  }

  /** Adds an image (as a push would); returns its digest. */
  push(reference: string): string {
    const digest = `sha256:${createHash("sha256").update(reference).digest("hex")}`;
    this.#digests.set(reference, digest);
    return digest;
  }

  /**
   * The image id the kubelet reports, in the Docker runtime's shape (`imageIdOf` in
   * local/runtime/docker/image-pull.ts): `docker-pullable://repository@digest`, where a digest reference
   * keeps its own digest.
   */
  resolve(reference: string): string {
    const repository = repositoryOf(reference);
    const pinned = reference.includes("@") ? reference.slice(reference.indexOf("@") + 1) : undefined;
    if (pinned) {
      const known = [...this.#digests].some(
        ([ref, digest]) => digest === pinned && repositoryOf(ref) === repository,
      );
      if (known || this.images === "any") return `docker-pullable://${repository}@${pinned}`;
    } else {
      const digest =
        this.#digests.get(reference) ?? (this.images === "any" ? this.push(reference) : undefined);
      if (digest) return `docker-pullable://${repository}@${digest}`;
    }
    throw new ImagePullError(
      reference,
      `rpc error: code = NotFound desc = failed to pull and unpack image "${reference}": failed to resolve reference "${reference}": ${reference}: not found`,
    );
  }
}
