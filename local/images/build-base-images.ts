// `npm run images:base`: makes the images no registry can give us (the Dockerfile's builder and runtime
// base images and the pods' pause image) and loads them into the platform's Docker engine, starting the engine for the time of the
// run if none answers. Cached: a second run only checks the images' labels.

import { ExitCode, runCli } from "../common/exit-code.ts";
import { ensureDockerEngine } from "../docker-engine/docker-engine.ts";
import { platformHome } from "../tls/state-home.ts";
import { ensureNodeBaseImage } from "./node-base-image.ts";
import { ensureNodeRuntimeImage } from "./node-runtime-image.ts";
import { ensurePauseImage } from "./pause-image.ts";

await runCli(async () => {
  const home = platformHome();
  const engine = await ensureDockerEngine({ home });
  try {
    const log = (line: string) => console.log(line);
    const images = [
      await ensureNodeBaseImage({ home, dockerHost: engine.dockerHost, log }),
      await ensureNodeRuntimeImage({ dockerHost: engine.dockerHost, log }),
      await ensurePauseImage(engine.dockerHost),
    ];
    console.log(`images ready in the engine at ${engine.dockerHost}: ${images.join(", ")}`);
    return ExitCode.Ok;
  } finally {
    await engine.stop();
  }
});
