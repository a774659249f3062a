import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { execFileAsync } from "../common/exec-file.ts";
import { engineAnswers, ensureDockerEngine, stopPlatformEngine } from "./docker-engine.ts";

describe("Docker engine", () => {
  test("starts dockerd with its state under the platform folder; a later call reuses it; the platform stops it", async (t) => {
    const home = await mkdtemp(join(tmpdir(), "cjh-engine-"));
    t.after(() => rm(home, { recursive: true, force: true }));
    const options = { home, env: {}, defaultSocket: join(home, "no-system-engine.sock") };
    const engine = await ensureDockerEngine(options);
    t.after(() => engine.stop());
    assert.equal(engine.startedHere, true);
    assert.equal(engine.dockerHost, `unix://${join(home, "docker", "docker.sock")}`);

    const { stdout } = await execFileAsync("docker", ["info", "--format", "{{.Driver}} {{.DockerRootDir}}"], {
      env: { ...process.env, DOCKER_HOST: engine.dockerHost },
    });
    assert.equal(stdout.trim(), `overlay2 ${join(home, "docker", "data")}`);

    const again = await ensureDockerEngine(options);
    assert.deepEqual([again.dockerHost, again.startedHere], [engine.dockerHost, false]);
    await again.stop();
    assert.equal(await engineAnswers(join(home, "docker", "docker.sock")), true);

    await stopPlatformEngine(home);
    assert.equal(await engineAnswers(join(home, "docker", "docker.sock")), false);
  });

  test("two processes asking at once start one engine: the other finds it", async (t) => {
    const home = await mkdtemp(join(tmpdir(), "cjh-engine-"));
    t.after(async () => {
      await stopPlatformEngine(home);
      await rm(home, { recursive: true, force: true });
    });
    const options = { home, env: {}, defaultSocket: join(home, "no-system-engine.sock") };
    const engines = await Promise.all([ensureDockerEngine(options), ensureDockerEngine(options)]);
    assert.deepEqual(engines.map((engine) => engine.startedHere).sort(), [false, true]);
    assert.equal(engines[0]?.dockerHost, engines[1]?.dockerHost);
  });

  test("an engine named by DOCKER_HOST is used as it is, and a dead one is reported", async (t) => {
    const home = await mkdtemp(join(tmpdir(), "cjh-engine-"));
    t.after(() => rm(home, { recursive: true, force: true }));
    const dockerHost = `unix://${join(home, "dead.sock")}`;
    await assert.rejects(ensureDockerEngine({ home, env: { DOCKER_HOST: dockerHost } }), {
      message: `DOCKER_HOST=${dockerHost} does not answer: start that engine or unset DOCKER_HOST`,
    });
    const tcp = await ensureDockerEngine({ home, env: { DOCKER_HOST: "tcp://127.0.0.1:2375" } });
    assert.deepEqual([tcp.dockerHost, tcp.startedHere], ["tcp://127.0.0.1:2375", false]);
  });
});
