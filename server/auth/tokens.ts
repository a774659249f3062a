import { createHash, randomBytes } from "node:crypto";
import type { Sql } from "../db/pool.ts";
import type { Principal } from "./principal.ts";

const PREFIX = "cjh_";

/** A new random bearer token; only its hash is ever stored. */
export function generateToken(): string {
  return PREFIX + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

export interface CreatedToken {
  token: string;
  userId: number;
  tokenId: number;
}

/** Creates the user if needed and a token for them; the token text is returned once and not kept. */
export async function createToken(
  sql: Sql,
  input: { userName: string; scopes: string[]; label?: string },
): Promise<CreatedToken> {
  const token = generateToken();
  return sql.begin(async (tx) => {
    const [user] = await tx<{ id: number }[]>`
      insert into users (name) values (${input.userName})
      on conflict (name) do update set name = excluded.name
      returning id`;
    if (!user) throw new Error("user upsert returned no row");
    const [row] = await tx<{ id: number }[]>`
      insert into api_tokens (user_id, token_hash, scopes, label)
      values (${user.id}, ${hashToken(token)}, ${tx.array(input.scopes)}, ${input.label ?? ""})
      returning id`;
    if (!row) throw new Error("token insert returned no row");
    return { token, userId: user.id, tokenId: row.id };
  });
}

export async function findPrincipal(sql: Sql, token: string): Promise<Principal | undefined> {
  const [row] = await sql<{ tokenId: number; userId: number; scopes: string[] }[]>`
    select id as "tokenId", user_id as "userId", scopes from api_tokens
    where token_hash = ${hashToken(token)} and revoked_at is null`;
  return row;
}
