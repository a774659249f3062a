// Daemons the platform started whose owners have all died (a test or a platform killed mid-run, Ctrl-C at
// any point): found through the machine-wide index and stopped, after checking that the pid still names
// the very process that was started (its identity and command line), so nothing else is ever killed.
import { readdir, readFile, rm } from "node:fs/promises";
import {
  commandLine,
  type DaemonEntry,
  daemonIndexDir,
  daemonIndexFile,
  processIdentity,
  terminate,
  unmountUnder,
  withLock,
  writeDaemonEntry,
} from "./daemon-process.ts";

async function readEntry(pid: number): Promise<DaemonEntry | undefined> {
  try {
    return JSON.parse(await readFile(daemonIndexFile(pid), "utf8")) as DaemonEntry;
  } catch {
    return undefined;
  }
}

function isSameProcess(entry: DaemonEntry): boolean {
  return processIdentity(entry.pid) === entry.identity && commandLine(entry.pid) === entry.commandLine;
}

function ownerAlive(owner: string): boolean {
  const pid = Number.parseInt(owner, 10);
  return Number.isInteger(pid) && processIdentity(pid) === owner;
}

/** This process uses a daemon another one started: it is not a leftover while this process lives. */
export async function adoptDaemon(pid: number): Promise<void> {
  const file = daemonIndexFile(pid);
  await withLock(`${file}.lock`, 10_000, async () => {
    const entry = await readEntry(pid);
    const self = processIdentity(process.pid) ?? "";
    if (!entry || entry.owners.includes(self)) return;
    await writeDaemonEntry({ ...entry, owners: [...entry.owners.filter(ownerAlive), self] });
  });
}

/**
 * Stops every indexed daemon whose owners have all ended (unmounting and removing what it leaves, as
 * recorded) and forgets entries of daemons that already ended. Resolves to what was stopped, e.g.
 * "dockerd (pid 123)".
 */
export async function reapLeftoverDaemons(graceMs = 30_000): Promise<string[]> {
  const names = await readdir(daemonIndexDir()).catch(() => []);
  const reaped: string[] = [];
  for (const name of names.filter((file) => /^\d+\.json$/.test(file))) {
    const pid = Number.parseInt(name, 10);
    const file = daemonIndexFile(pid);
    await withLock(`${file}.lock`, 10_000, async () => {
      const entry = await readEntry(pid);
      if (!entry || !isSameProcess(entry)) {
        await rm(file, { force: true });
        return;
      }
      if (entry.owners.some(ownerAlive)) return;
      await terminate(pid, graceMs);
      if (entry.unmountDir) await unmountUnder(entry.unmountDir);
      const pidFileText = await readFile(entry.pidFile, "utf8").catch(() => "");
      if (pidFileText.startsWith(`${pid}\n`)) await rm(entry.pidFile, { force: true });
      if (entry.removeDir) await rm(entry.removeDir, { recursive: true, force: true });
      await rm(file, { force: true });
      reaped.push(`${entry.what} (pid ${pid})`);
    });
  }
  return reaped;
}
