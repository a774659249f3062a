// The files under the state folder that tell `status` and `down` what `up` started.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DaemonRecord {
  pid: number;
  url: string;
  kubeconfig: string;
  components: string[];
  runtime: string;
  /** Absent in records written before the option existed (then on). */
  aksLocalAccounts?: boolean;
  /** Whether the database component runs (absent in older records: no). */
  database?: boolean;
  startedAt: string;
}

export const daemonScript = "daemon.ts";

export function recordPath(stateDir: string): string {
  return join(stateDir, "platform.json");
}

export function logPath(stateDir: string): string {
  return join(stateDir, "platform.log");
}

export function portPath(stateDir: string): string {
  return join(stateDir, "api-port");
}

export function writeRecord(stateDir: string, record: DaemonRecord): void {
  writeFileSync(recordPath(stateDir), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

export function removeRecord(stateDir: string): void {
  rmSync(recordPath(stateDir), { force: true });
}

/** True when `pid` is alive and is a platform daemon (a recycled pid is not ours). */
export function isDaemon(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(daemonScript);
  } catch {
    return true;
  }
}

/** The record of the running daemon, or undefined when none runs. */
export function runningDaemon(stateDir: string): DaemonRecord | undefined {
  if (!existsSync(recordPath(stateDir))) return undefined;
  const record = JSON.parse(readFileSync(recordPath(stateDir), "utf8")) as DaemonRecord;
  return isDaemon(record.pid) ? record : undefined;
}
