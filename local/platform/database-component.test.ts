// The database component with a real PostgreSQL: TLS with the platform's CA, the cloudjobhunt database and
// role, its password only in 0600 files, connection details for clients, data kept across restarts.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import postgres from "postgres";
import type { DatabaseEndpoint } from "../database/component.ts";
import { startPlatform } from "./start-platform.ts";

async function envOf(path: string): Promise<Record<string, string>> {
  const text = await readFile(path, "utf8");
  return Object.fromEntries(
    text
      .trim()
      .split("\n")
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
}

describe("database component", { timeout: 180_000 }, () => {
  let stateDir = "";
  const logs: string[] = [];
  const start = () =>
    startPlatform({
      stateDir,
      database: true,
      components: ["api-server", "database"],
      log: (line) => logs.push(line),
    });
  let platform: Awaited<ReturnType<typeof start>>;
  let endpoint: DatabaseEndpoint;
  let env: Record<string, string>;

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "cjh-database-"));
    platform = await start();
    endpoint = JSON.parse(await readFile(join(stateDir, "database", "database.json"), "utf8"));
    env = await envOf(endpoint.envFile);
  });
  after(async () => {
    await platform?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  const connect = async (options: { ssl?: "verify-full" | false; password?: string } = {}) =>
    postgres({
      host: endpoint.loopbackHost,
      port: endpoint.port,
      database: env.DB_NAME,
      username: env.DB_USER,
      password: options.password ?? env.DB_PASSWORD,
      ssl: options.ssl === false ? false : { ca: await readFile(endpoint.caFile, "utf8") },
      max: 1,
      onnotice: () => {},
    });

  test("writes the connection details for clients; the password only in 0600 files, never logged", async () => {
    assert.deepEqual(Object.keys(env), [
      "DB_HOST",
      "DB_PORT",
      "DB_NAME",
      "DB_USER",
      "DB_PASSWORD",
      "DB_SSLMODE",
    ]);
    assert.equal(env.DB_HOST, "127.0.0.1", "the simulated runtime's pods are on the host");
    assert.equal(env.DB_PORT, String(endpoint.port));
    assert.equal(env.DB_NAME, "cloudjobhunt");
    assert.equal(env.DB_USER, "cloudjobhunt");
    assert.equal(env.DB_SSLMODE, "require");
    assert.match(env.DB_PASSWORD ?? "", /^[A-Za-z0-9_-]{32}$/);
    for (const file of ["database.env", "password", "admin-password"])
      assert.equal((await stat(join(stateDir, "database", file))).mode & 0o777, 0o600, file);
    assert.equal(endpoint.caFile, join(stateDir, "tls", "ca.crt"));
    assert.ok(!JSON.stringify(endpoint).includes(env.DB_PASSWORD ?? "-"), "database.json holds no secret");
    const admin = (await readFile(join(stateDir, "database", "admin-password"), "utf8")).trim();
    for (const line of logs) {
      assert.ok(!line.includes(env.DB_PASSWORD ?? "-") && !line.includes(admin), `secret in log: ${line}`);
    }
    assert.ok(logs.some((line) => line.startsWith("database: PostgreSQL at 127.0.0.1 port ")));
  });

  test("TLS verified against the platform's CA, as the role that owns the database", async () => {
    const sql = await connect();
    try {
      const [row] = await sql`
        select current_user as "user", current_database() as database, ssl
        from pg_stat_ssl where pid = pg_backend_pid()`;
      assert.deepEqual({ ...row }, { user: "cloudjobhunt", database: "cloudjobhunt", ssl: true });
      await sql`create table kept (id int)`;
      await sql`insert into kept values (1)`;
    } finally {
      await sql.end();
    }
  });

  test("a connection without TLS or with a wrong password is refused with PostgreSQL's error", async () => {
    const plain = await connect({ ssl: false });
    await assert.rejects(plain`select 1`, (error: Error) => {
      assert.match(
        error.message,
        /^no pg_hba\.conf entry for host "127\.0\.0\.1", user "cloudjobhunt", database "cloudjobhunt", no encryption$/,
      );
      return true;
    });
    await plain.end();
    const wrong = await connect({ password: "wrong" });
    await assert.rejects(wrong`select 1`, {
      message: 'password authentication failed for user "cloudjobhunt"',
    });
    await wrong.end();
  });

  test("a restart keeps the data, the port and the password", async () => {
    await platform.stop();
    platform = await start();
    const again = JSON.parse(await readFile(join(stateDir, "database", "database.json"), "utf8"));
    assert.equal(again.port, endpoint.port);
    assert.deepEqual(await envOf(endpoint.envFile), env);
    const sql = await connect();
    try {
      assert.deepEqual(
        [...(await sql`select id from kept`)].map((row) => row.id),
        [1],
      );
    } finally {
      await sql.end();
    }
  });
});
