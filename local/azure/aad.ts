// Microsoft Entra ID (AAD) stand-in: the endpoints @azure/identity (MSAL) calls for client credentials
// with a secret or with a federated assertion (WorkloadIdentityCredential), and the same error answers.
// It also stands for the OIDC issuer a federated credential trusts (the AKS cluster's or the CI's), so a
// test or the platform can mint the token file workload identity reads.

import { timingSafeEqual } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendJson } from "../common/json-body.ts";
import type { StandInCredentials } from "./credentials.ts";
import { type Handler, readForm } from "./https-server.ts";
import type { TokenSigner } from "./token-signer.ts";

export const federatedAudience = "api://AzureADTokenExchange";
const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface AadContext {
  /** This stand-in's authority host, e.g. https://127.0.0.1:9443 (AZURE_AUTHORITY_HOST). */
  baseUrl: string;
  credentials: StandInCredentials;
  signer: TokenSigner;
}

/** Issuer of the tokens this stand-in mints for a tenant (v2.0 endpoint). */
export function aadIssuer(baseUrl: string, tenantId: string): string {
  return `${baseUrl}/${tenantId}/v2.0`;
}

/** The OIDC issuer whose tokens the service principal's federated credential trusts. */
export function federatedIssuer(baseUrl: string): string {
  return `${baseUrl}/oidc`;
}

/** A token as the trusted OIDC issuer would hand a workload (the file AZURE_FEDERATED_TOKEN_FILE names). */
export function issueFederatedToken(
  context: AadContext,
  subject: string,
  lifetimeSeconds = 3600,
): Promise<string> {
  return context.signer.sign(
    {},
    { issuer: federatedIssuer(context.baseUrl), audience: federatedAudience, subject, lifetimeSeconds },
  );
}

function sameSecret(given: string, expected: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

function aadError(
  res: ServerResponse,
  status: number,
  error: string,
  code: string,
  description: string,
): void {
  const now = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  sendJson(res, status, {
    error,
    error_description: `${code}: ${description} Trace ID: ${crypto.randomUUID()} Correlation ID: ${crypto.randomUUID()} Timestamp: ${now}`,
    error_codes: [Number.parseInt(code.replace("AADSTS", ""), 10)],
    timestamp: now,
    trace_id: crypto.randomUUID(),
    correlation_id: crypto.randomUUID(),
  });
}

function openIdConfiguration(baseUrl: string, tenant: string): Record<string, unknown> {
  const tenantUrl = `${baseUrl}/${tenant}`;
  return {
    token_endpoint: `${tenantUrl}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${tenantUrl}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["ES256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: aadIssuer(baseUrl, tenant),
    request_uri_parameter_supported: false,
    authorization_endpoint: `${tenantUrl}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${tenantUrl}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${tenantUrl}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: null,
    cloud_instance_name: new URL(baseUrl).host,
  };
}

export function aadHandler(context: AadContext): Handler {
  const { baseUrl, credentials, signer } = context;
  return async (req, res, url) => {
    const [tenant, ...rest] = url.pathname.split("/").filter(Boolean);
    const route = rest.join("/");
    if (req.method === "GET" && tenant === "oidc" && route === ".well-known/openid-configuration") {
      return sendJson(res, 200, {
        issuer: federatedIssuer(baseUrl),
        jwks_uri: `${baseUrl}/oidc/keys`,
        id_token_signing_alg_values_supported: ["ES256"],
        response_types_supported: ["id_token"],
        subject_types_supported: ["public"],
      });
    }
    if (req.method === "GET" && tenant === "oidc" && route === "keys")
      return sendJson(res, 200, await signer.jwks());
    if (!tenant || (tenant !== credentials.tenantId && tenant !== "organizations" && tenant !== "common")) {
      return aadError(
        res,
        400,
        "invalid_request",
        "AADSTS90002",
        `Tenant '${tenant ?? ""}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    if (req.method === "GET" && route === "v2.0/.well-known/openid-configuration") {
      return sendJson(res, 200, openIdConfiguration(baseUrl, credentials.tenantId));
    }
    if (req.method === "GET" && route === "discovery/v2.0/keys")
      return sendJson(res, 200, await signer.jwks());
    if (req.method === "POST" && route === "oauth2/v2.0/token")
      return token(context, await readForm(req), res);
    sendJson(res, 404, {
      error: "not_found",
      error_description: `no such endpoint: ${req.method} ${url.pathname}`,
    });
  };
}

async function token(context: AadContext, form: URLSearchParams, res: ServerResponse): Promise<void> {
  const { credentials, signer, baseUrl } = context;
  if (form.get("grant_type") !== "client_credentials") {
    return aadError(
      res,
      400,
      "unsupported_grant_type",
      "AADSTS70003",
      "The app requested an unsupported grant type.",
    );
  }
  const clientId = form.get("client_id") ?? "";
  if (clientId !== credentials.clientId) {
    return aadError(
      res,
      400,
      "unauthorized_client",
      "AADSTS700016",
      `Application with identifier '${clientId}' was not found in the directory '${credentials.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const secret = form.get("client_secret");
  const assertion = form.get("client_assertion");
  if (secret !== null) {
    if (!sameSecret(secret, credentials.clientSecret)) {
      return aadError(
        res,
        401,
        "invalid_client",
        "AADSTS7000215",
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
  } else if (assertion !== null && form.get("client_assertion_type") === assertionType) {
    const subject = await signer
      .verify(assertion, federatedIssuer(baseUrl), federatedAudience)
      .then((claims) => claims.sub)
      .catch(() => undefined);
    if (subject !== credentials.federatedSubject) {
      return aadError(
        res,
        400,
        "invalid_request",
        "AADSTS70021",
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${federatedIssuer(baseUrl)}'. Assertion Subject: '${subject ?? "(unverified)"}'. Assertion Audience: '${federatedAudience}'.`,
      );
    }
  } else {
    return aadError(
      res,
      401,
      "invalid_client",
      "AADSTS7000216",
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    );
  }
  const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
  const [scope] = scopes;
  if (scopes.length !== 1 || !scope?.endsWith("/.default")) {
    return aadError(
      res,
      400,
      "invalid_scope",
      "AADSTS1002012",
      `The provided value for scope ${form.get("scope") ?? ""} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const lifetimeSeconds = 3599;
  const accessToken = await signer.sign(
    {
      tid: credentials.tenantId,
      oid: credentials.servicePrincipalObjectId,
      appid: clientId,
      azp: clientId,
      idtyp: "app",
      ver: "2.0",
    },
    {
      issuer: aadIssuer(baseUrl, credentials.tenantId),
      audience: scope.slice(0, -"/.default".length),
      subject: credentials.servicePrincipalObjectId,
      lifetimeSeconds,
    },
  );
  sendJson(res, 200, {
    token_type: "Bearer",
    expires_in: lifetimeSeconds,
    ext_expires_in: lifetimeSeconds,
    access_token: accessToken,
  });
}
