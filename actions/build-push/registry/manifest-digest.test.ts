// Against Debian's real docker-registry on loopback (plain http, no auth): the https attempt fails and
// loopback falls back to http, as the engine does; the ACR token flow is covered by build-push.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ensureDockerEngine } from "../../../local/docker-engine/docker-engine.ts";
import { docker } from "../../../local/images/docker-cli.ts";
import { ensurePauseImage } from "../../../local/images/pause-image.ts";
import { startTestRegistry, type TestRegistry } from "../../../local/runtime/docker/testing/test-registry.ts";
import { platformHome } from "../../../local/tls/state-home.ts";
import { parseChallenge, registryManifestDigest } from "./manifest-digest.ts";

describe("parseChallenge", () => {
  test("reads the scheme and the quoted parameters", () => {
    assert.deepEqual(
      parseChallenge('Bearer realm="https://r.io/oauth2/token",service="r.io",scope="repository:a/b:pull"'),
      {
        scheme: "bearer",
        params: { realm: "https://r.io/oauth2/token", service: "r.io", scope: "repository:a/b:pull" },
      },
    );
    assert.deepEqual(parseChallenge('Basic realm="registry"'), {
      scheme: "basic",
      params: { realm: "registry" },
    });
  });
});

describe("registryManifestDigest on a plain loopback registry", { timeout: 5 * 60_000 }, async () => {
  const engine = await ensureDockerEngine({ home: platformHome() });
  let registry: TestRegistry;
  let pushedDigest = "";

  before(async () => {
    registry = await startTestRegistry();
    const image = await ensurePauseImage(engine.dockerHost);
    const name = `${registry.host}/team/pause`;
    await docker(engine.dockerHost, ["tag", image, `${name}:v1`]);
    const pushed = await docker(engine.dockerHost, ["push", `${name}:v1`]);
    pushedDigest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1] ?? "";
    await docker(engine.dockerHost, ["rmi", `${name}:v1`]);
  });
  after(async () => {
    await registry?.stop();
    await engine.stop();
  });

  test("answers the digest docker push reported", async () => {
    assert.match(pushedDigest, /^sha256:/);
    assert.equal(await registryManifestDigest(registry.host, "team/pause", "v1", undefined), pushedDigest);
  });

  test("a tag the registry does not have is named with the HTTP status", async () => {
    await assert.rejects(registryManifestDigest(registry.host, "team/pause", "missing", undefined), {
      message: `HEAD http://${registry.host}/v2/team/pause/manifests/missing answered HTTP 404`,
    });
  });
});
