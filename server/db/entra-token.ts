// Azure Database for PostgreSQL with Microsoft Entra ID authentication takes an access token for this scope
// as the password (https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-configure-sign-in-azure-ad-authentication).
// A token lasts about an hour and the server checks it only when a connection logs in, so each new connection
// needs one that is still valid: postgres.js calls an async `password` function for every connection.
import type { AccessToken, TokenCredential } from "@azure/identity";

export const POSTGRES_ENTRA_SCOPE = "https://ossrdbms-aad.database.windows.net/.default";

export interface EntraPasswordOptions {
  /** Fetch a new token when the cached one has less than this left (default 5 minutes). */
  refreshMarginMs?: number;
  now?: () => number;
}

/**
 * A postgres.js password function: the cached token while it has more than the margin left (or until Entra's
 * own refresh hint), a new one otherwise. Connections opened together share one request.
 */
export function entraPassword(
  credential: TokenCredential,
  { refreshMarginMs = 5 * 60_000, now = Date.now }: EntraPasswordOptions = {},
): () => Promise<string> {
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  const fresh = (token: AccessToken) =>
    now() < token.expiresOnTimestamp - refreshMarginMs &&
    (token.refreshAfterTimestamp === undefined || now() < token.refreshAfterTimestamp);
  const fetchToken = async () => {
    const token = await credential.getToken(POSTGRES_ENTRA_SCOPE);
    if (!token) throw new Error(`Microsoft Entra ID returned no token for ${POSTGRES_ENTRA_SCOPE}`);
    return token;
  };
  return async () => {
    if (cached && fresh(cached)) return cached.token;
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached.token;
  };
}
