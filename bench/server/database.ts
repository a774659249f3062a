import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startEmbeddedPostgres } from "../../server/db/embedded.ts";
import { loadMigrations, migrate } from "../../server/db/migrate.ts";
import { createSql } from "../../server/db/pool.ts";
import { seedPostings, seedVersion } from "./seed.ts";

export interface BenchDatabase {
  url: string;
  /** The postmaster's pid: the root of the process tree whose CPU counts as the database's. */
  postmasterPid: number;
  stop(): Promise<void>;
}

const readyMarker = "bench-seeded";

/**
 * Starts the API's embedded PostgreSQL on a data folder kept under `cacheRoot` between runs, keyed by the
 * migrations, the generator version and the row count: a matching folder is reused as is, otherwise a new
 * one is migrated with the API's own migrations and seeded (the slow part, once).
 */
export async function startSeededDatabase(
  cacheRoot: string,
  postings: number,
  log: (message: string) => void,
): Promise<BenchDatabase> {
  const migrations = await loadMigrations();
  const key = createHash("sha256")
    .update(JSON.stringify({ seedVersion, postings, migrations: migrations.map((m) => m.checksum) }))
    .digest("hex")
    .slice(0, 12);
  const directory = join(cacheRoot, `postings-${postings}-${key}`);
  const prepared = existsSync(join(directory, readyMarker));
  if (!prepared) await rm(directory, { recursive: true, force: true });
  const dataDir = join(directory, "data");
  const server = await startEmbeddedPostgres({ dataDir, database: "cloudjobhunt_bench", log: () => {} });
  try {
    if (!prepared) {
      log(`migrating and seeding ${postings} postings into ${directory} (once for this data version)`);
      const sql = createSql({ kind: "url", url: server.url }, { max: 1, applicationName: "bench-seed" });
      try {
        await migrate(sql, migrations);
      } finally {
        await sql.end();
      }
      await seedPostings(server.url, postings);
      await writeFile(join(directory, readyMarker), `${new Date().toISOString()}\n`);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  const postmasterPid = Number.parseInt(
    readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0] ?? "",
    10,
  );
  return { url: server.url, postmasterPid, stop: () => server.stop() };
}
