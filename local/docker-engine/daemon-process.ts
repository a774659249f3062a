// Long-lived helper processes the platform starts (dockerd, the registry): detached so they outlive the
// command that started them, recorded in a pidfile so that `down`, from any process, stops exactly those.
import { execFile, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The live process a pidfile names, if any. */
export async function pidFrom(pidFile: string): Promise<number | undefined> {
  const pid = Number.parseInt(await readFile(pidFile, "utf8").catch(() => ""), 10);
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

/** SIGTERM, then SIGKILL if it has not ended after graceMs; removes the pidfile. */
export async function stopDaemon(pidFile: string, graceMs = 30_000): Promise<void> {
  const pid = await pidFrom(pidFile);
  if (pid !== undefined) {
    process.kill(pid, "SIGTERM");
    if (!(await waitFor(async () => !processAlive(pid), graceMs))) process.kill(pid, "SIGKILL");
  }
  await rm(pidFile, { force: true });
}

export interface DaemonSpec {
  command: string;
  args: readonly string[];
  logPath: string;
  pidFile: string;
  /** True once the daemon serves. */
  ready: () => Promise<boolean>;
  readyTimeoutMs: number;
  /** What the daemon is, for the error message. */
  what: string;
}

/** Starts the daemon and waits until it is ready; on failure stops it and reports the log's last lines. */
export async function startDaemon(spec: DaemonSpec): Promise<number> {
  const log = openSync(spec.logPath, "a");
  const child = spawn(spec.command, [...spec.args], { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.command}`);
  child.unref();
  await writeFile(spec.pidFile, `${pid}\n`);
  // Stop waiting as soon as the daemon has exited: its log says why.
  await waitFor(async () => !processAlive(pid) || (await spec.ready()), spec.readyTimeoutMs);
  if (!processAlive(pid) || !(await spec.ready())) {
    await stopDaemon(spec.pidFile, 5000);
    const tail = (await readFile(spec.logPath, "utf8").catch(() => "")).split("\n").slice(-15).join("\n");
    throw new Error(`${spec.what} did not become ready (log ${spec.logPath}):\n${tail}`);
  }
  return pid;
}

/**
 * Runs fn while holding an exclusive lock file (several processes, e.g. test files run in parallel, may want
 * the same engine at once: one starts it, the others then find it). A lock whose holder died is taken over.
 */
export async function withLock<T>(lockPath: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
      const age = Date.now() - ((await stat(lockPath).catch(() => undefined))?.mtimeMs ?? 0);
      const abandoned = Number.isInteger(holder) ? !processAlive(holder) : age > 5000;
      if (abandoned) await rm(lockPath, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lockPath} is still held by process ${holder}`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/** Unmounts whatever is still mounted under dir (left by a daemon or debootstrap that ended abruptly). */
export async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile("/proc/mounts", "utf8")).split("\n").map((line) => line.split(" ")[1] ?? "");
  for (const mount of mounts.filter((path) => path === dir || path.startsWith(`${dir}/`)).reverse()) {
    await run("umount", ["-l", mount]).catch(() => undefined);
  }
}
