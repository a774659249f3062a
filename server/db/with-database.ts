import { loadConfig } from "../config/env.ts";
import { loadMigrations, migrate } from "./migrate.ts";
import { openDatabase } from "./open.ts";
import type { Sql } from "./pool.ts";

/**
 * For command-line tools: the same database the server uses (DATABASE_URL, DB_*, or the embedded one in
 * DATA_DIR, shared with a running `npm start`), migrated, closed afterwards.
 */
export async function withDatabase<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({ ...config, dbPoolMax: 4 }, () => {}, { shareRunningEmbedded: true });
  try {
    await migrate(db.sql, await loadMigrations());
    return await work(db.sql);
  } finally {
    await db.close();
  }
}
