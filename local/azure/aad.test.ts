import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ClientSecretCredential, WorkloadIdentityCredential } from "@azure/identity";
import { trustLocalCaInThisProcess } from "../tls/local-ca.ts";
import { type AzureStandIns, startAzureStandIns } from "./azure-stand-ins.ts";
import { freeStandInPorts } from "./endpoints.ts";

describe("AAD stand-in with @azure/identity", () => {
  let home = "";
  let azure: AzureStandIns;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "cjh-aad-"));
    azure = await startAzureStandIns({
      home,
      ports: await freeStandInPorts(),
      kubeconfig: async () => "",
      registryStorageRoot: join(home, "registry"),
    });
    await trustLocalCaInThisProcess(home);
  });
  after(async () => {
    await azure.stop();
    await rm(home, { recursive: true, force: true });
  });

  const scope = () => `${azure.endpoints.armUrl}/.default`;

  // Instance discovery always asks the public cloud's host, whatever the authority: a stand-in authority
  // needs disableInstanceDiscovery, like every custom authority (Azure Stack).
  test("ClientSecretCredential gets a token for the requested resource", async () => {
    const { tenantId, clientId, clientSecret } = azure.credentials;
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, {
      authorityHost: azure.endpoints.aadUrl,
      disableInstanceDiscovery: true,
    });
    const token = await credential.getToken(scope());
    const claims = JSON.parse(Buffer.from(token.token.split(".")[1] ?? "", "base64url").toString("utf8"));
    assert.equal(claims.aud, azure.endpoints.armUrl);
    assert.equal(claims.appid, clientId);
    assert.ok(token.expiresOnTimestamp > Date.now());
  });

  test("a wrong client secret gets AAD's invalid_client error (AADSTS7000215)", async () => {
    const { tenantId, clientId } = azure.credentials;
    const credential = new ClientSecretCredential(tenantId, clientId, "not-the-secret", {
      authorityHost: azure.endpoints.aadUrl,
      disableInstanceDiscovery: true,
    });
    await assert.rejects(credential.getToken(scope()), {
      name: "AuthenticationRequiredError",
      message: /^invalid_client: .*AADSTS7000215: Invalid client secret provided\./,
    });
    const answer = await fetch(`${azure.endpoints.aadUrl}/${tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: "wrong",
        scope: scope(),
      }),
    });
    assert.equal(answer.status, 401);
    const body = await answer.json();
    assert.equal(body.error, "invalid_client");
    assert.match(body.error_description, /^AADSTS7000215: Invalid client secret provided\./);
    assert.deepEqual(body.error_codes, [7000215]);
  });

  test("an unknown application gets AADSTS700016", async () => {
    const credential = new ClientSecretCredential(azure.credentials.tenantId, crypto.randomUUID(), "secret", {
      authorityHost: azure.endpoints.aadUrl,
      disableInstanceDiscovery: true,
    });
    await assert.rejects(credential.getToken(scope()), {
      message: /^unauthorized_client: .*AADSTS700016: Application with identifier '/,
    });
  });

  test("WorkloadIdentityCredential exchanges the federated token file; an untrusted subject gets AADSTS70021", async () => {
    const { tenantId, clientId } = azure.credentials;
    const tokenFilePath = join(home, "federated-token");
    await writeFile(tokenFilePath, await azure.issueFederatedToken());
    const options = {
      tenantId,
      clientId,
      tokenFilePath,
      authorityHost: azure.endpoints.aadUrl,
      disableInstanceDiscovery: true,
    };
    const token = await new WorkloadIdentityCredential(options).getToken(scope());
    assert.ok(token.token.split(".").length === 3);

    const otherFile = join(home, "other-token");
    await writeFile(otherFile, await azure.issueFederatedToken("system:serviceaccount:other:intruder"));
    await assert.rejects(
      new WorkloadIdentityCredential({ ...options, tokenFilePath: otherFile }).getToken(scope()),
      {
        message: /^invalid_request: .*AADSTS70021: No matching federated identity record found/,
      },
    );
  });
});
