import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** One line of /proc/<pid>/stat, reduced to what CPU accounting needs. */
interface ProcessTicks {
  pid: number;
  parentPid: number;
  /** utime + stime of all the process's threads, in clock ticks. */
  ticks: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after the last ")". */
export function parseProcStat(line: string): ProcessTicks {
  const nameEnd = line.lastIndexOf(")");
  const pid = Number.parseInt(line.slice(0, line.indexOf(" ")), 10);
  // Fields after the name start at field 3 (state): ppid is field 4, utime 14, stime 15.
  const fields = line.slice(nameEnd + 2).split(" ");
  const field = (number: number) => Number.parseInt(fields[number - 3] as string, 10);
  return { pid, parentPid: field(4), ticks: field(14) + field(15) };
}

function readAllProcesses(): ProcessTicks[] {
  const processes: ProcessTicks[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      processes.push(parseProcStat(readFileSync(`/proc/${entry}/stat`, "utf8")));
    } catch {
      // The process ended between listing and reading: it no longer uses CPU.
    }
  }
  return processes;
}

/** CPU ticks used so far by each named process tree (a root pid and all its descendants). */
export function sampleTrees(roots: Readonly<Record<string, number>>): Record<string, number> {
  const processes = readAllProcesses();
  const children = new Map<number, ProcessTicks[]>();
  for (const process of processes) {
    children.set(process.parentPid, [...(children.get(process.parentPid) ?? []), process]);
  }
  const byPid = new Map(processes.map((process) => [process.pid, process]));
  const treeTicks = (pid: number): number =>
    (byPid.get(pid)?.ticks ?? 0) +
    (children.get(pid) ?? []).reduce((sum, child) => sum + treeTicks(child.pid), 0);
  return Object.fromEntries(Object.entries(roots).map(([name, pid]) => [name, treeTicks(pid)]));
}

export const ticksPerSecond = Number.parseInt(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }), 10);

/** Share of one core (100 = one core fully busy) each tree used between two samples. */
export function coreShares(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
  elapsedSeconds: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([name, ticks]) => [
      name,
      ((ticks - (before[name] ?? 0)) / ticksPerSecond / elapsedSeconds) * 100,
    ]),
  );
}

/** Busy and total ticks of the whole machine (all cores), from the first line of /proc/stat. */
export function sampleMachine(): { busy: number; total: number } {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((field) => Number.parseInt(field, 10));
  const total = fields.reduce((sum, value) => sum + value, 0);
  // idle and iowait are the 4th and 5th numbers.
  return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
}
