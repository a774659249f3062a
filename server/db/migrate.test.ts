import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { startTestDatabase, type TestDatabase } from "../testing/postgres.ts";
import { appliedVersion, loadMigrations, migrate } from "./migrate.ts";

describe("migrations", () => {
  let db: TestDatabase;
  before(async () => {
    db = await startTestDatabase({ migrate: false });
  });
  after(() => db.stop());

  test("three processes migrating at once apply each migration exactly once", async () => {
    const runs = await Promise.all([1, 2, 3].map(() => runMigrateProcess(db.url)));
    for (const run of runs) assert.equal(run.code, 0, run.output);
    const applied = runs.flatMap((r) => JSON.parse(r.stdout) as string[]);
    const all = await loadMigrations();
    assert.deepEqual(applied.sort(), all.map((m) => `${m.version}_${m.name}`).sort());
    const rows = await db.sql`select version from schema_migrations`;
    assert.equal(rows.length, all.length);
    assert.equal(await appliedVersion(db.sql), all.at(-1)?.version);
  });

  test("a failing migration leaves the schema as it was", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cjh-mig-"));
    try {
      const dirUrl = pathToFileURL(`${dir}/`);
      const current = await loadMigrations();
      for (const m of current) await writeFile(join(dir, `${m.version}_${m.name}.sql`), m.sql);
      await writeFile(join(dir, "9001_add_table.sql"), "create table half_done (id int);");
      await writeFile(
        join(dir, "9002_broken.sql"),
        "alter table jobs add column x int; select nonsense from;",
      );
      await assert.rejects(
        migrate(db.sql, await loadMigrations(dirUrl)),
        /migration 9002_broken failed: syntax error/,
      );
      const [table] = await db.sql`select to_regclass('half_done') as t`;
      assert.equal(table?.t, null);
      const columns =
        await db.sql`select 1 from information_schema.columns where table_name = 'jobs' and column_name = 'x'`;
      assert.equal(columns.length, 0);
      assert.equal(await appliedVersion(db.sql), current.at(-1)?.version);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("an applied migration that was edited is refused", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cjh-mig-"));
    try {
      const [first] = await loadMigrations();
      assert.ok(first);
      await writeFile(join(dir, `${first.version}_${first.name}.sql`), `${first.sql}\n-- edited`);
      await assert.rejects(
        migrate(db.sql, await loadMigrations(pathToFileURL(`${dir}/`))),
        new RegExp(`migration ${first.version}_${first.name} was edited after it was applied`),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a badly named migration file is refused", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cjh-mig-"));
    try {
      await writeFile(join(dir, "create-things.sql"), "select 1;");
      await assert.rejects(
        loadMigrations(pathToFileURL(`${dir}/`)),
        /create-things.sql must be named NNNN_lower_snake_case.sql/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function runMigrateProcess(url: string): Promise<{ code: number | null; stdout: string; output: string }> {
  const script = `
    import { createSql } from "./server/db/pool.ts";
    import { loadMigrations, migrate } from "./server/db/migrate.ts";
    const sql = createSql({ kind: "url", url: process.env.DATABASE_URL }, { max: 1, applicationName: "migrate-test" });
    const done = await migrate(sql, await loadMigrations());
    await sql.end();
    console.log(JSON.stringify(done));`;
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["exec", "--", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout: stdout.trim().split("\n").at(-1) ?? "", output: stdout + stderr }),
    );
  });
}
