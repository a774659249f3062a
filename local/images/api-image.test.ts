// The API's production image (the repository's Dockerfile) on a real Docker engine against a real
// PostgreSQL: it starts as uid 1000 with a read-only root, answers /readyz, and drains on SIGTERM without
// failing a request. The container shares the host's network (the platform's engine has no bridge), so it
// reaches the embedded PostgreSQL on loopback.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startTestDatabase, type TestDatabase } from "../../server/testing/postgres.ts";
import { freePort } from "../common/ports.ts";
import { waitUntil } from "../common/testing/wait-until.ts";
import { ensureDockerEngine } from "../docker-engine/docker-engine.ts";
import { requestStream } from "../runtime/docker/testing/request-stream.ts";
import { platformHome } from "../tls/state-home.ts";
import { docker } from "./docker-cli.ts";
import { machineBuildArgs } from "./machine-ca-base.ts";
import { ensureNodeBaseImage } from "./node-base-image.ts";
import { ensureNodeRuntimeImage } from "./node-runtime-image.ts";

const repositoryRoot = join(import.meta.dirname, "../..");
const tag = "cloudjobhunt/api:image-test";

async function status(url: string): Promise<number> {
  return fetch(url, { signal: AbortSignal.timeout(5000) }).then(
    (response) => response.status,
    () => 0,
  );
}

describe("the API image", { timeout: 20 * 60_000 }, async () => {
  const home = platformHome();
  const engine = await ensureDockerEngine({ home });
  const host = engine.dockerHost;
  let db: TestDatabase;

  before(async () => {
    await ensureNodeBaseImage({ home, dockerHost: host });
    await ensureNodeRuntimeImage({ dockerHost: host });
    const buildArgs = Object.entries(await machineBuildArgs(host)).flatMap(([k, v]) => [
      "--build-arg",
      `${k}=${v}`,
    ]);
    // npm ci in the builder stage needs the npm registry: host network.
    await docker(host, [
      "build",
      "--pull=false",
      "--network=host",
      "-q",
      ...buildArgs,
      "-t",
      tag,
      repositoryRoot,
    ]);
    db = await startTestDatabase({ migrate: false });
  });
  after(async () => {
    await db?.stop();
    await docker(host, ["rmi", "-f", tag]).catch(() => undefined);
    await engine.stop();
  });

  test("is under 150 MB and runs as uid 1000 by default", async () => {
    const size = Number(await docker(host, ["image", "inspect", "-f", "{{.Size}}", tag]));
    assert.ok(size <= 150 * 1024 * 1024, `the image is ${size} bytes`);
    assert.equal(await docker(host, ["image", "inspect", "-f", "{{.Config.User}}", tag]), "1000:1000");
  });

  test("starts with a read-only root, answers /readyz, and drains on SIGTERM with no failed request", async (t) => {
    const port = await freePort();
    const id = await docker(host, [
      "run",
      "-d",
      "--network=host",
      "--read-only",
      "--tmpfs=/tmp",
      "--cap-drop=ALL",
      "--security-opt=no-new-privileges",
      "-e",
      `DATABASE_URL=${db.url}`,
      "-e",
      `PORT=${port}`,
      "-e",
      "HOST=127.0.0.1",
      "-e",
      "SHUTDOWN_DRAIN_MS=3000",
      tag,
    ]);
    t.after(() => docker(host, ["rm", "-f", id]).catch(() => undefined));
    const base = `http://127.0.0.1:${port}`;
    await waitUntil("/readyz answers 200", async () => (await status(`${base}/readyz`)) === 200, {
      timeoutMs: 120_000,
    });
    assert.equal(
      await docker(host, ["exec", id, "node", "-p", "process.getuid() + ':' + process.getgid()"]),
      "1000:1000",
    );

    const stream = requestStream(`${base}/healthz`);
    await waitUntil("the stream has answers", async () => stream.result.ok >= 20);
    await docker(host, ["kill", "--signal=TERM", id]);
    // Readiness fails first; the server keeps answering through the drain.
    await waitUntil("/readyz answers 503", async () => (await status(`${base}/readyz`)) === 503);
    const during = await stream.stop();
    assert.deepEqual(during.failures, []);
    assert.ok(during.ok > 20);
    assert.equal(await docker(host, ["wait", id]), "0", await docker(host, ["logs", id]));
  });
});
