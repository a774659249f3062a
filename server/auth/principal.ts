/** The caller behind a bearer token. */
export interface Principal {
  userId: number;
  tokenId: number;
  scopes: readonly string[];
}

export const ADMIN_SCOPE = "admin";
