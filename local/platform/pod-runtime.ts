// The pod runtime the platform runs its kubelet on, chosen here and only here: the simulated runtime, or
// with `--runtime docker` the Docker runtime on the engine the platform uses (found or started by
// local/docker-engine), with the pause image (made by local/images), the pod network of the context
// (state under <stateDir>/network), and pulls authenticated as ACR's admin user, which stands in for
// AKS's kubelet identity.
import { join } from "node:path";
import { loadOrCreateCredentials } from "../azure/credentials.ts";
import type { PlatformContext } from "../component/component.ts";
import { ensureDockerEngine } from "../docker-engine/docker-engine.ts";
import { socketPathFromDockerHost } from "../docker-engine/engine-client.ts";
import { ensurePauseImage } from "../images/pause-image.ts";
import type { PodRuntime } from "../kube/kubelet/pod-runtime.ts";
import { PodNetwork } from "../network/pod-network.ts";
import { DockerRuntime } from "../runtime/docker/docker-runtime.ts";
import { SimulatedRuntime, type SimulatedRuntimeOptions } from "../runtime/simulated/simulated-runtime.ts";

async function createDockerRuntime(context: PlatformContext): Promise<DockerRuntime> {
  const engine = await ensureDockerEngine({ home: context.stateDir });
  const pauseImage = await ensurePauseImage(engine.dockerHost);
  const credentials = await loadOrCreateCredentials(context.stateDir);
  const { bridge, cidr } = context.podNetwork;
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
 * The runtime for the context's `runtime`: Docker, or the simulated runtime pulling `simulatedRegistry`
 * (default: every reference).
 */
export function createPodRuntime(
  context: PlatformContext,
  simulatedRegistry: SimulatedRuntimeOptions["registry"] = "any",
): Promise<PodRuntime> {
  if (context.runtime === "docker") return createDockerRuntime(context);
  return Promise.resolve(new SimulatedRuntime({ clock: context.clock, registry: simulatedRegistry }));
}
