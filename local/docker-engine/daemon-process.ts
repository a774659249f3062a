// Long-lived helper processes the platform starts (dockerd, the registry): detached so they outlive the
// command that started them, recorded in a pidfile so that `down`, from any process, stops exactly those.
// Each is also listed in a machine-wide index with the processes that own it, so that one whose owners all
// died (a test or platform killed mid-run) can be found and stopped later (leftover-daemons.ts).
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileAsync } from "../common/exec-file.ts";

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `pid:starttime` (field 22 of /proc/<pid>/stat): names one process for its whole life, across exec, and
 * never a later process that reuses the pid. Undefined once it has ended.
 */
export function processIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return `${pid}:${fields[19]}`;
  } catch {
    return undefined;
  }
}

/** The process's command line, arguments joined by spaces ("" once it has ended). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/**
 * The live process a pidfile names, if any. The pidfile's second line is the process's identity: a pid
 * reused by another process since is not ours.
 */
export async function pidFrom(pidFile: string): Promise<number | undefined> {
  const [first = "", identity] = (await readFile(pidFile, "utf8").catch(() => "")).split("\n");
  const pid = Number.parseInt(first, 10);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return undefined;
  return !identity || processIdentity(pid) === identity ? pid : undefined;
}

/** A daemon in the machine-wide index: what it is, where its pidfile is, who owns it. */
export interface DaemonEntry {
  pid: number;
  identity: string;
  /** Its command line once ready (checked again before it is ever stopped as a leftover). */
  commandLine: string;
  what: string;
  pidFile: string;
  /** Identities of the processes it serves: the one that started it and those that found it since. */
  owners: string[];
  /** Unmount what is left mounted under this folder once it is stopped. */
  unmountDir?: string;
  /** A temporary folder that goes with it. */
  removeDir?: string;
}

/** The machine-wide index of the daemons the platform started (one JSON file per daemon). */
export function daemonIndexDir(): string {
  return join(tmpdir(), "cloudjobhunt-daemons");
}

export function daemonIndexFile(pid: number): string {
  return join(daemonIndexDir(), `${pid}.json`);
}

export async function writeDaemonEntry(entry: DaemonEntry): Promise<void> {
  await mkdir(daemonIndexDir(), { recursive: true, mode: 0o700 });
  const file = daemonIndexFile(entry.pid);
  await writeFile(`${file}.tmp`, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

/** SIGTERM, then SIGKILL if it has not ended after graceMs. */
export async function terminate(pid: number, graceMs: number): Promise<void> {
  process.kill(pid, "SIGTERM");
  if (!(await waitFor(async () => !processAlive(pid), graceMs))) process.kill(pid, "SIGKILL");
}

/** SIGTERM, then SIGKILL if it has not ended after graceMs; removes the pidfile and its index entry. */
export async function stopDaemon(pidFile: string, graceMs = 30_000): Promise<void> {
  const pid = await pidFrom(pidFile);
  if (pid !== undefined) {
    await terminate(pid, graceMs);
    await rm(daemonIndexFile(pid), { force: true });
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
  /** For the index: unmount under this folder once stopped as a leftover. */
  unmountDir?: string;
  /** For the index: a temporary folder removed with it when stopped as a leftover. */
  removeDir?: string;
}

/** Starts the daemon and waits until it is ready; on failure stops it and reports the log's last lines. */
export async function startDaemon(spec: DaemonSpec): Promise<number> {
  const log = openSync(spec.logPath, "a");
  const child = spawn(spec.command, [...spec.args], { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.command}`);
  child.unref();
  const identity = processIdentity(pid) ?? "";
  await writeFile(spec.pidFile, `${pid}\n${identity}\n`);
  const entry: DaemonEntry = {
    pid,
    identity,
    commandLine: commandLine(pid),
    what: spec.what,
    pidFile: spec.pidFile,
    owners: [processIdentity(process.pid) ?? ""],
    ...(spec.unmountDir ? { unmountDir: spec.unmountDir } : {}),
    ...(spec.removeDir ? { removeDir: spec.removeDir } : {}),
  };
  await writeDaemonEntry(entry);
  // Stop waiting as soon as the daemon has exited: its log says why.
  await waitFor(async () => !processAlive(pid) || (await spec.ready()), spec.readyTimeoutMs);
  if (!processAlive(pid) || !(await spec.ready())) {
    await stopDaemon(spec.pidFile, 5000);
    const tail = (await readFile(spec.logPath, "utf8").catch(() => "")).split("\n").slice(-15).join("\n");
    throw new Error(`${spec.what} did not become ready (log ${spec.logPath}):\n${tail}`);
  }
  // Ready: the command line is now the daemon's own (a wrapper may have exec'ed it).
  await writeDaemonEntry({ ...entry, commandLine: commandLine(pid) });
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
    await execFileAsync("umount", ["-l", mount]).catch(() => undefined);
  }
}
