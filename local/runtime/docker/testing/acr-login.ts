// Test support: what `az acr login` does, against the platform's stand-ins: an AAD access token for the
// service principal (client credentials), exchanged at the ACR login server for a refresh token, which the
// engine then uses as the password of the all-zero user for pushes (the registry's Bearer flow).
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { caCertPath } from "../../../tls/local-ca.ts";

function postForm(url: string, form: Record<string, string>, ca: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const req = request(
      url,
      { method: "POST", ca, headers: { "content-type": "application/x-www-form-urlencoded" } },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as Record<string, unknown>);
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export interface AcrLogin {
  loginServer: string;
  username: string;
  password: string;
}

export async function acrLogin(home: string): Promise<AcrLogin> {
  const ca = readFileSync(caCertPath(home), "utf8");
  const settings = Object.fromEntries(
    readFileSync(join(home, "azure", "azure.env"), "utf8")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  ) as Record<string, string>;
  const setting = (name: string) => {
    const value = settings[name];
    if (!value) throw new Error(`azure.env has no ${name}`);
    return value;
  };
  const loginServer = setting("ACR_LOGIN_SERVER");
  const aad = await postForm(
    `${setting("AZURE_AUTHORITY_HOST")}/${setting("AZURE_TENANT_ID")}/oauth2/v2.0/token`,
    {
      grant_type: "client_credentials",
      client_id: setting("AZURE_CLIENT_ID"),
      client_secret: setting("AZURE_CLIENT_SECRET"),
      scope: "https://containerregistry.azure.net/.default",
    },
    ca,
  );
  const exchanged = await postForm(
    `https://${loginServer}/oauth2/exchange`,
    { grant_type: "access_token", service: loginServer, access_token: String(aad.access_token) },
    ca,
  );
  return {
    loginServer,
    username: "00000000-0000-0000-0000-000000000000",
    password: String(exchanged.refresh_token),
  };
}
