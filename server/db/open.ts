import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import type { Config } from "../config/env.ts";
import { runningEmbeddedUrl, startEmbeddedPostgres } from "./embedded.ts";
import { entraPassword } from "./entra-token.ts";
import { createSql, type Sql } from "./pool.ts";

const EMBEDDED_DATABASE = "cloudjobhunt";

export interface OpenDatabase {
  sql: Sql;
  applicationName: string;
  /** Closes the pool, then stops the embedded PostgreSQL if this process started one. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Use the embedded server a running `npm start` already has (command-line tools). */
  shareRunningEmbedded?: boolean;
  /**
   * Who logs in when the configuration says DB_AUTH=entra; by default DefaultAzureCredential, which finds
   * workload identity's AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE in a pod, `az login`
   * on a workstation.
   */
  credential?: TokenCredential;
}

/** Connects to the configured PostgreSQL, or starts the embedded one when none is configured. */
export async function openDatabase(
  config: Pick<Config, "database" | "dbPoolMax" | "dbSsl">,
  log: (line: string) => void,
  { shareRunningEmbedded = false, credential }: OpenOptions = {},
): Promise<OpenDatabase> {
  const applicationName = `cloudjobhunt-api:${process.pid}`;
  const pool = { max: config.dbPoolMax, ssl: config.dbSsl, applicationName };
  if (config.database.kind !== "embedded") {
    const entra =
      config.database.kind === "parts" && config.database.auth.kind === "entra"
        ? { entraPassword: entraPassword(credential ?? new DefaultAzureCredential()) }
        : {};
    const sql = createSql(config.database, { ...pool, ...entra });
    return { sql, applicationName, close: () => sql.end({ timeout: 5 }) };
  }
  const running = shareRunningEmbedded
    ? await runningEmbeddedUrl(config.database.dataDir, EMBEDDED_DATABASE)
    : undefined;
  if (running !== undefined) {
    const sql = createSql({ kind: "url", url: running }, { ...pool, ssl: "disable" });
    return { sql, applicationName, close: () => sql.end({ timeout: 5 }) };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.database.dataDir,
    port: config.database.port,
    database: EMBEDDED_DATABASE,
    log,
  });
  const sql = createSql({ kind: "url", url: embedded.url }, { ...pool, ssl: "disable" });
  return {
    sql,
    applicationName,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.stop();
    },
  };
}
