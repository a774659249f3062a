// A reverse proxy in front of the test platform's API server that misbehaves like a loaded or flaky control
// plane: it cuts every watch stream after a while (alternately a clean end and a reset connection) and answers
// a fixed share of requests with 429 Too Many Requests (Retry-After) or 503. Clients reach it over plain HTTP
// with the platform's token; it forwards over HTTPS trusting the platform's CA.
// (client-node sends a token over plain HTTP only with skipTLSVerify set, which the proxied kubeconfig has.)
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { request } from "node:https";
import type { AddressInfo, Socket } from "node:net";

export interface FaultProxyOptions {
  /** The API server's https URL. */
  upstream: string;
  /** PEM of the CA that signed the API server's certificate. */
  ca: string;
  /** Each watch stream is cut this long after it started (ms). */
  cutWatchesAfterMs: number;
  /** Of every `failEvery` requests, one gets 429 (Retry-After: 1) and one 503; 0 turns injection off. */
  failEvery: number;
  /** Every `expireEvery`-th watch is answered with a 410 Expired ERROR event, as after a compaction. */
  expireEvery?: number;
}

export interface FaultStats {
  requests: number;
  throttled: number;
  unavailable: number;
  watchesCut: number;
  watchesExpired: number;
  /** Every write that reached the API server, as sent. */
  writes: { method: string; path: string; contentType: string; body: string }[];
}

export interface FaultProxy {
  readonly url: string;
  readonly stats: FaultStats;
  close(): Promise<void>;
}

function status(res: ServerResponse, code: number, reason: string, message: string, headers = {}) {
  res.writeHead(code, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message, reason, code }));
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const stats: FaultStats = {
    requests: 0,
    throttled: 0,
    unavailable: 0,
    watchesCut: 0,
    watchesExpired: 0,
    writes: [],
  };
  let watches = 0;
  const upstream = new URL(options.upstream);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    stats.requests += 1;
    const turn = options.failEvery > 0 ? stats.requests % options.failEvery : undefined;
    if (turn === options.failEvery - 1) {
      stats.throttled += 1;
      return status(res, 429, "TooManyRequests", "Too many requests, please try again later.", {
        "retry-after": "1",
      });
    }
    if (turn === 0) {
      stats.unavailable += 1;
      return status(res, 503, "ServiceUnavailable", "the server is currently unable to handle the request");
    }
    const isWatch = /[?&]watch=(true|1)/.test(req.url ?? "");
    if (isWatch) watches += 1;
    if (isWatch && options.expireEvery && watches % options.expireEvery === 0) {
      stats.watchesExpired += 1;
      const expired = { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410 };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        `${JSON.stringify({ type: "ERROR", object: { ...expired, message: "too old resource version" } })}\n`,
      );
      return;
    }
    const forward = request(
      new URL(req.url ?? "/", upstream),
      { method: req.method, headers: { ...req.headers, host: upstream.host }, ca: options.ca },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        if (!isWatch) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          stats.watchesCut += 1;
          answer.destroy();
          if (stats.watchesCut % 2 === 0) res.destroy();
          else res.end();
        }, options.cutWatchesAfterMs);
        timers.add(timer);
        res.on("close", () => {
          clearTimeout(timer);
          timers.delete(timer);
          answer.destroy();
        });
      },
    );
    forward.on("error", () => res.destroy());
    if (req.method !== "GET") {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () =>
        stats.writes.push({
          method: req.method ?? "",
          path: req.url ?? "",
          contentType: req.headers["content-type"] ?? "",
          body: Buffer.concat(chunks).toString(),
        }),
      );
    }
    req.pipe(forward);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
