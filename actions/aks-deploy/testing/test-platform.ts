// The local platform started in-process for the action's tests (API server, controllers and kubelet on the
// simulated runtime, a clock 20x faster). Tests reach it only through its kubeconfig, as a user would.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { type Clock, realClock, scaledClock } from "../../../local/kube/clock/clock.ts";
import { startPlatform } from "../../../local/platform/start-platform.ts";

export interface TestCluster {
  readonly kubeconfigPath: string;
  readonly kubeConfig: KubeConfig;
  /** The platform's clock: pod and condition timestamps are written in its time. */
  readonly clock: Clock;
  close(): Promise<void>;
}

/**
 * `images` are the references the simulated registry can pull; any other fails with ErrImagePull. A clock
 * factor of 1 suits runs in other processes (the bundle, the CLI), which read time from the system clock.
 */
export async function startTestCluster(images: readonly string[], clockFactor = 20): Promise<TestCluster> {
  const stateDir = mkdtempSync(join(tmpdir(), "aks-deploy-"));
  const clock = clockFactor === 1 ? realClock : scaledClock(clockFactor);
  const platform = await startPlatform({
    stateDir,
    clock,
    components: ["api-server", "controllers"],
    simulatedRegistry: [...images],
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(platform.kubeconfigPath);
  return {
    kubeconfigPath: platform.kubeconfigPath,
    kubeConfig,
    clock,
    async close() {
      await platform.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
