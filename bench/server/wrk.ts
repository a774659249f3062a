import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { execFileAsync } from "../../local/common/exec-file.ts";
import type { LoadResult } from "./load-result.ts";

const reportScript = fileURLToPath(new URL("./wrk-report.lua", import.meta.url));

const wrkReport = z.object({
  requests: z.number(),
  durationUs: z.number().positive(),
  connectErrors: z.number(),
  readErrors: z.number(),
  writeErrors: z.number(),
  statusErrors: z.number(),
  timeouts: z.number(),
  p50Us: z.number(),
  p99Us: z.number(),
  maxUs: z.number(),
});

export interface WrkRun {
  baseUrl: string;
  /** Paths to rotate over; one path sends a static request. */
  paths: readonly string[];
  connections: number;
  durationSeconds: number;
  threads: number;
}

/** Runs wrk once; `onStarted` receives its pid so the caller can watch its CPU. */
export async function runWrk(run: WrkRun, onStarted: (pid: number) => void = () => {}): Promise<LoadResult> {
  const [firstPath, ...otherPaths] = run.paths;
  if (firstPath === undefined) throw new Error("wrk needs at least one path");
  const args = [
    `--threads=${run.threads}`,
    `--connections=${run.connections}`,
    `--duration=${run.durationSeconds}s`,
    "--timeout=5s",
    `--script=${reportScript}`,
    new URL(firstPath, run.baseUrl).href,
    ...(otherPaths.length > 0 ? ["--", ...run.paths] : []),
  ];
  const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("spawn", () => onStarted(child.pid as number));
    child.once("close", resolve);
  });
  const reportLine = output.split("\n").find((line) => line.startsWith('{"requests"'));
  if (exitCode !== 0 || reportLine === undefined) {
    throw new Error(`wrk ${args.join(" ")} failed (exit ${exitCode}):\n${output}`);
  }
  const report = wrkReport.parse(JSON.parse(reportLine));
  return {
    requestsPerSecond: report.requests / (report.durationUs / 1e6),
    p50Ms: report.p50Us / 1000,
    p99Ms: report.p99Us / 1000,
    errors:
      report.connectErrors + report.readErrors + report.writeErrors + report.statusErrors + report.timeouts,
  };
}

export async function wrkVersion(): Promise<string> {
  // wrk prints its version in the usage text and exits 1 on --version.
  const result = await execFileAsync("wrk", ["--version"]).catch((error: unknown) => error);
  const text =
    typeof result === "object" && result !== null && "stdout" in result ? String(result.stdout) : "";
  return (
    text
      .split("\n")[0]
      ?.replace(/ Copyright.*/, "")
      .trim() || "unknown"
  );
}
