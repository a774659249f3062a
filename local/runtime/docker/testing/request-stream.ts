// A steady, bounded stream of HTTP requests (each on a new connection, so each is balanced afresh by the
// service proxy), counting what answered and what failed, for "zero failed requests during a rollout".
import { get } from "node:http";

export interface StreamResult {
  ok: number;
  failed: number;
  failures: string[];
  /** How many answers carried each body. */
  bodies: Map<string, number>;
}

function once(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

/** `concurrency` loops of back-to-back requests until stop() (or maxMs) ends them. */
export function requestStream(url: string, concurrency = 2, maxMs = 300_000) {
  const result: StreamResult = { ok: 0, failed: 0, failures: [], bodies: new Map() };
  let running = true;
  const deadline = Date.now() + maxMs;
  const loop = async () => {
    while (running && Date.now() < deadline) {
      try {
        const body = (await once(url)).trim();
        result.ok++;
        result.bodies.set(body, (result.bodies.get(body) ?? 0) + 1);
      } catch (error) {
        result.failed++;
        if (result.failures.length < 20)
          result.failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    result,
    async stop(): Promise<StreamResult> {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}
