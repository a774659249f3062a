import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../http/logger.ts";
import type { Listening } from "../http/serve.ts";
import type { Readiness } from "./readiness.ts";

export interface ShutdownOptions {
  listening: Listening;
  readiness: Readiness;
  logger: Logger;
  /** Time to keep serving after readiness fails, so load balancers stop sending first. */
  drainMs: number;
  /** Time in-flight requests get to finish once the listener is closed. */
  graceMs: number;
  /** Releases what the server holds (pool, embedded database), after the last request. */
  release: () => Promise<void>;
}

/**
 * SIGTERM/SIGINT: readiness fails at once, keep-alive stops, the listener closes after drainMs, requests
 * in flight finish (up to graceMs), then resources are released and the process exits 0.
 */
export function exitGracefullyOnSignals(options: ShutdownOptions): void {
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    void shutdown(options, signal).then(
      (code) => {
        options.logger.flush();
        process.exitCode = code;
      },
      () => {
        process.exitCode = 1;
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

async function shutdown(o: ShutdownOptions, signal: NodeJS.Signals): Promise<number> {
  o.readiness.startShutdown();
  o.listening.startDraining();
  o.logger.info({ signal, drainMs: o.drainMs, graceMs: o.graceMs }, "shutting down: readiness now fails");
  if (o.drainMs > 0) await sleep(o.drainMs);
  const finished = await o.listening.close(o.graceMs);
  if (!finished) o.logger.warn({ graceMs: o.graceMs }, "grace period over: cut the requests still running");
  try {
    await o.release();
  } catch (error) {
    o.logger.error({ err: error }, "releasing resources failed");
    return 1;
  }
  o.logger.info("stopped");
  return 0;
}
