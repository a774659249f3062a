// The ACR token exchange against the local platform's AAD and ACR stand-ins, over HTTPS with azure.env's
// values only: each credential kind the pipeline uses gets a refresh token; failures are named.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import tls from "node:tls";
import type { TokenCredential } from "@azure/identity";
import { type RunningPlatform, startPlatform } from "../../../local/platform/start-platform.ts";
import { acrRefreshToken } from "./acr-exchange.ts";
import { azureCredential, azureCredentialOptions } from "./credential.ts";

describe("acrRefreshToken", { timeout: 120_000 }, () => {
  const stateDir = mkdtempSync(join(tmpdir(), "cjh-acr-exchange-"));
  let platform: RunningPlatform;
  let env: Record<string, string>;

  before(async () => {
    platform = await startPlatform({ stateDir, components: ["azure"] });
    env = Object.fromEntries(
      readFileSync(join(stateDir, "azure", "azure.env"), "utf8")
        .split("\n")
        .filter((line) => line.includes("="))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    // What NODE_EXTRA_CA_CERTS=<state>/tls/ca.crt does for a CLI run, for this process.
    const ca = readFileSync(env.NODE_EXTRA_CA_CERTS ?? "", "utf8");
    tls.setDefaultCACertificates([...tls.getCACertificates("default"), ca]);
  });
  after(async () => {
    await platform?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const credentialFor = (variables: Record<string, string | undefined>): TokenCredential => {
    const choice = azureCredentialOptions(variables);
    if (!choice.ok) throw new Error(JSON.stringify(choice.problems));
    return azureCredential(choice.options);
  };

  test("a client secret and a federated token file each get an ACR refresh token", async () => {
    const loginServer = env.ACR_LOGIN_SERVER ?? "";
    const { AZURE_FEDERATED_TOKEN_FILE: _file, ...secretOnly } = env;
    const { AZURE_CLIENT_SECRET: _secret, ...federatedOnly } = env;
    for (const variables of [secretOnly, federatedOnly]) {
      const token = await acrRefreshToken(loginServer, credentialFor(variables), {
        tenantId: env.AZURE_TENANT_ID ?? "",
      });
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    }
  });

  test("a token ACR does not accept, and a login server that does not answer, are named", async () => {
    const loginServer = env.ACR_LOGIN_SERVER ?? "";
    // An Entra token for the wrong audience (Microsoft Graph): well-formed, and refused by ACR.
    const graphOnly: TokenCredential = {
      getToken: async () => credentialFor(env).getToken("https://graph.microsoft.com/.default"),
    };
    await assert.rejects(acrRefreshToken(loginServer, graphOnly), {
      name: "AcrLoginError",
      message: `ACR ${loginServer} refused the Azure AD token (HTTP 401): the AAD access token is invalid`,
    });
    await assert.rejects(acrRefreshToken("127.0.0.1:9", credentialFor(env)), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /^ACR login server 127\.0\.0\.1:9 cannot be reached: /);
      return true;
    });
  });
});
