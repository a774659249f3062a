// Runs against the platform's state folder (PLATFORM_HOME or .platform/), where `npm run images:base` caches
// the Debian rootfs: the first run ever makes it (minutes), later runs only check the images.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ensureDockerEngine } from "../docker-engine/docker-engine.ts";
import { platformHome } from "../tls/state-home.ts";
import { docker } from "./docker-cli.ts";
import { ensureNodeBaseImage, nodeBaseImage, projectNodeVersion } from "./node-base-image.ts";
import { ensureNodeRuntimeImage, nodeRuntimeImage } from "./node-runtime-image.ts";
import { ensurePauseImage, pauseImage } from "./pause-image.ts";

describe("base images", { timeout: 15 * 60_000 }, async () => {
  const home = platformHome();
  const engine = await ensureDockerEngine({ home });
  const host = engine.dockerHost;
  after(() => engine.stop());

  test("the Node base image runs the project's Node and npm, with a node user", async () => {
    assert.equal(await ensureNodeBaseImage({ home, dockerHost: host }), nodeBaseImage);
    const run = ["run", "--rm", "--network=none", nodeBaseImage];
    assert.equal(await docker(host, [...run, "node", "-p", "process.version"]), `v${projectNodeVersion()}`);
    assert.match(await docker(host, [...run, "npm", "--version"]), /^11\.\d+\.\d+$/);
    assert.equal(await docker(host, [...run, "id", "-u", "node"]), "1000");
  });

  test("the Node runtime image has Node, CA certificates and uid 1000, and no shell", async () => {
    await ensureNodeBaseImage({ home, dockerHost: host });
    assert.equal(await ensureNodeRuntimeImage({ dockerHost: host }), nodeRuntimeImage);
    const run = ["run", "--rm", "--network=none", "--read-only", "--user=1000:1000", nodeRuntimeImage];
    const script = [
      "const { userInfo } = require('node:os');",
      "const { readFileSync, statSync } = require('node:fs');",
      "const pem = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');",
      "console.log(JSON.stringify({ version: process.version, user: userInfo().username,",
      "  certs: pem.split('BEGIN CERTIFICATE').length - 1, tmp: (statSync('/tmp').mode & 0o7777).toString(8) }));",
    ].join("");
    const facts = JSON.parse(await docker(host, [...run, "node", "-e", script])) as Record<string, unknown>;
    assert.deepEqual(facts, {
      version: `v${projectNodeVersion()}`,
      user: "node",
      certs: Number(
        await docker(host, [...run, "node", "-p", "require('node:tls').rootCertificates.length"]),
      ),
      tmp: "1777",
    });
    for (const shell of ["sh", "/bin/sh", "bash"]) {
      await assert.rejects(
        docker(host, [...run, shell, "-c", "true"]),
        /executable file not found|no such file/,
      );
    }
    const size = Number(await docker(host, ["image", "inspect", "-f", "{{.Size}}", nodeRuntimeImage]));
    assert.ok(size < 150 * 1024 * 1024, `the runtime image is ${size} bytes`);
  });

  test("a Dockerfile FROM the base image builds without pulling anything", async (t) => {
    const context = await mkdtemp(join(tmpdir(), "cjh-build-"));
    t.after(() => rm(context, { recursive: true, force: true }));
    await writeFile(
      join(context, "Dockerfile"),
      `FROM ${nodeBaseImage}\nRUN npm --version > /npm-version\nUSER node\nCMD ["node", "-e", "console.log(1)"]\n`,
    );
    const tag = "cloudjobhunt/base-image-test:1";
    t.after(() => docker(host, ["rmi", "-f", tag]));
    await docker(host, ["build", "--pull=false", "--network=none", "-q", "-t", tag, context]);
    assert.equal(await docker(host, ["run", "--rm", "--network=none", tag, "id", "-un"]), "node");
  });

  test("a failing debootstrap is reported with its log (nothing cached)", async (t) => {
    const scratch = await mkdtemp(join(tmpdir(), "cjh-rootfs-"));
    t.after(() => rm(scratch, { recursive: true, force: true }));
    // A mirror on a closed loopback port: debootstrap fails at once, without leaving the machine.
    const env = { DEBIAN_MIRROR: "http://127.0.0.1:9/debian" };
    const logPath = join(scratch, "images", "debootstrap.log");
    await assert.rejects(ensureNodeBaseImage({ home: scratch, dockerHost: host, env }), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, new RegExp(`^debootstrap failed \\(exit 1, log ${logPath}\\):\n`));
      return true;
    });
    assert.deepEqual(
      (await readdir(join(scratch, "images"))).filter((name) => name.endsWith(".tar")),
      [],
    );
  });

  test("the pause image sleeps until SIGTERM and then exits 0", async (t) => {
    assert.equal(await ensurePauseImage(host), pauseImage);
    const id = await docker(host, ["run", "-d", "--network=none", pauseImage]);
    t.after(() => docker(host, ["rm", "-f", id]));
    assert.equal(await docker(host, ["inspect", "-f", "{{.State.Running}}", id]), "true");
    await docker(host, ["stop", "-t", "10", id]);
    assert.equal(await docker(host, ["inspect", "-f", "{{.State.ExitCode}}", id]), "0");
  });
});
