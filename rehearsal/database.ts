// The platform's PostgreSQL (`platform up --database`, local/database/README.md): the keys of the Secret
// `cloudjobhunt-db` the local overlay reads (what pods use), and the settings a client on this machine uses
// (the API's token CLI), verifying the server's certificate against the platform CA.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

export interface PlatformDatabase {
  /** DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, DB_SSLMODE as pods use them. */
  readonly forPods: Readonly<Record<string, string>>;
  /** The API's DB_* variables (and the CA to trust) for a client on this machine. */
  readonly forHost: Readonly<Record<string, string>>;
}

const podKeys = ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_SSLMODE"] as const;

interface DatabaseJson {
  readonly loopbackHost: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly caFile: string;
}

export function readDatabase(platformHome: string): PlatformDatabase {
  const dir = join(platformHome, "database");
  const envFile = join(dir, "database.env");
  const values = parseEnv(readFileSync(envFile, "utf8"));
  const forPods: Record<string, string> = {};
  for (const key of podKeys) {
    const value = values[key];
    if (value === undefined) throw new Error(`${key} is missing from ${envFile}`);
    forPods[key] = value;
  }
  const endpoint = JSON.parse(readFileSync(join(dir, "database.json"), "utf8")) as DatabaseJson;
  return {
    forPods,
    forHost: {
      DB_HOST: endpoint.loopbackHost,
      DB_PORT: String(endpoint.port),
      DB_NAME: endpoint.database,
      DB_USER: endpoint.user,
      DB_PASSWORD: forPods.DB_PASSWORD ?? "",
      DB_SSL: "verify-full",
      NODE_EXTRA_CA_CERTS: endpoint.caFile,
    },
  };
}
