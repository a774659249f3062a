// The read verbs: get, list (selectors, limit/continue) and watch (a chunked stream of JSON events).
import type { ServerResponse } from "node:http";
import type { KubeObject } from "../api/meta.ts";
import type { MemoryStore } from "../store/memory-store.ts";
import { StoreError, type WatchEvent } from "../store/object-store.ts";
import { groupVersion, qualifiedResource, type ResourceInfo } from "../store/resources.ts";
import type { ResourceTarget } from "./request-target.ts";
import { statusOf } from "./status.ts";
import { toTable } from "./table.ts";

export interface ReadRequest {
  store: MemoryStore;
  target: ResourceTarget;
  query: URLSearchParams;
  table: boolean;
  now: () => Date;
}

function ref(info: ResourceInfo) {
  return { group: info.group, version: info.version, resource: info.resource };
}

export function getObject(request: ReadRequest): unknown {
  const { info, namespace, name } = request.target;
  const object = request.store.get(ref(info), namespace, name ?? "");
  if (!object)
    throw new StoreError(404, "NotFound", `${qualifiedResource(info)} "${name}" not found`, {
      name,
      group: info.group,
      kind: info.resource,
    });
  if (request.table)
    return toTable(
      info.kind,
      [object],
      object.metadata.resourceVersion ?? "",
      request.query.get("includeObject") ?? undefined,
      request.now(),
    );
  return object;
}

function selection(request: ReadRequest) {
  const { target, query } = request;
  const fieldSelectors = [
    query.get("fieldSelector"),
    target.name ? `metadata.name=${target.name}` : null,
  ].filter((s) => s !== null && s !== "");
  return {
    ...(target.namespace ? { namespace: target.namespace } : {}),
    ...(query.get("labelSelector") ? { labelSelector: query.get("labelSelector") ?? "" } : {}),
    ...(fieldSelectors.length > 0 ? { fieldSelector: fieldSelectors.join(",") } : {}),
  };
}

function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;
}

export function listObjects(request: ReadRequest): unknown {
  const { info } = request.target;
  const result = request.store.list(ref(info), selection(request));
  let items = result.items;
  const token = request.query.get("continue");
  if (token) {
    let after: string;
    try {
      after = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after: string }).after;
    } catch {
      throw new StoreError(400, "BadRequest", "continue key is not valid: illegal base64 data");
    }
    items = items.filter((item) => objectKey(item) > after);
  }
  const limit = Number(request.query.get("limit") ?? "0");
  let continueToken: string | undefined;
  let remaining: number | undefined;
  if (limit > 0 && items.length > limit) {
    remaining = items.length - limit;
    items = items.slice(0, limit);
    const last = items[items.length - 1];
    if (last) continueToken = Buffer.from(JSON.stringify({ after: objectKey(last) })).toString("base64url");
  }
  const metadata = {
    resourceVersion: result.resourceVersion,
    ...(continueToken ? { continue: continueToken, remainingItemCount: remaining } : {}),
  };
  if (request.table)
    return {
      ...toTable(
        info.kind,
        items,
        result.resourceVersion,
        request.query.get("includeObject") ?? undefined,
        request.now(),
      ),
      metadata,
    };
  return { kind: `${info.kind}List`, apiVersion: groupVersion(info), metadata, items };
}

/**
 * Streams watch events until the client goes, `timeoutSeconds` passes or the server closes. Without a
 * resourceVersion (or "0") the current objects come first as ADDED, as on the real server. A version too
 * old for the history is an ERROR event carrying a 410 Expired Status.
 */
export function watchObjects(request: ReadRequest, response: ServerResponse, closing: Set<() => void>): void {
  const { info } = request.target;
  const options = selection(request);
  const version = request.query.get("resourceVersion") ?? "";
  response.writeHead(200, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    "Transfer-Encoding": "chunked",
  });
  response.flushHeaders();
  const includeObject = request.query.get("includeObject") ?? undefined;
  let first = true;
  const send = (type: string, object: unknown) => {
    if (response.destroyed || response.writableEnded) return;
    let payload = object;
    if (request.table && type !== "ERROR" && type !== "BOOKMARK") {
      const kube = object as KubeObject;
      payload = toTable(
        info.kind,
        [kube],
        kube.metadata.resourceVersion ?? "",
        includeObject,
        request.now(),
        first,
      );
      first = false;
    }
    response.write(`${JSON.stringify({ type, object: payload })}\n`);
  };
  let stop = () => {};
  let lastVersion = request.store.resourceVersion;
  const onEvent = (event: WatchEvent) => {
    lastVersion = event.object.metadata.resourceVersion ?? lastVersion;
    send(event.type, event.object);
  };
  try {
    if (version === "" || version === "0") {
      const initial = request.store.list(ref(info), options);
      for (const item of initial.items) send("ADDED", item);
      stop = request.store.watch(
        ref(info),
        { ...options, resourceVersion: initial.resourceVersion },
        onEvent,
      );
    } else {
      stop = request.store.watch(ref(info), { ...options, resourceVersion: version }, onEvent);
    }
  } catch (error) {
    send("ERROR", statusOf(error));
    response.end();
    return;
  }
  const bookmarks =
    request.query.get("allowWatchBookmarks") === "true"
      ? setInterval(
          () =>
            send("BOOKMARK", {
              kind: info.kind,
              apiVersion: groupVersion(info),
              metadata: { resourceVersion: lastVersion },
            }),
          15_000,
        )
      : undefined;
  const timeoutSeconds = Number(request.query.get("timeoutSeconds") ?? "1800");
  const finish = () => {
    stop();
    clearInterval(bookmarks);
    clearTimeout(timer);
    closing.delete(finish);
    if (!response.writableEnded) response.end();
  };
  const timer = setTimeout(finish, Math.max(0, timeoutSeconds) * 1000);
  closing.add(finish);
  response.on("close", finish);
}
