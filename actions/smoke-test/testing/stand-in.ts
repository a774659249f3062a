import { once } from "node:events";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { build, type Histogram } from "hdr-histogram-js";

export interface FixedResponse {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface StandInOptions {
  /** Serve HTTPS with this certificate. */
  tls?: { cert: string; key: string };
  /** Every `every`-th response of the latency path (starting with the first) waits `delayMs` before answering. */
  slow?: { delayMs: number; every: number };
  /** Delays in ms the latency path's responses take in turn, cycling (a known distribution). */
  delays?: readonly number[];
  /** Every `every`-th response of the latency path (counted apart from slow ones) is a 500. */
  failing?: { every: number };
  /** /readyz answers 503 to this many requests first; Infinity: never ready. */
  notReadyFor?: number;
  /** Extra fixed routes, by path (query included when given). */
  routes?: Record<string, FixedResponse>;
  /** Answers every plain request with a redirect to this origin (a stand-in for the HTTP listener). */
  redirectTo?: string;
}

export interface StandIn {
  url: string;
  port: number;
  /** How many requests reached the server, any path. */
  requests(): number;
  /** Time from each latency-path request's arrival to its response's end, in microseconds. */
  served: Histogram;
  close(): Promise<void>;
}

export const LATENCY_PATH = "/latency";

/**
 * A stand-in API whose latency and errors follow a known pattern, so that the gate's figures can be
 * checked against the truth: a deterministic share of slow responses and of 500s on /latency, a readiness
 * probe that turns ready after a number of requests (or never), and fixed routes for declared checks.
 */
export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  let total = 0;
  let latencyCount = 0;
  let readyzCount = 0;
  const served = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    total += 1;
    const arrived = process.hrtime.bigint();
    const path = req.url ?? "/";
    if (options.redirectTo) {
      res.writeHead(308, { location: `${options.redirectTo}${path}` }).end();
      return;
    }
    if (path === LATENCY_PATH) {
      const n = latencyCount++;
      const status = options.failing && n % options.failing.every === options.failing.every - 1 ? 500 : 200;
      const answer = () => {
        res.writeHead(status, { "content-type": "application/json" }).end('{"status":"ok"}');
        served.recordValue(Number((process.hrtime.bigint() - arrived) / 1000n));
      };
      const delay = options.delays?.[n % options.delays.length] ?? 0;
      if (options.slow && n % options.slow.every === 0) setTimeout(answer, options.slow.delayMs);
      else if (delay > 0) setTimeout(answer, delay);
      else answer();
      return;
    }
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (path === "/readyz") {
      const ready = readyzCount++ >= (options.notReadyFor ?? 0);
      res
        .writeHead(ready ? 200 : 503, {
          "content-type": ready ? "application/json" : "application/problem+json",
        })
        .end(ready ? '{"status":"ready"}' : '{"title":"Not ready","status":503}');
      return;
    }
    const fixed = options.routes?.[path];
    if (fixed) {
      res
        .writeHead(fixed.status, {
          "content-type": fixed.contentType ?? "application/json",
          ...fixed.headers,
        })
        .end(fixed.body ?? "");
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, handle) : createHttpServer(handle);
  server.keepAliveTimeout = 30_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests: () => total,
    served,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
