import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileAsync } from "../../local/common/exec-file.ts";
import { freePort } from "../../local/common/ports.ts";
import type { CannedResponse } from "./canned-response.ts";
import { python } from "./environment.ts";
import { type ServerProcess, startServer } from "./server-process.ts";

const appEntry = "server/main.ts";
const bundler = "server/build.ts";

export interface AppServer extends ServerProcess {
  /** How the app was run: the production bundle, or the sources through tsx when no bundler exists. */
  runs: string;
  /** The app's Prometheus endpoint, on its own port. */
  metricsUrl: URL;
}

/**
 * The production app with all its middleware, run as the image runs it (`node server.mjs`, the bundle built
 * by `npm run build:server`, here into a temporary folder) on the benchmark's database.
 */
export async function startApp(
  databaseUrl: string,
  poolMax: number,
  print: (line: string) => void,
): Promise<AppServer | undefined> {
  if (!existsSync(appEntry)) {
    print(`${appEntry} does not exist yet: the app's contenders are left out`);
    return undefined;
  }
  let args = ["--import", "tsx", appEntry];
  let runs = `${appEntry} through tsx`;
  let cleanup = async () => {};
  if (existsSync(bundler)) {
    const outdir = await mkdtemp(join(tmpdir(), "bench-server-bundle-"));
    cleanup = () => rm(outdir, { recursive: true, force: true });
    await execFileAsync(process.execPath, ["--import", "tsx", bundler, outdir]);
    args = [join(outdir, "server.mjs")];
    runs = "the production bundle (server/build.ts)";
  }
  const port = await freePort();
  const metricsPort = await freePort();
  const server = await startServer({
    name: "the app",
    command: process.execPath,
    args,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      DB_POOL_MAX: String(poolMax),
      LOG_LEVEL: "info",
    },
    port,
    readyPath: "/readyz",
  }).catch(async (error: unknown) => {
    await cleanup();
    throw error;
  });
  return {
    ...server,
    runs,
    metricsUrl: new URL(`http://127.0.0.1:${metricsPort}/metrics`),
    async stop() {
      await server.stop();
      await cleanup();
    },
  };
}

/** The seed's stack: uvicorn's defaults otherwise (one worker, access log on), as the seed's image ran it. */
export async function startFastApi(databaseUrl: string, poolMax: number): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: "FastAPI",
    command: python,
    args: [
      "-m",
      "uvicorn",
      "app:app",
      "--app-dir",
      "bench/server/fastapi",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    env: { ...process.env, DATABASE_URL: databaseUrl, POOL_MAX: String(poolMax) },
    port,
    readyPath: "/healthz",
  });
}

/** The bare node:http baseline, replaying a response recorded from the app. */
export async function startBare(response: CannedResponse): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: "bare node:http",
    command: process.execPath,
    args: ["--import", "tsx", "bench/server/bare-server.ts"],
    env: {
      ...process.env,
      BENCH_PORT: String(port),
      BENCH_RESPONSE: JSON.stringify(response),
    },
    port,
    readyPath: "/healthz",
  });
}
