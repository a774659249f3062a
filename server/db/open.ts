import type { Config } from "../config/env.ts";
import { runningEmbeddedUrl, startEmbeddedPostgres } from "./embedded.ts";
import { createSql, type Sql } from "./pool.ts";

const EMBEDDED_DATABASE = "cloudjobhunt";

export interface OpenDatabase {
  sql: Sql;
  applicationName: string;
  /** Closes the pool, then stops the embedded PostgreSQL if this process started one. */
  close(): Promise<void>;
}

/**
 * Connects to the configured PostgreSQL, or starts the embedded one when none is configured. Command-line
 * tools pass shareRunningEmbedded to use the embedded server a running `npm start` already has.
 */
export async function openDatabase(
  config: Pick<Config, "database" | "dbPoolMax" | "dbSsl">,
  log: (line: string) => void,
  { shareRunningEmbedded = false }: { shareRunningEmbedded?: boolean } = {},
): Promise<OpenDatabase> {
  const applicationName = `cloudjobhunt-api:${process.pid}`;
  const pool = { max: config.dbPoolMax, ssl: config.dbSsl, applicationName };
  if (config.database.kind !== "embedded") {
    const sql = createSql(config.database, pool);
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
