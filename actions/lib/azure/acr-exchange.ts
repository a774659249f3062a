// `az acr login` without az: an Entra access token for ACR, exchanged at the registry's login server for an
// ACR refresh token, which docker then uses as the password of the all-zero user.
// https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md
import type { TokenCredential } from "@azure/identity";

/** ACR's Entra resource; the exchange also accepts ARM's, but this one asks for no more than the registry. */
export const acrScope = "https://containerregistry.azure.net/.default";
/** The user name docker logs in with when the password is an ACR refresh token. */
export const acrTokenUser = "00000000-0000-0000-0000-000000000000";

export class AcrLoginError extends Error {
  override name = "AcrLoginError";
}

function message(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
}

export async function acrRefreshToken(
  loginServer: string,
  credential: TokenCredential,
  options: { readonly tenantId?: string; readonly signal?: AbortSignal } = {},
): Promise<string> {
  const aad = await credential.getToken(acrScope, { abortSignal: options.signal }).catch((error: unknown) => {
    throw new AcrLoginError(`Azure AD gave no token for ACR: ${message(error)}`);
  });
  if (!aad) throw new AcrLoginError("Azure AD gave no token for ACR");
  const form = new URLSearchParams({
    grant_type: "access_token",
    service: loginServer,
    access_token: aad.token,
    ...(options.tenantId ? { tenant: options.tenantId } : {}),
  });
  const response = await fetch(`https://${loginServer}/oauth2/exchange`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    ...(options.signal ? { signal: options.signal } : {}),
  }).catch((error: unknown) => {
    throw new AcrLoginError(`ACR login server ${loginServer} cannot be reached: ${message(error)}`);
  });
  const text = await response.text();
  if (!response.ok) {
    const said = /"message"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? text.slice(0, 200);
    throw new AcrLoginError(
      `ACR ${loginServer} refused the Azure AD token (HTTP ${response.status}): ${said}`,
    );
  }
  const token = (JSON.parse(text) as { refresh_token?: unknown }).refresh_token;
  if (typeof token !== "string" || token === "")
    throw new AcrLoginError(`ACR ${loginServer} answered the exchange without a refresh token`);
  return token;
}
