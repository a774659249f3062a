// The Docker runtime as the platform builds it (`--runtime docker`): the engine the platform uses (found or
// started by local/docker-engine), the pause image (made by local/images), the pod network cjh0 with
// 10.244.0.0/24 (state under <stateDir>/network), and pulls authenticated as ACR's admin user, which
// stands in for AKS's kubelet identity.
import { join } from "node:path";
import { loadOrCreateCredentials } from "../../azure/credentials.ts";
import { ensureDockerEngine } from "../../docker-engine/docker-engine.ts";
import { ensurePauseImage } from "../../images/pause-image.ts";
import type { PodRuntime } from "../../kube/kubelet/pod-runtime.ts";
import { PodNetwork } from "../../network/pod-network.ts";
import type { PlatformContext } from "../../platform/component.ts";
import { SimulatedRuntime } from "../simulated/simulated-runtime.ts";
import { DockerRuntime } from "./docker-runtime.ts";
import { socketPathFromDockerHost } from "./engine-client.ts";

export const podBridge = "cjh0";
export const podSubnet = "10.244.0.0/24";

export interface PodNetworkChoice {
  /** Tests beside a running platform take a bridge and subnet of their own. */
  bridge?: string;
  cidr?: string;
}

export async function createDockerRuntime(
  context: PlatformContext,
  choice: PodNetworkChoice = {},
): Promise<DockerRuntime> {
  const engine = await ensureDockerEngine({ home: context.stateDir });
  const pauseImage = await ensurePauseImage(engine.dockerHost);
  const credentials = await loadOrCreateCredentials(context.stateDir);
  const bridge = choice.bridge ?? podBridge;
  const cidr = choice.cidr ?? podSubnet;
  const network = new PodNetwork({ bridge, cidr, stateDir: join(context.stateDir, "network") });
  const runtime = await DockerRuntime.start({
    socketPath: socketPathFromDockerHost(engine.dockerHost),
    network,
    pauseImage,
    registryAuth: () => ({ username: credentials.adminUsername, password: credentials.adminPassword }),
  });
  context.log(`docker runtime: pods on ${bridge} ${cidr}, engine ${engine.dockerHost}`);
  return runtime;
}

/**
 * The controllers component's runtime factory (its createRuntime is used for both runtimes): Docker with
 * `--runtime docker`, else the simulated runtime exactly as the component builds it by default.
 */
export function createPodRuntime(context: PlatformContext): Promise<PodRuntime> {
  if (context.runtime === "docker") return createDockerRuntime(context, context.podNetwork);
  return Promise.resolve(new SimulatedRuntime({ clock: context.clock, registry: "any" }));
}
