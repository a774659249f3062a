import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { azureCredentialOptions } from "./credential.ts";

const ids = { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c" };

describe("azureCredentialOptions", () => {
  test("picks client secret, then federated token file, then GitHub OIDC, then the Azure CLI", () => {
    const kind = (env: Record<string, string>) => {
      const choice = azureCredentialOptions(env);
      return choice.ok ? choice.options.kind : choice.problems;
    };
    const all = {
      ...ids,
      AZURE_CLIENT_SECRET: "s",
      AZURE_FEDERATED_TOKEN_FILE: "/f",
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://u",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "r",
    };
    assert.equal(kind(all), "client-secret");
    assert.equal(kind({ ...all, AZURE_CLIENT_SECRET: "" }), "federated-token-file");
    assert.equal(
      kind({ ...ids, ACTIONS_ID_TOKEN_REQUEST_URL: "https://u", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "r" }),
      "github-oidc",
    );
    assert.equal(kind({}), "azure-cli");
  });

  test("keeps the authority host and names each missing variable", () => {
    assert.deepEqual(
      azureCredentialOptions({ ...ids, AZURE_CLIENT_SECRET: "s", AZURE_AUTHORITY_HOST: "https://aad" }),
      {
        ok: true,
        options: {
          kind: "client-secret",
          tenantId: "t",
          clientId: "c",
          authorityHost: "https://aad",
          clientSecret: "s",
        },
      },
    );
    assert.deepEqual(azureCredentialOptions({ ACTIONS_ID_TOKEN_REQUEST_URL: "https://u" }), {
      ok: false,
      problems: [
        { file: "environment AZURE_TENANT_ID", message: "is required for the github-oidc Azure credential" },
        { file: "environment AZURE_CLIENT_ID", message: "is required for the github-oidc Azure credential" },
        {
          file: "environment ACTIONS_ID_TOKEN_REQUEST_TOKEN",
          message: "is required for the github-oidc Azure credential",
        },
      ],
    });
  });
});
