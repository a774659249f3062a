// A real OCI registry: Debian's docker-registry (distribution 2.8) with a config of our own: filesystem
// storage in the platform folder, TLS from the local CA, relative Location headers (the Azure SDK's
// uploadBlob needs them), and token auth trusting the ACR token service's signing certificate. It listens
// on loopback only: the Docker engine (which pulls for the pods) and the ACR login server in front of it are
// host processes, and nothing else needs to reach it.
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { join } from "node:path";
import { stringify } from "yaml";
import { startDaemon, stopDaemon } from "../docker-engine/daemon-process.ts";
import { ensureDebianPackages } from "../docker-engine/debian-packages.ts";
import { caCertPath, issueServerCertificate } from "../tls/local-ca.ts";

export const registryPath = "/usr/bin/docker-registry";

export interface RegistryOptions {
  home: string;
  host?: string;
  port: number;
  /** Token auth, as distribution's auth.token: the ACR login server's token endpoint and identity. */
  auth: { realm: string; service: string; issuer: string; rootCertBundle: string };
  installPackages?: boolean;
}

export interface RunningRegistry {
  /** https://host:port, the registry's own address (behind the ACR login server). */
  url: string;
  storageRoot: string;
  stop(): Promise<void>;
}

export function registryDir(home: string): string {
  return join(home, "registry");
}

/** distribution's filesystem storage (storage.filesystem.rootdirectory). */
export function registryStorageRoot(home: string): string {
  return join(registryDir(home), "data");
}

function pidFileOf(home: string): string {
  return join(registryDir(home), "registry.pid");
}

/** Status of GET /v2/ (401 once token auth is up), or undefined while nothing answers. */
function probe(url: string, ca: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(`${url}/v2/`, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  await ensureDebianPackages(
    { [registryPath]: "docker-registry" },
    "the registry (docker-registry) is not installed",
    {
      install: options.installPackages,
    },
  );
  const host = options.host ?? "127.0.0.1";
  const dir = registryDir(options.home);
  const storageRoot = registryStorageRoot(options.home);
  await mkdir(storageRoot, { recursive: true, mode: 0o700 });
  // A registry left by an earlier run may have other ports or keys: replace it.
  await stopDaemon(pidFileOf(options.home), 10_000);
  const tls = await issueServerCertificate(options.home, "registry", [host]);
  const config = {
    version: 0.1,
    log: { level: "warn", accesslog: { disabled: true }, fields: { service: "registry" } },
    storage: {
      filesystem: { rootdirectory: storageRoot },
      delete: { enabled: true },
      cache: { blobdescriptor: "inmemory" },
    },
    http: {
      addr: `${host}:${options.port}`,
      relativeurls: true,
      secret: randomBytes(24).toString("base64url"),
      tls: { certificate: tls.certPath, key: tls.keyPath },
      headers: { "X-Content-Type-Options": ["nosniff"] },
    },
    auth: {
      token: {
        realm: options.auth.realm,
        service: options.auth.service,
        issuer: options.auth.issuer,
        rootcertbundle: options.auth.rootCertBundle,
      },
    },
  };
  const configPath = join(dir, "config.yml");
  await writeFile(configPath, stringify(config), { mode: 0o600 });
  await chmod(configPath, 0o600);
  const url = `https://${host}:${options.port}`;
  const ca = await readFile(caCertPath(options.home), "utf8");
  await startDaemon({
    command: registryPath,
    args: ["serve", configPath],
    logPath: join(dir, "registry.log"),
    pidFile: pidFileOf(options.home),
    ready: async () => (await probe(url, ca)) === 401,
    readyTimeoutMs: 30_000,
    what: "the registry",
  });
  return { url, storageRoot, stop: () => stopRegistry(options.home) };
}

/** Stops the registry the platform started (from any process). */
export function stopRegistry(home: string): Promise<void> {
  return stopDaemon(pidFileOf(home), 10_000);
}
