// The platform's Kubernetes API server over real HTTP(S): discovery, health, bearer-token auth, and the
// resource verbs, in front of the MemoryStore.
import { timingSafeEqual } from "node:crypto";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { readBody, sendJson as writeJson } from "../../common/json-body.ts";
import type { PodLogSource } from "../../component/component.ts";
import type { MemoryStore } from "../store/memory-store.ts";
import { StoreError } from "../store/object-store.ts";
import { apiGroupList, apiResourceList, apiVersions, serverVersion } from "./discovery.ts";
import { openApiDocument, openApiIndex } from "./openapi.ts";
import { podLogs } from "./pod-logs.ts";
import { getObject, listObjects, type ReadRequest, watchObjects } from "./reads.ts";
import { parseTarget } from "./request-target.ts";
import { failure, statusOf } from "./status.ts";
import { wantsTable } from "./table.ts";
import { warningHeader, writeContext } from "./write-context.ts";
import { create, deleteOptions, patch, remove, scaleOf, update, type WriteResult } from "./writes.ts";

export interface ApiServerOptions {
  store: MemoryStore;
  /** The bearer token clients must present. */
  token: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: string; key: string };
  now?: () => Date;
  /** Who serves pods/<name>/log (the kubelet, which starts after the API server: looked up per request). */
  podLogs?: () => PodLogSource | undefined;
  /** Accepts bearer tokens other than `token` (AKS's AAD tokens); looked up per request. */
  bearerTokenAuthenticator?: () => ((token: string) => Promise<boolean>) | undefined;
}

export interface ApiServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const publicPaths = new Set(["/healthz", "/readyz", "/livez", "/version"]);

/** JSON as the API server answers it: never cached, with the Warning headers a write gathered. */
function sendJson(response: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  writeJson(response, code, body, {
    "content-type": "application/json",
    "cache-control": "no-cache, private",
    ...(warnings.length > 0 ? { warning: warnings.map(warningHeader) } : {}),
  });
}

async function authorized(
  request: IncomingMessage,
  token: Buffer,
  other: ((token: string) => Promise<boolean>) | undefined,
): Promise<boolean> {
  const header = request.headers.authorization ?? "";
  if (!header.startsWith("Bearer ")) return false;
  const text = header.slice("Bearer ".length).trim();
  const presented = Buffer.from(text);
  if (presented.length === token.length && timingSafeEqual(presented, token)) return true;
  return other ? other(text) : false;
}

function mediaType(request: IncomingMessage): string {
  return (
    (request.headers["content-type"] ?? "application/json").split(";")[0]?.trim().toLowerCase() ??
    "application/json"
  );
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const token = Buffer.from(options.token);
  const watches = new Set<() => void>();
  let address = "";

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const method = request.method ?? "GET";
    if (publicPaths.has(path)) {
      if (path === "/version") return sendJson(response, 200, serverVersion);
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("ok");
      return;
    }
    if (!(await authorized(request, token, options.bearerTokenAuthenticator?.())))
      return sendJson(response, 401, failure(401, "Unauthorized", "Unauthorized"));
    if (method === "GET" && path === "/api") return sendJson(response, 200, apiVersions(address));
    if (method === "GET" && path === "/apis") return sendJson(response, 200, apiGroupList(store.registry));
    const groupVersion = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (method === "GET" && groupVersion) {
      const list = groupVersion[1]
        ? apiResourceList(store.registry, "", "v1")
        : apiResourceList(store.registry, groupVersion[2] ?? "", groupVersion[3] ?? "");
      if (list) return sendJson(response, 200, list);
    }
    if (method === "GET" && path === "/openapi/v3")
      return sendJson(response, 200, openApiIndex(store.registry));
    const document =
      method === "GET" && path.startsWith("/openapi/v3/")
        ? openApiDocument(store.registry, path.slice("/openapi/v3/".length))
        : undefined;
    if (document) return sendJson(response, 200, document);
    const target = parseTarget(path, store.registry);
    if (!target)
      return sendJson(
        response,
        404,
        failure(404, "NotFound", "the server could not find the requested resource", {}),
      );
    const { query } = { query: url.searchParams };
    if (
      method === "GET" &&
      target.subresource === "log" &&
      target.info.kind === "Pod" &&
      target.namespace &&
      target.name
    ) {
      const text = await podLogs(store, options.podLogs?.(), target.namespace, target.name, url.searchParams);
      response.writeHead(200, { "Content-Type": "text/plain" });
      response.end(text);
      return;
    }
    if (
      target.subresource &&
      !(target.subresource === "status" && target.info.status) &&
      !(target.subresource === "scale" && target.info.scale)
    ) {
      return sendJson(
        response,
        404,
        failure(404, "NotFound", "the server could not find the requested resource", {}),
      );
    }
    const read: ReadRequest = { store, target, query, table: wantsTable(request.headers.accept), now };
    const watching = query.get("watch") === "true" || query.get("watch") === "1";
    if (method === "GET") {
      if (watching) return watchObjects(read, response, watches);
      if (target.subresource === "scale")
        return sendJson(response, 200, scaleOf(getObject({ ...read, table: false }) as never));
      return sendJson(response, 200, target.name === undefined ? listObjects(read) : getObject(read));
    }
    const body = await readBody(request);
    const context = writeContext(query, request);
    const write = { store, target, context, now: now() };
    let result: WriteResult;
    if (method === "POST" && target.name === undefined) result = create(write, body);
    else if (method === "PUT" && target.name !== undefined) result = update(write, body);
    else if (method === "PATCH" && target.name !== undefined) result = patch(write, mediaType(request), body);
    else if (method === "DELETE" && target.name !== undefined)
      result = remove(write, deleteOptions(query, body));
    else if (method === "DELETE") result = removeCollection(read, write, deleteOptions(query, body));
    else
      throw new StoreError(
        405,
        "MethodNotAllowed",
        `the server does not allow this method on the requested resource`,
      );
    sendJson(response, result.code, result.body, context.warnings);
  };

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      const status = statusOf(error);
      if (!response.headersSent) sendJson(response, status.code, status);
      else response.end();
    });
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createHttpServer(listener);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const scheme = options.tls ? "https" : "http";
  return {
    url: `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}`,
    server,
    close: async () => {
      for (const finish of [...watches]) finish();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function removeCollection(
  read: ReadRequest,
  write: Parameters<typeof remove>[0],
  options: Parameters<typeof remove>[1],
): WriteResult {
  const listed = listObjects({ ...read, table: false }) as {
    kind: string;
    apiVersion: string;
    metadata: object;
    items: { metadata: { name?: string; namespace?: string } }[];
  };
  const items = listed.items.map(
    (item) =>
      remove(
        {
          ...write,
          target: { ...write.target, name: item.metadata.name, namespace: item.metadata.namespace },
        },
        options,
      ).body,
  );
  return { code: 200, body: { ...listed, items } };
}
