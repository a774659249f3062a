import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * The real server, `node --import tsx server/main.ts` with the given environment, on the Node running the
 * tests (Node 24 under `npm exec` or `npm test`); npm itself is not in between, as it does not pass SIGTERM on.
 */
export function spawnServer(env: Record<string, string>): ServerProcess {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(DATABASE_URL|DB_|DATA_DIR|PORT$|METRICS_PORT$|LINKEDIN_|SHUTDOWN_)/.test(k),
    ),
  );
  // Node itself, with tsx as a loader: a signal (SIGKILL included) reaches the server, not a wrapper process.
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    // Test files run at once: a fixed metrics port would be taken by the first server.
    env: { ...clean, METRICS_PORT: "0", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls url until it answers 200; fails after timeoutMs or when the process exits first. */
export async function waitForOk(url: string, server: ServerProcess, timeoutMs = 60_000): Promise<void> {
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (exited) throw new Error(`server exited before ${url} answered:\n${server.output()}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${server.output()}`);
}
