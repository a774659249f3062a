// The Docker engine as a platform component (runtime "docker" only): finds or starts dockerd under the
// state folder and makes sure the pause image every pod sandbox runs is loaded. Other components get the
// engine with ensureDockerEngine({ home: context.stateDir }), which finds this one.

import { ensurePauseImage } from "../images/pause-image.ts";
import type { Component, PlatformContext } from "../platform/component.ts";
import { type DockerEngine, ensureDockerEngine } from "./docker-engine.ts";

export function dockerEngineComponent(): Component {
  let engine: DockerEngine | undefined;
  return {
    name: "docker-engine",
    async start(context: PlatformContext) {
      if (context.runtime !== "docker") return;
      engine = await ensureDockerEngine({ home: context.stateDir });
      await ensurePauseImage(engine.dockerHost);
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
