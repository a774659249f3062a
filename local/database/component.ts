// The database component (`platform up --database`): PostgreSQL standing in for Azure Database for
// PostgreSQL Flexible Server, reachable by pods. With the Docker runtime it listens on the pod bridge's
// address (pods reach the host only there) and on 127.0.0.1; TLS with a certificate of the platform's CA;
// the database `cloudjobhunt` owned by the role `cloudjobhunt` whose generated password never leaves
// <state>/database (0600). Clients read <state>/database/database.env (0600) or database.json (no secret).
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import { freePort, portIsFree } from "../common/ports.ts";
import type { Component, PlatformContext } from "../component/component.ts";
import { parseSubnet } from "../network/subnet.ts";
import { caCertPath, issueServerCertificate } from "../tls/local-ca.ts";
import { type PostgresServer, startPostgresServer } from "./postgres-server.ts";

export const databaseName = "cloudjobhunt";
export const databaseUser = "cloudjobhunt";
/** Flexible Server's default port, taken when free. */
const defaultPort = 5432;

export function databaseDir(stateDir: string): string {
  return join(stateDir, "database");
}

/** What database.json holds: where the database is, without any secret. */
export interface DatabaseEndpoint {
  /** The address pods use (the bridge address with the Docker runtime, else 127.0.0.1). */
  host: string;
  /** The address clients on the host use. */
  loopbackHost: string;
  port: number;
  database: string;
  user: string;
  /** What pods use: `require` (TLS; pods have no volume to hold the CA for `verify-full`). */
  sslmode: "require";
  /** The CA that signed the server's certificate (for `verify-full` on the host). */
  caFile: string;
  /** DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, DB_SSLMODE (0600). */
  envFile: string;
  passwordFile: string;
}

async function secretIn(path: string): Promise<string> {
  const existing = await readFile(path, "utf8").catch(() => "");
  if (existing.trim()) return existing.trim();
  const secret = randomBytes(24).toString("base64url");
  await writeFile(path, `${secret}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return secret;
}

/** The previous run's port when free (clients keep their settings), else 5432, else any free port. */
async function choosePort(previous: number | undefined, hosts: readonly string[]): Promise<number> {
  for (const candidate of [previous, defaultPort]) {
    if (candidate === undefined) continue;
    const free = await Promise.all(hosts.map((host) => portIsFree(candidate, host)));
    if (free.every(Boolean)) return candidate;
  }
  return freePort(hosts[0]);
}

/** The role and database the API uses, as the Flexible Server's administrator would make them. */
async function ensureAppDatabase(
  endpoint: DatabaseEndpoint,
  adminPassword: string,
  password: string,
): Promise<void> {
  const sql = postgres({
    host: endpoint.loopbackHost,
    port: endpoint.port,
    database: "postgres",
    username: "postgres",
    password: adminPassword,
    ssl: { ca: await readFile(endpoint.caFile, "utf8") },
    max: 1,
    onnotice: () => {},
  });
  try {
    const [role] = await sql`select 1 as found from pg_roles where rolname = ${endpoint.user}`;
    if (!role) await sql`create role ${sql(endpoint.user)} login`;
    // A generated base64url secret: a literal with no quote to escape (ALTER ROLE takes no parameters).
    await sql.unsafe(`alter role ${endpoint.user} with login password '${password}'`);
    const [database] = await sql`select 1 as found from pg_database where datname = ${endpoint.database}`;
    if (!database) await sql`create database ${sql(endpoint.database)} owner ${sql(endpoint.user)}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function writeConnectionFiles(
  dir: string,
  endpoint: DatabaseEndpoint,
  password: string,
): Promise<void> {
  const env = {
    DB_HOST: endpoint.host,
    DB_PORT: String(endpoint.port),
    DB_NAME: endpoint.database,
    DB_USER: endpoint.user,
    DB_PASSWORD: password,
    DB_SSLMODE: endpoint.sslmode,
  };
  const text = `${Object.entries(env)
    .map(([name, value]) => `${name}=${value}`)
    .join("\n")}\n`;
  await writeFile(endpoint.envFile, text, { mode: 0o600 });
  await chmod(endpoint.envFile, 0o600);
  await writeFile(join(dir, "database.json"), `${JSON.stringify(endpoint, null, 2)}\n`);
}

async function previousPort(dir: string): Promise<number | undefined> {
  const text = await readFile(join(dir, "database.json"), "utf8").catch(() => "");
  return text ? (JSON.parse(text) as DatabaseEndpoint).port : undefined;
}

export function databaseComponent(): Component {
  let server: PostgresServer | undefined;
  return {
    name: "database",
    async start(context: PlatformContext) {
      if (!context.database) return;
      const dir = databaseDir(context.stateDir);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // PostgreSQL runs as its own user, which must pass through these two folders to reach its data
      // (traverse only: nothing can be listed, and every secret file in them is 0600).
      if (process.getuid?.() === 0) for (const folder of [context.stateDir, dir]) await chmod(folder, 0o711);
      const pods = context.runtime === "docker" ? parseSubnet(context.podNetwork.cidr) : undefined;
      const podHost = pods?.gateway ?? "127.0.0.1";
      const hosts = [...new Set(["127.0.0.1", podHost])];
      const clientCidrs = ["127.0.0.1/32", ...(pods ? [pods.cidr] : [])];
      const tls = await issueServerCertificate(context.stateDir, "postgres", hosts);
      const password = await secretIn(join(dir, "password"));
      const adminPassword = await secretIn(join(dir, "admin-password"));
      const endpoint: DatabaseEndpoint = {
        host: podHost,
        loopbackHost: "127.0.0.1",
        port: await choosePort(await previousPort(dir), hosts),
        database: databaseName,
        user: databaseUser,
        sslmode: "require",
        caFile: caCertPath(context.stateDir),
        envFile: join(dir, "database.env"),
        passwordFile: join(dir, "password"),
      };
      server = await startPostgresServer({
        dataDir: join(dir, "data"),
        listenAddresses: hosts,
        clientCidrs,
        port: endpoint.port,
        adminPassword,
        tls: { certPath: tls.certPath, keyPath: tls.keyPath },
        log: context.log,
      });
      try {
        await ensureAppDatabase(endpoint, adminPassword, password);
        await writeConnectionFiles(dir, endpoint, password);
      } catch (error) {
        await server.stop();
        server = undefined;
        throw error;
      }
      context.log(
        `database: PostgreSQL at ${hosts.join(", ")} port ${endpoint.port}, database ${databaseName}, TLS required (connection details in ${endpoint.envFile})`,
      );
    },
    async stop() {
      await server?.stop();
      server = undefined;
    },
  };
}
