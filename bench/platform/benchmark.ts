// The platform benchmark on the simulated runtime (docker-bench.ts has the Docker one): a platform started
// in-process on the real clock, then repeated rollouts against
// the ideal (3 pods one after another, each ready after readyAfterMs, plus one watch round-trip).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { startPlatform } from "../../local/platform/start-platform.ts";
import { type Spread, summarize } from "../server/stats.ts";
import type { PlatformBenchOptions } from "./options.ts";
import {
  applyDeployment,
  benchDeployment,
  kubectlStartup,
  rolloutStatus,
  timedRollout,
  timedRolloutColdKubectl,
} from "./rollout.ts";
import { measureWatchRoundTrip } from "./watch-round-trip.ts";

export interface PlatformBenchResult {
  rollouts: number[];
  rollout: Spread;
  /** The same with kubectl started after the apply (its start-up included). */
  coldKubectl: Spread;
  watchRoundTrip: Spread;
  kubectlStartup: Spread;
  idealMs: number;
  ratio: number;
}

export const goalRatio = 1.5;

export async function runPlatformBench(
  options: PlatformBenchOptions,
  log: (line: string) => void,
): Promise<PlatformBenchResult> {
  const stateDir = mkdtempSync(join(tmpdir(), "bench-platform-"));
  const platform = await startPlatform({
    stateDir,
    runtime: options.runtime,
    components: ["api-server", "controllers"],
  });
  try {
    const config = new KubeConfig();
    config.loadFromFile(platform.kubeconfigPath);
    log("first rollout (not measured)...");
    await applyDeployment(config, benchDeployment(0, options.readyAfterMs));
    await rolloutStatus(platform.kubeconfigPath).success;
    const startups = [];
    for (let i = 0; i < 3; i++) startups.push(await kubectlStartup(platform.kubeconfigPath));
    const watchRoundTrip = summarize(await measureWatchRoundTrip(config, 20));
    const rollouts: number[] = [];
    const cold: number[] = [];
    for (let i = 1; i <= options.repetitions; i++) {
      const ms = await timedRollout(config, platform.kubeconfigPath, 2 * i - 1, options.readyAfterMs);
      const coldMs = await timedRolloutColdKubectl(
        config,
        platform.kubeconfigPath,
        2 * i,
        options.readyAfterMs,
      );
      log(
        `rollout ${i}/${options.repetitions}: ${ms.toFixed(0)} ms (kubectl started after the apply: ${coldMs.toFixed(0)} ms)`,
      );
      rollouts.push(ms);
      cold.push(coldMs);
    }
    const rollout = summarize(rollouts);
    const idealMs = 3 * options.readyAfterMs + watchRoundTrip.median;
    return {
      rollouts,
      rollout,
      coldKubectl: summarize(cold),
      watchRoundTrip,
      kubectlStartup: summarize(startups),
      idealMs,
      ratio: rollout.median / idealMs,
    };
  } finally {
    await platform.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const spread = (s: Spread, digits = 0) =>
  `median ${s.median.toFixed(digits)} ms (range ${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;

export function renderPlatformReport(result: PlatformBenchResult, options: PlatformBenchOptions): string {
  return [
    `bench:platform (${options.runtime} runtime, real clock, 3 replicas, maxSurge 1 / maxUnavailable 0, pods ready after ${options.readyAfterMs} ms)`,
    `  apply -> kubectl "successfully rolled out" (kubectl already watching): ${spread(result.rollout)} over ${result.rollouts.length} rollouts`,
    `  same, kubectl started after the apply (its start-up included): ${spread(result.coldKubectl)}`,
    `  watch round-trip (write -> event at a client): ${spread(result.watchRoundTrip, 1)}`,
    `  kubectl rollout status start-up to first verdict: ${spread(result.kubectlStartup)}`,
    `  ideal: 3 x ${options.readyAfterMs} ms + ${result.watchRoundTrip.median.toFixed(1)} ms = ${result.idealMs.toFixed(0)} ms`,
    `  ratio: ${result.ratio.toFixed(2)} (goal <= ${goalRatio}: ${result.ratio <= goalRatio ? "met" : "MISSED"})`,
  ].join("\n");
}
