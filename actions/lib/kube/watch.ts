// A watch that survives its stream: kubectl's and the informers' list-then-watch, resumed from the last
// resourceVersion seen when the stream ends (client-node 2.x ends an idle stream after 30 s; servers end
// them on their own schedule), re-listed when the server answers 410 Gone/Expired (history compacted),
// and retried with exponential backoff (honouring Retry-After on lists) when the API fails or throttles.
import { setTimeout as delay } from "node:timers/promises";
import { ApiException, type KubeConfig, type KubernetesObject, Watch } from "@kubernetes/client-node";

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

/** A collection to watch: its API path and selectors, and the same list through a typed API. */
export interface WatchTarget<T extends KubernetesObject> {
  /** e.g. `/apis/apps/v1/namespaces/default/deployments` */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Lists the collection with the same selectors (a typed client-node call). */
  list(): Promise<ListResult<T>>;
}

/**
 * LIST replaces everything known before (first list, or a re-list after 410); the others are watch events.
 * Watch events carry the raw JSON: timestamps are RFC 3339 strings, not Date.
 */
export type WatchChange<T> =
  | { type: "LIST"; items: T[] }
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: T };

export interface Backoff {
  /** First retry delay (default 100 ms). */
  initialMs: number;
  /** Longest retry delay (default 5 000 ms). */
  maxMs: number;
}

export interface ResumableWatchOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  target: WatchTarget<T>;
  /** Ends the watch; the promise then resolves. */
  signal: AbortSignal;
  onChange(change: WatchChange<T>): void;
  /** Told about each recoverable failure and the delay before the retry. */
  onRetry?(reason: string, delayMs: number): void;
  backoff?: Backoff;
}

/** A failure that retrying cannot fix (bad credentials, forbidden, no such resource). */
export class WatchFailedError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = "WatchFailedError";
  }
}

type StreamEnd =
  | { kind: "ended"; events: number }
  | { kind: "gone" }
  | { kind: "failed"; statusCode?: number; reason: string; events: number };

const retriable = (statusCode: number | undefined) =>
  statusCode === undefined || statusCode === 408 || statusCode === 429 || statusCode >= 500;

function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const headers = error.headers as Record<string, string | undefined>;
  const value = Number(headers["retry-after"]);
  return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

function describe(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as { message?: unknown } | string | undefined;
    const message =
      typeof body === "object" && body !== null && typeof body.message === "string"
        ? body.message
        : undefined;
    return `HTTP ${error.code}${message ? `: ${message}` : ""}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Lists, then watches until `signal` aborts; rejects with WatchFailedError on a non-retriable answer. */
export async function resumableWatch<T extends KubernetesObject>(
  options: ResumableWatchOptions<T>,
): Promise<void> {
  const { kubeConfig, target, signal, onChange } = options;
  const backoff = options.backoff ?? { initialMs: 100, maxMs: 5000 };
  const watch = new Watch(kubeConfig);
  let resourceVersion: string | undefined;
  let failures = 0;

  const pause = async (reason: string, hintMs?: number) => {
    const exponential = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
    const jittered = exponential * (0.8 + Math.random() * 0.4);
    const ms = Math.round(Math.max(jittered, Math.min(hintMs ?? 0, 60_000)));
    failures += 1;
    options.onRetry?.(reason, ms);
    await delay(ms, undefined, { signal }).catch(() => undefined);
  };

  const stream = (from: string) =>
    new Promise<StreamEnd>((resolve) => {
      let events = 0;
      let settled = false;
      let controller: AbortController | undefined;
      const finish = (end: StreamEnd) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", abort);
        controller?.abort();
        resolve(end);
      };
      const abort = () => finish({ kind: "ended", events });
      signal.addEventListener("abort", abort, { once: true });
      const query: Record<string, string | boolean> = { resourceVersion: from, allowWatchBookmarks: true };
      if (target.labelSelector) query.labelSelector = target.labelSelector;
      if (target.fieldSelector) query.fieldSelector = target.fieldSelector;
      watch
        .watch(
          target.path,
          query,
          (type: string, object: T & { code?: number; message?: string }) => {
            if (settled) return;
            events += 1;
            if (type === "ERROR") {
              if (object.code === 410) finish({ kind: "gone" });
              else
                finish({
                  kind: "failed",
                  statusCode: object.code,
                  reason: object.message ?? "watch error",
                  events,
                });
              return;
            }
            const version = object.metadata?.resourceVersion;
            if (version) resourceVersion = version;
            if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") onChange({ type, object });
          },
          (error: unknown) => {
            if (!error) return finish({ kind: "ended", events });
            const statusCode = (error as { statusCode?: number }).statusCode;
            if (statusCode === 410) return finish({ kind: "gone" });
            const timedOut = error instanceof Error && error.name === "TimeoutError";
            if (timedOut) return finish({ kind: "ended", events });
            finish({ kind: "failed", statusCode, reason: describe(error), events });
          },
        )
        .then(
          (started) => {
            controller = started;
            if (settled) started.abort();
          },
          (error: unknown) => finish({ kind: "failed", reason: describe(error), events }),
        );
    });

  while (!signal.aborted) {
    if (resourceVersion === undefined) {
      let listed: ListResult<T>;
      try {
        listed = await target.list();
      } catch (error) {
        const code = error instanceof ApiException ? error.code : undefined;
        if (!retriable(code))
          throw new WatchFailedError(`listing ${target.path}: ${describe(error)}`, code ?? 0);
        await pause(`listing ${target.path}: ${describe(error)}`, retryAfterMs(error));
        continue;
      }
      if (signal.aborted) return;
      resourceVersion = listed.metadata?.resourceVersion ?? "0";
      onChange({ type: "LIST", items: listed.items });
    }
    const end = await stream(resourceVersion);
    if (signal.aborted) return;
    if (end.kind === "gone") {
      resourceVersion = undefined;
      continue;
    }
    if (end.events > 0) failures = 0;
    if (end.kind === "ended") {
      // A stream that ends without a single event is a symptom (a proxy or server cutting it): back off.
      if (end.events === 0) await pause(`watch of ${target.path} ended without events`);
      continue;
    }
    if (!retriable(end.statusCode))
      throw new WatchFailedError(`watching ${target.path}: ${end.reason}`, end.statusCode ?? 0);
    await pause(`watching ${target.path}: ${end.reason}`);
  }
}
