import { existsSync } from "node:fs";
import type { CannedResponse } from "./canned-response.ts";
import { python } from "./environment.ts";
import { freePort, type ServerProcess, startServer } from "./server-process.ts";

const appEntry = "server/main.ts";

/** The production app with all its middleware, as `npm start` runs it but on the benchmark's database. */
export async function startApp(
  databaseUrl: string,
  poolMax: number,
  print: (line: string) => void,
): Promise<ServerProcess | undefined> {
  if (!existsSync(appEntry)) {
    print(`${appEntry} does not exist yet: the app's contenders are left out`);
    return undefined;
  }
  const port = await freePort();
  return startServer({
    name: "the app",
    command: process.execPath,
    args: ["--import", "tsx", appEntry],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      DB_POOL_MAX: String(poolMax),
      LOG_LEVEL: "info",
    },
    port,
    readyPath: "/readyz",
  });
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
