import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ContainerRegistryClient,
  ContainerRegistryContentClient,
  type OciImageManifest,
} from "@azure/container-registry";
import { ClientSecretCredential } from "@azure/identity";
import { execFileAsync } from "../common/exec-file.ts";
import { ensureDockerEngine } from "../docker-engine/docker-engine.ts";
import { ensurePauseImage } from "../images/pause-image.ts";
import { type RunningRegistry, startRegistry } from "../registry/registry.ts";
import { trustLocalCaInThisProcess } from "../tls/local-ca.ts";
import { refreshTokenUser } from "./acr-tokens.ts";
import { type AzureStandIns, registryTokenAuth, startAzureStandIns } from "./azure-stand-ins.ts";
import { freeStandInPorts } from "./endpoints.ts";

describe("ACR stand-in: token flow in front of the registry", () => {
  let home = "";
  let azure: AzureStandIns;
  let registry: RunningRegistry;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "cjh-acr-"));
    const ports = await freeStandInPorts();
    registry = await startRegistry({
      home,
      port: ports.registry,
      auth: await registryTokenAuth(home, ports),
    });
    azure = await startAzureStandIns({
      home,
      ports,
      kubeconfig: async () => "",
      registryStorageRoot: registry.storageRoot,
    });
    await trustLocalCaInThisProcess(home);
  });
  after(async () => {
    await azure.stop();
    await registry.stop();
    await rm(home, { recursive: true, force: true });
  });

  function credential(secret = azure.credentials.clientSecret): ClientSecretCredential {
    const { tenantId, clientId } = azure.credentials;
    return new ClientSecretCredential(tenantId, clientId, secret, {
      authorityHost: azure.endpoints.aadUrl,
      disableInstanceDiscovery: true,
    });
  }

  /** What `az acr login --expose-token` does: AAD token -> ACR refresh token. */
  async function refreshToken(): Promise<string> {
    const aad = await credential().getToken("https://containerregistry.azure.net/.default");
    const answer = await fetch(`${azure.endpoints.acrUrl}/oauth2/exchange`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "access_token",
        service: azure.endpoints.acrLoginServer,
        access_token: aad.token,
      }),
    });
    assert.equal(answer.status, 200);
    const body = await answer.json();
    return body.refresh_token;
  }

  /** An ACR access token for one scope, as the SDK's challenge policy gets it. */
  async function accessToken(scope: string): Promise<string> {
    const answer = await fetch(`${azure.endpoints.acrUrl}/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        service: azure.endpoints.acrLoginServer,
        scope,
        refresh_token: await refreshToken(),
      }),
    });
    assert.equal(answer.status, 200);
    return (await answer.json()).access_token;
  }

  test("@azure/container-registry uploads blobs and a manifest, reads it back and lists it", async () => {
    const repository = "cloudjobhunt/sdk-test";
    const content = new ContainerRegistryContentClient(azure.endpoints.acrUrl, repository, credential());
    const layerBytes = Buffer.from("layer bytes of the sdk test");
    const configBytes = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux" }));
    const layer = await content.uploadBlob(layerBytes);
    const config = await content.uploadBlob(configBytes);
    assert.equal(layer.digest, `sha256:${createHash("sha256").update(layerBytes).digest("hex")}`);
    const manifest: OciImageManifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: config.digest,
        size: configBytes.length,
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar",
          digest: layer.digest,
          size: layerBytes.length,
        },
      ],
    };
    const uploaded = await content.setManifest(manifest, { tag: "v1" });
    const fetched = await content.getManifest("v1");
    assert.equal(fetched.digest, uploaded.digest);

    const client = new ContainerRegistryClient(azure.endpoints.acrUrl, credential());
    const names: string[] = [];
    for await (const name of client.listRepositoryNames()) names.push(name);
    assert.ok(names.includes(repository), `${repository} in ${names.join(", ")}`);
    const tags: string[] = [];
    for await (const tag of client.getRepository(repository).getArtifact("v1").listTagProperties()) {
      tags.push(tag.name);
      assert.equal(tag.digest, uploaded.digest);
    }
    assert.deepEqual(tags, ["v1"]);
    const properties = await client.getArtifact(repository, uploaded.digest).getManifestProperties();
    assert.equal(properties.digest, uploaded.digest);
    assert.deepEqual(properties.tags, ["v1"]);
    assert.equal(properties.sizeInBytes, configBytes.length + layerBytes.length);
    const repositoryProperties = await client.getRepository(repository).getProperties();
    assert.equal(repositoryProperties.name, repository);
    assert.equal(repositoryProperties.registryLoginServer, azure.endpoints.acrLoginServer);
    assert.equal(repositoryProperties.tagCount, 1);
    assert.equal(repositoryProperties.manifestCount, 1);
    assert.equal(repositoryProperties.canWrite, true);
    assert.ok(repositoryProperties.createdOn <= repositoryProperties.lastUpdatedOn);
    await assert.rejects(client.getRepository("cloudjobhunt/no-such-repository").getProperties(), {
      // The SDK has no message mapper for ACR's error list: its RestError carries the body as text.
      statusCode: 404,
      message: /^\{"errors":\[\{"code":"NAME_UNKNOWN","message":"repository name not known to registry"/,
    });
    const missing = await fetch(`${azure.endpoints.acrUrl}/acr/v1/cloudjobhunt%2Fno-such-repository`, {
      headers: {
        authorization: `Bearer ${await accessToken("repository:cloudjobhunt/no-such-repository:pull")}`,
      },
    });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), {
      errors: [
        {
          code: "NAME_UNKNOWN",
          message: "repository name not known to registry",
          detail: { name: "cloudjobhunt/no-such-repository" },
        },
      ],
    });
    const listed: string[] = [];
    for await (const listedManifest of client.getRepository(repository).listManifestProperties()) {
      listed.push(listedManifest.digest);
    }
    assert.deepEqual(listed, [uploaded.digest]);
  });

  test("docker-style basic credentials: the admin user and the service principal get scoped tokens", async () => {
    const { adminUsername, adminPassword, clientId, clientSecret } = azure.credentials;
    for (const [user, password] of [
      [adminUsername, adminPassword],
      [clientId, clientSecret],
    ]) {
      const answer = await fetch(
        `${azure.endpoints.acrUrl}/oauth2/token?service=${azure.endpoints.acrLoginServer}&scope=repository:team/app:pull`,
        { headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` } },
      );
      assert.equal(answer.status, 200);
      const { access_token: token } = await answer.json();
      const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
      assert.deepEqual(claims.access, [{ type: "repository", name: "team/app", actions: ["pull"] }]);
      assert.equal(claims.aud, azure.endpoints.acrLoginServer);
    }
  });

  test("bad credentials get ACR's 401 shape at every step", async () => {
    const unauthorized = {
      errors: [{ code: "UNAUTHORIZED", message: "authentication required", detail: null }],
    };
    const badBasic = await fetch(
      `${azure.endpoints.acrUrl}/oauth2/token?service=${azure.endpoints.acrLoginServer}&scope=repository:x:pull`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${refreshTokenUser}:not-a-token`).toString("base64")}`,
        },
      },
    );
    assert.equal(badBasic.status, 401);
    assert.deepEqual(await badBasic.json(), unauthorized);

    const badRefresh = await fetch(`${azure.endpoints.acrUrl}/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        service: azure.endpoints.acrLoginServer,
        scope: "repository:x:pull",
        refresh_token: "forged",
      }),
    });
    assert.equal(badRefresh.status, 401);
    assert.deepEqual(await badRefresh.json(), unauthorized);

    const badExchange = await fetch(`${azure.endpoints.acrUrl}/oauth2/exchange`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "access_token",
        service: azure.endpoints.acrLoginServer,
        access_token: "forged",
      }),
    });
    assert.equal(badExchange.status, 401);
    assert.deepEqual(await badExchange.json(), {
      errors: [{ code: "UNAUTHORIZED", message: "the AAD access token is invalid", detail: null }],
    });

    const otherRegistry = await fetch(`${azure.endpoints.acrUrl}/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        service: "other.example:443",
        scope: "repository:x:pull",
        refresh_token: await refreshToken(),
      }),
    });
    assert.equal(otherRegistry.status, 401);
    assert.deepEqual(await otherRegistry.json(), {
      errors: [
        { code: "UNAUTHORIZED", message: "the service other.example:443 is not this registry", detail: null },
      ],
    });

    const noToken = await fetch(`${azure.endpoints.acrUrl}/v2/`);
    assert.equal(noToken.status, 401);
    assert.equal(
      noToken.headers.get("www-authenticate"),
      `Bearer realm="${azure.endpoints.acrUrl}/oauth2/token",service="${azure.endpoints.acrLoginServer}"`,
    );

    const client = new ContainerRegistryClient(azure.endpoints.acrUrl, credential("wrong"));
    await assert.rejects(client.listRepositoryNames().next(), {
      message: /AADSTS7000215: Invalid client secret provided/,
    });
  });

  test("docker login with an ACR refresh token, push and pull by digest through the token flow", {
    timeout: 180_000,
  }, async (t) => {
    // An engine of this test's own: one shared with other test files could be stopped under it.
    const engine = await ensureDockerEngine({
      home,
      env: {},
      defaultSocket: join(home, "no-system-engine.sock"),
    });
    t.after(() => engine.stop());
    const dockerConfig = await mkdtemp(join(tmpdir(), "cjh-docker-config-"));
    t.after(() => rm(dockerConfig, { recursive: true, force: true }));
    const env = { ...process.env, DOCKER_HOST: engine.dockerHost, DOCKER_CONFIG: dockerConfig };
    const docker = async (args: string[], input?: string): Promise<string> => {
      const child = execFileAsync("docker", args, { env });
      if (input !== undefined) child.child.stdin?.end(input);
      return (await child).stdout.trim();
    };
    const image = `${azure.endpoints.acrLoginServer}/cloudjobhunt/pause-test:1`;
    await ensurePauseImage(engine.dockerHost);
    await docker(["tag", "cloudjobhunt/pause:1", image]);

    await assert.rejects(
      docker(["login", azure.endpoints.acrLoginServer, "-u", refreshTokenUser, "--password-stdin"], "wrong"),
      { stderr: /unauthorized|401/i },
    );
    await docker(
      ["login", azure.endpoints.acrLoginServer, "-u", refreshTokenUser, "--password-stdin"],
      await refreshToken(),
    );
    await docker(["push", image]);
    const digest = await docker(["inspect", "--format", "{{index .RepoDigests 0}}", image]);
    assert.match(digest, /@sha256:[0-9a-f]{64}$/);
    await docker(["rmi", image]);
    await docker(["pull", digest]);
    assert.equal(await docker(["image", "inspect", "--format", "{{index .RepoDigests 0}}", digest]), digest);
  });
});
