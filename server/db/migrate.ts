import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type { Sql } from "./pool.ts";

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

/** Where the versioned SQL files live, next to this module in source and in the bundle alike. */
export const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);

// Any constant shared by every replica; it only has to differ from other advisory locks in the database.
const MIGRATION_LOCK_KEY = 7_402_113_001;
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort();
  return Promise.all(
    names.map(async (file) => {
      const match = FILE_NAME.exec(file);
      if (!match?.[1] || !match[2]) {
        throw new Error(`migration file ${file} must be named NNNN_lower_snake_case.sql`);
      }
      const text = await readFile(new URL(file, dir), "utf8");
      return {
        version: match[1],
        name: match[2],
        sql: text,
        checksum: createHash("sha256").update(text).digest("hex"),
      };
    }),
  );
}

/**
 * Applies the pending migrations in one transaction under an advisory lock: replicas starting together
 * wait for each other, and a failing migration rolls back everything this run did.
 */
export async function migrate(sql: Sql, migrations: Migration[]): Promise<string[]> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`;
    const applied = new Map(
      (
        await tx<{ version: string; checksum: string }[]>`select version, checksum from schema_migrations`
      ).map((r) => [r.version, r.checksum]),
    );
    const done: string[] = [];
    for (const m of migrations) {
      const checksum = applied.get(m.version);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new Error(`migration ${m.version}_${m.name} was edited after it was applied; add a new one`);
        }
        continue;
      }
      try {
        await tx.unsafe(m.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`migration ${m.version}_${m.name} failed: ${reason}`);
      }
      await tx`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`;
      done.push(`${m.version}_${m.name}`);
    }
    return done;
  });
}

/** The newest applied version, or undefined before the first migration ran. */
export async function appliedVersion(sql: Sql): Promise<string | undefined> {
  const [table] = await sql<
    { exists: boolean }[]
  >`select to_regclass('schema_migrations') is not null as exists`;
  if (!table?.exists) return undefined;
  const [row] = await sql<
    { version: string | null }[]
  >`select max(version) as version from schema_migrations`;
  return row?.version ?? undefined;
}
