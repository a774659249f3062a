import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DockerEngine, socketPathFromDockerHost } from "./engine-client.ts";

describe("engine client", () => {
  test("DOCKER_HOST: unix sockets only, said plainly", () => {
    assert.equal(socketPathFromDockerHost("unix:///run/cjh/docker.sock"), "/run/cjh/docker.sock");
    assert.throws(
      () => socketPathFromDockerHost("tcp://127.0.0.1:2375"),
      /^Error: DOCKER_HOST tcp:\/\/127\.0\.0\.1:2375: only unix:\/\/ sockets are supported$/,
    );
  });

  test("an engine that does not answer is named in the error", async () => {
    const engine = new DockerEngine("/nonexistent/docker.sock");
    await assert.rejects(
      engine.json("GET", "/version"),
      /^Error: Docker engine at \/nonexistent\/docker\.sock: connect ENOENT/,
    );
    engine.close();
  });
});
