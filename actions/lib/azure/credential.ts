// Which Azure identity a pipeline step runs as, from the environment only (never flags), and the
// @azure/identity credential for it. One is chosen, in this order, so a failure names the one that failed:
//   client-secret         AZURE_CLIENT_SECRET (service principal; what azure.env of the local platform gives)
//   federated-token-file  AZURE_FEDERATED_TOKEN_FILE (workload identity, e.g. a Jenkins agent pod on AKS)
//   github-oidc           ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN (GitHub OIDC, `permissions: id-token: write`)
//   azure-cli             none of the above: the signed-in `az` (a laptop)
// AZURE_AUTHORITY_HOST points at another Entra authority (a sovereign cloud, or the local stand-in).
// https://learn.microsoft.com/javascript/api/@azure/identity/environmentcredential
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientSecretCredential,
  type TokenCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import type { Env } from "../entry/definition.ts";
import type { Problem } from "../report/problem.ts";

interface Authority {
  readonly tenantId: string;
  readonly clientId: string;
  readonly authorityHost?: string;
}

export type AzureCredentialOptions =
  | ({ readonly kind: "client-secret"; readonly clientSecret: string } & Authority)
  | ({ readonly kind: "federated-token-file"; readonly tokenFilePath: string } & Authority)
  | ({ readonly kind: "github-oidc"; readonly requestUrl: string; readonly requestToken: string } & Authority)
  | { readonly kind: "azure-cli"; readonly tenantId?: string };

export type AzureCredentialKind = AzureCredentialOptions["kind"];

/** Environment variables whose values are secrets (for ActionDefinition.secretEnv). */
export const azureSecretEnv = ["AZURE_CLIENT_SECRET", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"] as const;

/** GitHub's audience for tokens exchanged with Entra (azure/login uses the same). */
const githubOidcAudience = "api://AzureADTokenExchange";

export type CredentialChoice =
  | { readonly ok: true; readonly options: AzureCredentialOptions }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function azureCredentialOptions(env: Env): CredentialChoice {
  const value = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : env[name]);
  const kind: AzureCredentialKind = value("AZURE_CLIENT_SECRET")
    ? "client-secret"
    : value("AZURE_FEDERATED_TOKEN_FILE")
      ? "federated-token-file"
      : value("ACTIONS_ID_TOKEN_REQUEST_URL")
        ? "github-oidc"
        : "azure-cli";
  const tenantId = value("AZURE_TENANT_ID");
  if (kind === "azure-cli") return { ok: true, options: { kind, ...(tenantId ? { tenantId } : {}) } };
  const problems: Problem[] = [];
  const need = (name: string): string => {
    const found = value(name);
    if (found === undefined)
      problems.push({ file: `environment ${name}`, message: `is required for the ${kind} Azure credential` });
    return found ?? "";
  };
  const authority: Authority = {
    tenantId: need("AZURE_TENANT_ID"),
    clientId: need("AZURE_CLIENT_ID"),
    ...(value("AZURE_AUTHORITY_HOST") ? { authorityHost: value("AZURE_AUTHORITY_HOST") } : {}),
  };
  const options: AzureCredentialOptions =
    kind === "client-secret"
      ? { kind, ...authority, clientSecret: need("AZURE_CLIENT_SECRET") }
      : kind === "federated-token-file"
        ? { kind, ...authority, tokenFilePath: need("AZURE_FEDERATED_TOKEN_FILE") }
        : {
            kind,
            ...authority,
            requestUrl: need("ACTIONS_ID_TOKEN_REQUEST_URL"),
            requestToken: need("ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
          };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, options };
}

/** GitHub's OIDC token for Entra: GET the runner's request URL with its bearer token. */
async function githubOidcToken(requestUrl: string, requestToken: string): Promise<string> {
  const url = new URL(requestUrl);
  url.searchParams.set("audience", githubOidcAudience);
  const response = await fetch(url, { headers: { authorization: `bearer ${requestToken}` } });
  const body = (await response.json().catch(() => ({}))) as { value?: unknown };
  if (!response.ok || typeof body.value !== "string")
    throw new Error(`GitHub's OIDC token endpoint answered HTTP ${response.status} without a token`);
  return body.value;
}

export function azureCredential(options: AzureCredentialOptions): TokenCredential {
  if (options.kind === "azure-cli")
    return new AzureCliCredential(options.tenantId ? { tenantId: options.tenantId } : {});
  // A non-default authority (the local stand-in, a sovereign cloud) cannot answer public instance discovery.
  const authority = options.authorityHost
    ? { authorityHost: options.authorityHost, disableInstanceDiscovery: true }
    : {};
  switch (options.kind) {
    case "client-secret":
      return new ClientSecretCredential(options.tenantId, options.clientId, options.clientSecret, authority);
    case "federated-token-file":
      return new WorkloadIdentityCredential({
        tenantId: options.tenantId,
        clientId: options.clientId,
        tokenFilePath: options.tokenFilePath,
        ...authority,
      });
    case "github-oidc":
      return new ClientAssertionCredential(
        options.tenantId,
        options.clientId,
        () => githubOidcToken(options.requestUrl, options.requestToken),
        authority,
      );
  }
}
