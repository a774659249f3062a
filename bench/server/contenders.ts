import { type CpuRoots, watchCpu } from "./cpu-window.ts";
import type { DirectSearchWorker } from "./direct-client.ts";
import type { ContenderId } from "./goals.ts";
import type { RoundRecord } from "./report.ts";
import type { ScrapeFlood } from "./scrape-flood.ts";
import { runWrk } from "./wrk.ts";

export interface Contender {
  id: ContenderId;
  run(durationSeconds: number): Promise<RoundRecord>;
}

export interface LoadSettings {
  connections: number;
  wrkThreads: number;
  postgresPid: number;
}

/** Leaves out the ramp-up and the tail of each run from the CPU window. */
const cpuMarginMs = (durationSeconds: number) => Math.min(1_000, (durationSeconds * 1_000) / 5);

/** A contender served over HTTP and loaded by wrk. */
export function httpContender(
  id: ContenderId,
  server: { pid: number; baseUrl: string },
  paths: readonly string[],
  settings: LoadSettings,
): Contender {
  return {
    id,
    async run(durationSeconds) {
      let wrkPid: number | undefined;
      const roots = (): CpuRoots | undefined =>
        wrkPid === undefined
          ? undefined
          : { loadGenerator: wrkPid, server: server.pid, postgres: settings.postgresPid };
      const [result, cpu] = await Promise.all([
        runWrk(
          {
            baseUrl: server.baseUrl,
            paths,
            connections: settings.connections,
            durationSeconds,
            threads: settings.wrkThreads,
          },
          (pid) => {
            wrkPid = pid;
          },
        ),
        watchCpu(roots, durationSeconds * 1_000, cpuMarginMs(durationSeconds)),
      ]);
      return { result, cpu };
    },
  };
}

/** The search function called in-process by the direct-search worker, which is its own load generator. */
export function directContender(worker: DirectSearchWorker, settings: LoadSettings): Contender {
  return {
    id: "direct-search",
    async run(durationSeconds) {
      const roots: CpuRoots = {
        loadGenerator: worker.pid,
        server: undefined,
        postgres: settings.postgresPid,
      };
      const [result, cpu] = await Promise.all([
        worker.run({ connections: settings.connections, durationSeconds }),
        watchCpu(() => roots, durationSeconds * 1_000, cpuMarginMs(durationSeconds)),
      ]);
      return { result, cpu };
    },
  };
}

/** Another contender's run with the metrics port flooded by scrapes all along; its own id for the report. */
export function underScrapeFlood(
  id: ContenderId,
  inner: Contender,
  startFlood: () => ScrapeFlood,
): Contender {
  return {
    id,
    async run(durationSeconds) {
      const flood = startFlood();
      const record = await inner.run(durationSeconds).catch(async (error: unknown) => {
        await flood.stop();
        throw error;
      });
      return { ...record, scrapes: await flood.stop() };
    },
  };
}
