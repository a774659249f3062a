import type { Config } from "../config/env.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { createSql, type Sql } from "./pool.ts";

export interface OpenDatabase {
  sql: Sql;
  applicationName: string;
  /** Closes the pool, then stops the embedded PostgreSQL if this process started one. */
  close(): Promise<void>;
}

/** Connects to the configured PostgreSQL, or starts the embedded one when none is configured. */
export async function openDatabase(
  config: Pick<Config, "database" | "dbPoolMax" | "dbSsl">,
  log: (line: string) => void,
): Promise<OpenDatabase> {
  const applicationName = `cloudjobhunt-api:${process.pid}`;
  const options = { max: config.dbPoolMax, ssl: config.dbSsl, applicationName };
  if (config.database.kind !== "embedded") {
    const sql = createSql(config.database, options);
    return { sql, applicationName, close: () => sql.end({ timeout: 5 }) };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.database.dataDir,
    port: config.database.port,
    database: "cloudjobhunt",
    log,
  });
  const sql = createSql({ kind: "url", url: embedded.url }, { ...options, ssl: "disable" });
  return {
    sql,
    applicationName,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.stop();
    },
  };
}
