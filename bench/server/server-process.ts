import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

/** A contender's server, started as its own process so its CPU can be measured apart from the load. */
export interface ServerProcess {
  name: string;
  pid: number;
  baseUrl: string;
  stop(): Promise<void>;
}

export interface ServerCommand {
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  port: number;
  /** Answers 200 once the server can take load. */
  readyPath: string;
}

export async function startServer(server: ServerCommand, readyTimeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(server.command, server.args, {
    cwd: server.cwd,
    env: server.env,
    // The servers' logs would compete with the load for CPU if a terminal had to draw them.
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const baseUrl = `http://127.0.0.1:${server.port}`;
  try {
    await waitUntilReady(child, new URL(server.readyPath, baseUrl), readyTimeoutMs);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${server.name} did not become ready: ${(error as Error).message}\n${stderr}`);
  }
  return { name: server.name, pid: child.pid as number, baseUrl, stop: () => stopChild(child) };
}

async function waitUntilReady(child: ChildProcess, url: URL, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    }
    const status = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url.href} did not answer 200 within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = once(child, "close");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await closed;
  clearTimeout(timer);
}
