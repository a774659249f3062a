import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { type DirectRunRequest, loadResult } from "./direct-protocol.ts";
import type { LoadResult } from "./load-result.ts";

const workerFile = fileURLToPath(new URL("./direct-search.ts", import.meta.url));

export interface DirectSearchWorker {
  pid: number;
  run(request: DirectRunRequest): Promise<LoadResult>;
  stop(): Promise<void>;
}

/** Forks the direct-search worker (tsx's loader comes along in execArgv) and waits until it is ready. */
export async function startDirectSearch(databaseUrl: string, poolMax: number): Promise<DirectSearchWorker> {
  const worker = fork(workerFile, {
    env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_POOL_MAX: String(poolMax) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [ready] = await Promise.race([
    once(worker, "message"),
    once(worker, "exit").then(([code]) => {
      throw new Error(`the direct-search worker exited (${code}) before it was ready`);
    }),
  ]);
  if (ready !== "ready") throw new Error(`unexpected first message from the direct-search worker: ${ready}`);
  return {
    pid: worker.pid as number,
    async run(request) {
      worker.send(request);
      const [message] = await once(worker, "message");
      return loadResult.parse(message);
    },
    async stop() {
      const exited = once(worker, "exit");
      worker.disconnect();
      await exited;
    },
  };
}
