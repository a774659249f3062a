// ACR's token service: AAD access token -> ACR refresh token (/oauth2/exchange), refresh token or basic
// credentials -> scoped access token (/oauth2/token). Access tokens are what distribution's token auth
// checks (issuer, audience = service, `access` claim), so the registry itself enforces every scope.

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JWTPayload } from "jose";
import { sendJson } from "../common/json-body.ts";
import { aadIssuer } from "./aad.ts";
import type { StandInCredentials } from "./credentials.ts";
import { basicCredentials, readForm } from "./https-server.ts";
import type { TokenSigner } from "./token-signer.ts";

/** The user name ACR expects with a refresh token as password (docker login after `az acr login`). */
export const refreshTokenUser = "00000000-0000-0000-0000-000000000000";
/** The `iss` of ACR's own tokens, which the registry's token auth is configured to trust. */
export const acrIssuer = "Azure Container Registry";

export interface AcrTokenContext {
  /** The login server's host:port, which is also the token `service` and audience. */
  service: string;
  aadBaseUrl: string;
  credentials: StandInCredentials;
  signer: TokenSigner;
}

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** "repository:team/app:pull,push" -> { type, name, actions }; several scopes are space separated. */
export function parseScopes(scopes: readonly string[]): Access[] {
  return scopes
    .flatMap((scope) => scope.split(" "))
    .filter(Boolean)
    .flatMap((scope) => {
      const first = scope.indexOf(":");
      const last = scope.lastIndexOf(":");
      if (first === -1 || last === first) return [];
      return [
        {
          type: scope.slice(0, first),
          name: scope.slice(first + 1, last),
          actions: scope.slice(last + 1).split(","),
        },
      ];
    });
}

/** ACR accepts AAD tokens for its own resource and for ARM's. */
function acrAudiences(service: string): string[] {
  return [
    `https://${service}`,
    "https://containerregistry.azure.net",
    "https://containerregistry.azure.net/",
    "https://management.azure.com",
    "https://management.azure.com/",
    "https://management.core.windows.net/",
  ];
}

export function acrUnauthorized(
  res: ServerResponse,
  message = "authentication required",
  headers: Record<string, string> = {},
): void {
  sendJson(res, 401, { errors: [{ code: "UNAUTHORIZED", message, detail: null }] }, headers);
}

function sameSecret(given: string, expected: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

export class AcrTokenService {
  constructor(private readonly context: AcrTokenContext) {}

  private refreshToken(subject: string): Promise<string> {
    const { service, signer, credentials } = this.context;
    return signer.sign(
      { grant_type: "refresh_token", tenant: credentials.tenantId, permissions: { actions: ["*"] } },
      { issuer: acrIssuer, audience: service, subject, lifetimeSeconds: 3 * 3600 },
    );
  }

  private accessToken(subject: string, access: Access[]): Promise<string> {
    const { service, signer } = this.context;
    return signer.sign({ access }, { issuer: acrIssuer, audience: service, subject, lifetimeSeconds: 3600 });
  }

  private async subjectOfRefreshToken(token: string): Promise<string | undefined> {
    const claims: JWTPayload | undefined = await this.context.signer
      .verify(token, acrIssuer, this.context.service)
      .catch(() => undefined);
    return claims?.grant_type === "refresh_token" ? claims.sub : undefined;
  }

  /** A user name and password as ACR takes them: refresh token, admin user, or service principal. */
  private async subjectOfPassword(username: string, password: string): Promise<string | undefined> {
    const { credentials } = this.context;
    if (username === refreshTokenUser) return this.subjectOfRefreshToken(password);
    if (username === credentials.adminUsername && sameSecret(password, credentials.adminPassword))
      return username;
    if (username === credentials.clientId && sameSecret(password, credentials.clientSecret))
      return credentials.servicePrincipalObjectId;
    return undefined;
  }

  /** Token requests name the registry they are for; an absent `service` means this one. */
  private isOurService(service: string | null): boolean {
    return service === null || service === this.context.service;
  }

  private otherService(service: string | null): string {
    return `the service ${service ?? ""} is not this registry`;
  }

  /** POST /oauth2/exchange */
  async exchange(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const { credentials, aadBaseUrl, service, signer } = this.context;
    if (form.get("grant_type") !== "access_token") {
      return sendJson(res, 400, {
        errors: [{ code: "UNSUPPORTED", message: "grant_type must be access_token" }],
      });
    }
    if (form.get("service") !== service)
      return acrUnauthorized(res, `the service ${form.get("service") ?? ""} is not this registry`);
    const claims = await signer
      .verify(
        form.get("access_token") ?? "",
        aadIssuer(aadBaseUrl, credentials.tenantId),
        acrAudiences(service),
      )
      .catch(() => undefined);
    if (!claims?.sub) return acrUnauthorized(res, "the AAD access token is invalid");
    sendJson(res, 200, { refresh_token: await this.refreshToken(claims.sub) });
  }

  /** POST /oauth2/token (refresh token or password grant) */
  async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    if (!this.isOurService(form.get("service")))
      return acrUnauthorized(res, this.otherService(form.get("service")));
    const grant = form.get("grant_type");
    const subject =
      grant === "refresh_token"
        ? await this.subjectOfRefreshToken(form.get("refresh_token") ?? "")
        : grant === "password"
          ? await this.subjectOfPassword(form.get("username") ?? "", form.get("password") ?? "")
          : undefined;
    if (!subject) return acrUnauthorized(res);
    const scopes = form.getAll("scope");
    sendJson(res, 200, { access_token: await this.accessToken(subject, parseScopes(scopes)) });
  }

  /** GET /oauth2/token with basic credentials (docker login, docker pull/push). */
  async basicToken(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!this.isOurService(url.searchParams.get("service"))) {
      return acrUnauthorized(res, this.otherService(url.searchParams.get("service")));
    }
    const basic = basicCredentials(req);
    const subject = basic ? await this.subjectOfPassword(basic.username, basic.password) : undefined;
    if (!subject) return acrUnauthorized(res);
    const accessToken = await this.accessToken(subject, parseScopes(url.searchParams.getAll("scope")));
    const refresh =
      url.searchParams.get("offline_token") === "true"
        ? { refresh_token: await this.refreshToken(subject) }
        : {};
    sendJson(res, 200, { access_token: accessToken, token: accessToken, ...refresh });
  }
}
