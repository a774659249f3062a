// The Docker engine as a platform component (runtime "docker" only): finds or starts dockerd under the
// state folder. Other components get the engine with ensureDockerEngine({ home: context.stateDir }), which
// finds this one; the Docker runtime (local/platform/pod-runtime.ts) loads the pause image into it.

import type { Component, PlatformContext } from "../component/component.ts";
import { type DockerEngine, ensureDockerEngine } from "./docker-engine.ts";

export function dockerEngineComponent(): Component {
  let engine: DockerEngine | undefined;
  return {
    name: "docker-engine",
    async start(context: PlatformContext) {
      if (context.runtime !== "docker") return;
      engine = await ensureDockerEngine({ home: context.stateDir });
      context.log(
        `docker engine at ${engine.dockerHost} (${engine.startedHere ? "started" : "already running"})`,
      );
    },
    async stop() {
      await engine?.stop();
      engine = undefined;
    },
  };
}
