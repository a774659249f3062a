// Registry credentials (basic ones as given; for ACR an Entra token exchanged for an ACR refresh token),
// handed to `docker login --password-stdin` on its standard input, never in argv.
import { acrRefreshToken, acrTokenUser } from "../../lib/azure/acr-exchange.ts";
import { azureCredential } from "../../lib/azure/credential.ts";
import type { RegistryAuth } from "../context.ts";
import { type Commands, StageFailure } from "../docker/commands.ts";
import type { RegistryCredentials } from "../registry/manifest-digest.ts";

export async function registryCredentials(
  registry: string,
  auth: RegistryAuth,
  secret: (value: string) => void,
): Promise<RegistryCredentials> {
  if (auth.kind === "basic") return { username: auth.username, password: auth.password };
  const tenantId = "tenantId" in auth.credential ? auth.credential.tenantId : undefined;
  const refreshToken = await acrRefreshToken(registry, azureCredential(auth.credential), {
    ...(tenantId ? { tenantId } : {}),
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StageFailure(
      "login",
      `ACR login with the ${auth.credential.kind} credential failed: ${reason}`,
    );
  });
  secret(refreshToken);
  return { username: acrTokenUser, password: refreshToken };
}

export async function dockerLogin(
  run: Commands,
  registry: string,
  credentials: RegistryCredentials,
): Promise<void> {
  await run.docker(
    "login",
    `docker login ${registry}`,
    ["login", registry, "--username", credentials.username, "--password-stdin"],
    { input: credentials.password },
  );
}
