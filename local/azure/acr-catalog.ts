// ACR's own metadata API (/acr/v1/...), which ContainerRegistryClient calls, answered from the registry's
// OCI API with the caller's own token (so the registry checks it) plus the times the registry's filesystem
// storage records.

import { readdir, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { sendJson } from "../common/json-body.ts";

/** One request to the registry with the caller's Authorization header; the response body as text. */
export type Upstream = (
  path: string,
  req: IncomingMessage,
  method?: "GET" | "HEAD",
) => Promise<{ status: number; headers: Record<string, string>; body: string }>;

export interface CatalogContext {
  /** The login server host:port, reported as `registry`. */
  service: string;
  /** distribution's filesystem storage root (storage.filesystem.rootdirectory). */
  storageRoot: string;
  upstream: Upstream;
}

const manifestTypes = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");

export { manifestTypes };

const writable = { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true };

function repositoryDir(context: CatalogContext, name: string): string {
  return join(context.storageRoot, "docker/registry/v2/repositories", name, "_manifests");
}

async function times(path: string): Promise<{ createdTime: string; lastUpdateTime: string }> {
  const info = await stat(path).catch(() => undefined);
  const updated = info?.mtime ?? new Date();
  const created = info && info.birthtimeMs > 0 ? info.birthtime : updated;
  return { createdTime: created.toISOString(), lastUpdateTime: updated.toISOString() };
}

/** Passes a registry error (401 with its challenge, 404 ...) through unchanged. */
function relay(
  res: ServerResponse,
  answer: { status: number; headers: Record<string, string>; body: string },
): void {
  const headers: Record<string, string> = {};
  for (const name of ["www-authenticate", "content-type", "docker-distribution-api-version"]) {
    const value = answer.headers[name];
    if (value) headers[name] = value;
  }
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

function stringList(value: unknown, key: string): string[] {
  if (typeof value !== "object" || value === null || !(key in value)) return [];
  const list: unknown = (value as Record<string, unknown>)[key];
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : [];
}

async function tagsOf(context: CatalogContext, name: string, req: IncomingMessage) {
  const answer = await context.upstream(`/v2/${name}/tags/list`, req);
  if (answer.status !== 200) return { answer, tags: [] };
  const tags = [];
  for (const tag of stringList(JSON.parse(answer.body), "tags").sort()) {
    const head = await context.upstream(`/v2/${name}/manifests/${tag}`, req, "HEAD");
    const digest = head.headers["docker-content-digest"] ?? "";
    tags.push({
      name: tag,
      digest,
      ...(await times(join(repositoryDir(context, name), "tags", tag, "current", "link"))),
      signed: false,
      changeableAttributes: writable,
    });
  }
  return { answer, tags };
}

type TagProperties = Awaited<ReturnType<typeof tagsOf>>["tags"];

/** Every manifest the repository holds, tagged or not (hex digests): distribution lists them only in its storage. */
function revisionsOf(context: CatalogContext, name: string): Promise<string[]> {
  return readdir(join(repositoryDir(context, name), "revisions", "sha256")).catch(() => []);
}

async function manifestProperties(
  context: CatalogContext,
  name: string,
  digest: string,
  req: IncomingMessage,
  knownTags?: TagProperties,
) {
  const answer = await context.upstream(`/v2/${name}/manifests/${digest}`, req);
  if (answer.status !== 200) return { answer, manifest: undefined };
  const body: unknown = JSON.parse(answer.body);
  const parts =
    typeof body === "object" && body !== null
      ? (body as { config?: { size?: number }; layers?: { size?: number }[] })
      : {};
  const imageSize =
    (parts.config?.size ?? 0) + (parts.layers ?? []).reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  const tags = knownTags ?? (await tagsOf(context, name, req)).tags;
  const [algorithm = "sha256", hex = ""] = digest.split(":");
  return {
    answer,
    manifest: {
      digest,
      imageSize,
      ...(await times(join(repositoryDir(context, name), "revisions", algorithm, hex, "link"))),
      tags: tags.filter((tag) => tag.digest === digest).map((tag) => tag.name),
      changeableAttributes: writable,
    },
  };
}

type MetadataRoute =
  | { kind: "catalog" }
  | { kind: "repository"; name: string }
  | { kind: "tags"; name: string; tag?: string }
  | { kind: "manifest"; name: string; digest: string }
  | { kind: "manifests"; name: string };

/** distribution's repository name grammar (which also keeps names inside the storage folder). */
const repositoryName = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Which /acr/v1 endpoint a GET names (repository names arrive URL-encoded: team%2Fapp). */
export function metadataRoute(method: string | undefined, url: URL): MetadataRoute | undefined {
  if (method !== "GET" || !url.pathname.startsWith("/acr/v1/")) return undefined;
  const rest = url.pathname.slice("/acr/v1/".length);
  if (rest === "_catalog") return { kind: "catalog" };
  const match = /^(.+?)\/(_tags|_manifests)(?:\/([^/]+))?$/.exec(rest);
  if (!match?.[1]) {
    const name = decodeURIComponent(rest);
    return repositoryName.test(name) ? { kind: "repository", name } : undefined;
  }
  const name = decodeURIComponent(match[1]);
  if (!repositoryName.test(name)) return undefined;
  const reference = match[3] ? decodeURIComponent(match[3]) : undefined;
  if (match[2] === "_tags") return { kind: "tags", name, tag: reference };
  return reference ? { kind: "manifest", name, digest: reference } : { kind: "manifests", name };
}

export async function acrMetadata(
  context: CatalogContext,
  route: MetadataRoute,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const registry = context.service;
  if (route.kind === "catalog") {
    const answer = await context.upstream(`/v2/_catalog${url.search}`, req);
    if (answer.status !== 200) return relay(res, answer);
    const link = answer.headers.link?.replace("/v2/_catalog", "/acr/v1/_catalog");
    return sendJson(
      res,
      200,
      { repositories: stringList(JSON.parse(answer.body), "repositories") },
      link ? { link } : {},
    );
  }
  if (route.kind === "tags") {
    const { answer, tags } = await tagsOf(context, route.name, req);
    if (answer.status !== 200) return relay(res, answer);
    if (route.tag === undefined) return sendJson(res, 200, { registry, imageName: route.name, tags });
    const tag = tags.find((candidate) => candidate.name === route.tag);
    if (!tag) {
      return sendJson(res, 404, {
        errors: [{ code: "TAG_UNKNOWN", message: `the specified tag does not exist: ${route.tag}` }],
      });
    }
    return sendJson(res, 200, { registry, imageName: route.name, tag });
  }
  if (route.kind === "repository") {
    // A missing repository: the registry's own 404 NAME_UNKNOWN, the body ACR answers with too.
    const { answer, tags } = await tagsOf(context, route.name, req);
    if (answer.status !== 200) return relay(res, answer);
    const directory = await times(repositoryDir(context, route.name));
    const lastUpdateTime = [directory.lastUpdateTime, ...tags.map((tag) => tag.lastUpdateTime)].sort().at(-1);
    return sendJson(res, 200, {
      registry,
      imageName: route.name,
      createdTime: directory.createdTime,
      lastUpdateTime,
      manifestCount: (await revisionsOf(context, route.name)).length,
      tagCount: tags.length,
      changeableAttributes: { ...writable, teleportEnabled: false },
    });
  }
  if (route.kind === "manifests") {
    const { answer, tags } = await tagsOf(context, route.name, req);
    if (answer.status !== 200) return relay(res, answer);
    const revisions = await revisionsOf(context, route.name);
    const manifests = [];
    for (const hex of revisions) {
      const { manifest } = await manifestProperties(context, route.name, `sha256:${hex}`, req, tags);
      if (manifest) manifests.push(manifest);
    }
    return sendJson(res, 200, { registry, imageName: route.name, manifests });
  }
  const { answer, manifest } = await manifestProperties(context, route.name, route.digest, req);
  if (!manifest) return relay(res, answer);
  sendJson(res, 200, { registry, imageName: route.name, manifest });
}
