// Images by the exact reference of the pod spec. A digest reference is honoured (pulled as repo@sha256:...
// and never satisfied by another image); a tag other than latest already on the engine is used as it is
// (imagePullPolicy IfNotPresent, the default for such tags); otherwise the engine pulls from the registry
// and the registry's own answer (e.g. "manifest unknown") becomes the ImagePullError message.

import {
  type DockerEngine,
  DockerEngineError,
  readAll,
  registryAuthHeader,
} from "../../docker-engine/engine-client.ts";
import { ImagePullError } from "../../kube/kubelet/pod-runtime.ts";

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Credentials for a registry host (e.g. "127.0.0.1:5443"), or undefined for anonymous pulls. */
export type RegistryAuth = (registryHost: string) => RegistryCredentials | undefined;

export interface ImageReference {
  /** Repository with its registry host, e.g. "127.0.0.1:5000/app". */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(image: string): ImageReference {
  const [nameAndTag = "", digest] = image.split("@");
  const lastSlash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.indexOf(":", lastSlash + 1);
  const repository = colon === -1 ? nameAndTag : nameAndTag.slice(0, colon);
  const tag = colon === -1 ? undefined : nameAndTag.slice(colon + 1);
  return { repository, tag, digest };
}

/** Registries the engine may reach: loopback only, as the platform's network rule says. */
export function isLoopbackRegistry(host: string): boolean {
  const name = host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  return name === "localhost" || name === "::1" || /^127\.\d+\.\d+\.\d+$/.test(name);
}

function registryHostOf(repository: string): string | undefined {
  const first = repository.split("/")[0] ?? "";
  return repository.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")
    ? first
    : undefined;
}

interface ImageInspect {
  Id: string;
  RepoDigests?: string[];
  Config?: { User?: string };
}

export async function inspectImage(engine: DockerEngine, image: string): Promise<ImageInspect | undefined> {
  const found = await engine.jsonOrUndefined("GET", `/images/${encodeURIComponent(image)}/json`);
  return found as ImageInspect | undefined;
}

/** The kubelet's imageID: the digest reference it was pulled by, else the local image id. */
export function imageIdOf(inspect: ImageInspect, reference: ImageReference): string {
  const byDigest = inspect.RepoDigests?.find((entry) => entry.startsWith(`${reference.repository}@`));
  return byDigest ? `docker-pullable://${byDigest}` : `docker://${inspect.Id}`;
}

export async function pullImage(
  engine: DockerEngine,
  image: string,
  auth?: RegistryAuth,
): Promise<{ imageID: string }> {
  const reference = parseImageReference(image);
  const mustPull = !reference.digest && (reference.tag === undefined || reference.tag === "latest");
  const local = mustPull ? undefined : await inspectImage(engine, image);
  if (local) return { imageID: imageIdOf(local, reference) };

  const host = registryHostOf(reference.repository);
  // Without a host the engine would go to Docker Hub; no pull ever leaves the machine.
  if (!host || !isLoopbackRegistry(host)) {
    throw new ImagePullError(
      image,
      `image ${image} is not on the engine and names no loopback registry (127.0.0.1:PORT/..., localhost:PORT/...): the platform pulls only from a local registry`,
    );
  }
  const credentials = host ? auth?.(host) : undefined;
  const headers: Record<string, string> = {};
  if (credentials && host) {
    const config = { ...credentials, serveraddress: host };
    headers["x-registry-auth"] = registryAuthHeader(config);
  }
  try {
    const response = await engine.stream("POST", "/images/create", {
      query: { fromImage: reference.repository, tag: reference.digest ?? reference.tag ?? "latest" },
      headers,
    });
    const failure = progressError((await readAll(response)).toString("utf8"));
    if (failure) throw new ImagePullError(image, failure);
  } catch (error) {
    if (error instanceof DockerEngineError) throw new ImagePullError(image, error.message);
    throw error;
  }
  const pulled = await inspectImage(engine, image);
  if (!pulled) throw new ImagePullError(image, `image ${image} is not on the engine after a successful pull`);
  return { imageID: imageIdOf(pulled, reference) };
}

/** The pull's progress stream is JSON lines; a failure mid-stream arrives as {"error": "..."} with status 200. */
function progressError(stream: string): string | undefined {
  for (const line of stream.split("\n")) {
    if (!line.trim()) continue;
    const parsed: unknown = JSON.parse(line);
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "error" in parsed &&
      typeof parsed.error === "string"
    ) {
      return parsed.error;
    }
  }
  return undefined;
}
