// The stand-ins' identities and secrets: generated on first start, kept in the platform's state folder
// (mode 0600), never printed and never committed. The pipeline under rehearsal reads them from the env file
// the Azure component writes, as it would read its secrets from CI.
import { randomBytes, randomUUID } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

const credentialsSchema = z.object({
  tenantId: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  clusterName: z.string(),
  registryName: z.string(),
  /** The pipeline's service principal (client credentials or workload identity). */
  clientId: z.string(),
  clientSecret: z.string(),
  servicePrincipalObjectId: z.string(),
  /** The subject a federated credential of that service principal trusts (workload identity). */
  federatedSubject: z.string(),
  /** ACR's admin user: what the platform's kubelet pulls with (AKS's kubelet identity stands behind it). */
  adminUsername: z.string(),
  adminPassword: z.string(),
});

export type StandInCredentials = z.infer<typeof credentialsSchema>;

export function azureDir(home: string): string {
  return join(home, "azure");
}

function secret(): string {
  return randomBytes(30).toString("base64url");
}

export async function loadOrCreateCredentials(home: string): Promise<StandInCredentials> {
  const path = join(azureDir(home), "credentials.json");
  const existing = await readFile(path, "utf8").catch(() => undefined);
  if (existing !== undefined) return credentialsSchema.parse(JSON.parse(existing));
  const credentials: StandInCredentials = {
    tenantId: randomUUID(),
    subscriptionId: randomUUID(),
    resourceGroup: "rg-cloudjobhunt-local",
    clusterName: "aks-cloudjobhunt-local",
    registryName: "acrcloudjobhuntlocal",
    clientId: randomUUID(),
    clientSecret: secret(),
    servicePrincipalObjectId: randomUUID(),
    federatedSubject: "system:serviceaccount:cloudjobhunt:deployer",
    adminUsername: "acrcloudjobhuntlocal",
    adminPassword: secret(),
  };
  await mkdir(azureDir(home), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return credentials;
}
