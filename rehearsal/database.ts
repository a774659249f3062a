// The platform's PostgreSQL (its `database` component, local/README.md): how pods reach it (the keys of the
// Secret `cloudjobhunt-db` the local overlay reads) and how this machine reaches it (for the API's token CLI).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

export interface PlatformDatabase {
  /** DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, DB_SSLMODE as pods use them. */
  readonly forPods: Readonly<Record<string, string>>;
  /** A postgres:// URL for a client on this machine. */
  readonly forHost: string;
}

const podKeys = ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_SSLMODE"] as const;

export function readDatabase(platformHome: string): PlatformDatabase {
  const path = join(platformHome, "database", "database.env");
  const values = parseEnv(readFileSync(path, "utf8"));
  const forPods: Record<string, string> = {};
  for (const key of podKeys) {
    const value = values[key];
    if (value === undefined) throw new Error(`${key} is missing from ${path}`);
    forPods[key] = value;
  }
  const forHost = values.DATABASE_URL;
  if (forHost === undefined) throw new Error(`DATABASE_URL is missing from ${path}`);
  return { forPods, forHost };
}
