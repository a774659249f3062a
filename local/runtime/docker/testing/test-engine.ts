// Test support: a private Docker engine in a temp folder, started by the platform's own engine module (its
// flags come from machine-facts), so tests neither need nor disturb an engine someone else runs.
// A test-only busybox image (Debian's busybox-static, FROM scratch) stands in for both the pause image and
// a tiny HTTP server (busybox httpd), so the runtime tests pull nothing from any public registry.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDockerEngine } from "../../../docker-engine/docker-engine.ts";
import {
  DockerEngine,
  readAll,
  registryAuthHeader,
  socketPathFromDockerHost,
} from "../../../docker-engine/engine-client.ts";
import { reapLeftoverDaemons } from "../../../docker-engine/leftover-daemons.ts";

export interface TestEngine {
  engine: DockerEngine;
  socketPath: string;
  stop(): Promise<void>;
}

/** A fresh engine for this test process; engines of test processes that died before stopping theirs go first. */
export async function startTestEngine(): Promise<TestEngine> {
  await reapLeftoverDaemons();
  const home = mkdtempSync(join(tmpdir(), "cjh-dockerd-"));
  const started = await ensureDockerEngine({
    home,
    env: {},
    defaultSocket: join(home, "none.sock"),
    temporaryHome: true,
  });
  const socketPath = socketPathFromDockerHost(started.dockerHost);
  const engine = new DockerEngine(socketPath);
  return {
    engine,
    socketPath,
    async stop() {
      engine.close();
      await started.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export const testBusyboxImage = "cjh-test/busybox:1";

/** Builds a FROM-scratch busybox image with the engine's legacy builder (no network needed). */
export async function buildTestBusyboxImage(engine: DockerEngine, tag = testBusyboxImage): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), "cjh-busybox-"));
  try {
    mkdirSync(join(context, "bin"));
    copyFileSync("/bin/busybox", join(context, "bin", "busybox"));
    writeFileSync(
      join(context, "Dockerfile"),
      'FROM scratch\nCOPY bin/busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["sh"]\n',
    );
    await buildImage(engine, context, tag);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** `docker build` through the API: the context folder goes as a tar made by tar(1), no shell. */
export async function buildImage(engine: DockerEngine, contextDir: string, tag: string): Promise<void> {
  const tar = spawn("tar", ["-c", "-C", contextDir, "."], { stdio: ["ignore", "pipe", "inherit"] });
  if (!tar.stdout) throw new Error("tar gave no output stream");
  const response = await engine.stream("POST", "/build", {
    query: { t: tag, networkmode: "none", rm: 1, forcerm: 1 },
    headers: { "content-type": "application/x-tar" },
    body: tar.stdout,
  });
  const lines = (await readAll(response)).toString("utf8").split("\n");
  const failure = lines.find((line) => line.includes('"error"'));
  if (failure) throw new Error(`docker build ${tag}: ${failure}`);
}

export const testPauseImage = "cjh-test/pause:1";

/** A pause image for tests: sleeps, exits 0 on SIGTERM (the platform's own is built in local/images). */
export async function buildTestPauseImage(engine: DockerEngine): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), "cjh-pause-"));
  try {
    writeFileSync(
      join(context, "Dockerfile"),
      `FROM ${testBusyboxImage}\nENTRYPOINT ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait; done"]\n`,
    );
    await buildImage(engine, context, testPauseImage);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** `docker push` through the API; resolves to the manifest digest the registry answered. */
export async function pushImage(
  engine: DockerEngine,
  repository: string,
  tag: string,
  auth = {},
): Promise<string> {
  const response = await engine.stream("POST", `/images/${repository}/push`, {
    query: { tag },
    headers: { "x-registry-auth": registryAuthHeader(auth) },
  });
  const progress = (await readAll(response)).toString("utf8");
  const digest = /"Digest":"(sha256:[0-9a-f]{64})"/.exec(progress)?.[1];
  if (!digest) throw new Error(`push of ${repository}:${tag} gave no digest: ${progress}`);
  return digest;
}
