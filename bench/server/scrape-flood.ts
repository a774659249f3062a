import { Agent, request } from "node:http";

export interface FloodTally {
  /** Scrapes answered 200, per second of flood. */
  perSecond: number;
  failed: number;
}

export interface ScrapeFlood {
  stop(): Promise<FloodTally>;
}

/**
 * Scrapes `url` at a steady rate over a few keep-alive connections, as a misconfigured or hostile scraper
 * would (the issue that moved /metrics measured 139 scrapes/s). A scrape is sent when one is due and a
 * connection is free, so a slow endpoint is not buried under a growing queue; each body is read in full.
 */
export function startScrapeFlood(url: URL, ratePerSecond: number, connections: number): ScrapeFlood {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const started = performance.now();
  let sent = 0;
  let inFlight = 0;
  let answered = 0;
  let failed = 0;
  const done = new Set<Promise<void>>();
  const scrape = () =>
    new Promise<void>((resolve) => {
      const req = request(url, { agent }, (res) => {
        res.on("data", () => {});
        res.on("end", () => {
          if (res.statusCode === 200) answered++;
          else failed++;
          resolve();
        });
        res.on("error", () => {
          failed++;
          resolve();
        });
      });
      req.on("error", () => {
        failed++;
        resolve();
      });
      req.end();
    });
  const tick = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * ratePerSecond);
    while (sent < due && inFlight < connections) {
      sent++;
      inFlight++;
      const one = scrape().then(() => {
        inFlight--;
        done.delete(one);
      });
      done.add(one);
    }
    // Scrapes that could not be sent in time are dropped, not sent in a burst later.
    sent = Math.max(sent, due - connections);
  }, 5);
  return {
    async stop() {
      clearInterval(tick);
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(done);
      agent.destroy();
      return { perSecond: answered / seconds, failed };
    },
  };
}
