// A steady stream of requests to the API through the Ingress, from the first release to the end: the
// rehearsal's proof that deploys, the fail-fast undo and the manual rollback lose no request.
import { Agent, request } from "node:https";

export interface TrafficTarget {
  /** https://host:port/path — the public name (SNI and Host). */
  readonly url: URL;
  /** The IP address to connect to instead of resolving the host (the Ingress on loopback). */
  readonly connectTo: string;
  readonly ca: string;
}

export interface TrafficCounts {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  /** Failure kinds with their counts: a status code, or the socket error's code. */
  readonly failures: Readonly<Record<string, number>>;
}

export interface Traffic {
  counts(): TrafficCounts;
  stop(): Promise<TrafficCounts>;
}

const requestTimeoutMs = 10_000;

/** Sends `ratePerSecond` GETs a second on a timer (open loop: a slow answer does not slow the stream). */
export function startTraffic(target: TrafficTarget, ratePerSecond: number): Traffic {
  // A connection per request, as most monitoring probes do: a kept-alive socket that the server closes while
  // idle can meet a request on the way (ECONNRESET), a client-side race that says nothing about the rollout.
  const agent = new Agent({ keepAlive: false, ca: target.ca });
  let sent = 0;
  let ok = 0;
  const failures: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const fail = (kind: string) => {
    failures[kind] = (failures[kind] ?? 0) + 1;
  };
  const once = () =>
    new Promise<void>((resolve) => {
      sent += 1;
      // Connect to the Ingress's address; TLS name and Host stay the public ones (curl --resolve).
      const req = request(
        {
          agent,
          host: target.connectTo,
          port: target.url.port === "" ? 443 : Number(target.url.port),
          path: `${target.url.pathname}${target.url.search}`,
          servername: target.url.hostname,
          headers: { host: target.url.host },
          timeout: requestTimeoutMs,
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode === 200) ok += 1;
            else fail(`HTTP ${res.statusCode}`);
            resolve();
          });
          res.on("error", (error: NodeJS.ErrnoException) => {
            fail(error.code ?? error.message);
            resolve();
          });
        },
      );
      req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
      req.on("error", (error: NodeJS.ErrnoException) => {
        fail(error.code ?? error.message);
        resolve();
      });
      req.end();
    });
  const timer = setInterval(() => {
    const pending = once();
    inFlight.add(pending);
    void pending.then(() => inFlight.delete(pending));
  }, 1000 / ratePerSecond);
  const counts = (): TrafficCounts => ({
    sent,
    ok,
    failed: sent - ok - inFlight.size,
    failures: { ...failures },
  });
  return {
    counts,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      agent.destroy();
      return counts();
    },
  };
}
