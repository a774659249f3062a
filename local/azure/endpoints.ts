// Where the stand-ins listen. Fixed loopback ports by default, so image references (127.0.0.1:5443/app)
// and the pipeline's settings stay the same from one `platform up` to the next; tests take free ports.
import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";

export interface StandInPorts {
  /** AAD (AZURE_AUTHORITY_HOST). */
  aad: number;
  /** ARM (the ContainerServiceClient endpoint). */
  arm: number;
  /** The ACR login server (token service + registry API). */
  acr: number;
  /** The registry itself, reached only through the login server. */
  registry: number;
}

export const defaultStandInPorts: StandInPorts = { aad: 9443, arm: 9444, acr: 5443, registry: 5000 };

export interface StandInEndpoints {
  aadUrl: string;
  armUrl: string;
  /** host:port, as image references and `docker login` name it; also the token `service`. */
  acrLoginServer: string;
  acrUrl: string;
  registryUrl: string;
}

export function endpointsOf(ports: StandInPorts, host = "127.0.0.1"): StandInEndpoints {
  return {
    aadUrl: `https://${host}:${ports.aad}`,
    armUrl: `https://${host}:${ports.arm}`,
    acrLoginServer: `${host}:${ports.acr}`,
    acrUrl: `https://${host}:${ports.acr}`,
    registryUrl: `https://${host}:${ports.registry}`,
  };
}

/** Free loopback ports, for tests that run beside a platform already up. */
export async function freeStandInPorts(): Promise<StandInPorts> {
  const servers = await Promise.all(
    [0, 1, 2, 3].map(async () => {
      const server = createServer().listen(0, "127.0.0.1");
      await once(server, "listening");
      return server;
    }),
  );
  const [aad = 0, arm = 0, acr = 0, registry = 0] = servers.map((server) => {
    const address = server.address();
    return typeof address === "object" && address ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return { aad, arm, acr, registry };
}

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

const resolved = new Map<string, Promise<StandInPorts>>();

/**
 * The ports of a platform's stand-ins: the defaults, or free ones when a default is taken (another platform
 * or a test run beside it). Decided once per state folder in a process, so the registry and the ACR login
 * server that fronts it agree; written to <state>/azure/ports.json for other processes.
 */
export function platformStandInPorts(stateDir: string): Promise<StandInPorts> {
  const known = resolved.get(stateDir);
  if (known) return known;
  const decided = (async () => {
    const free = await freeStandInPorts();
    const ports = { ...defaultStandInPorts };
    for (const key of Object.keys(ports) as (keyof StandInPorts)[]) {
      if (!(await portFree(ports[key]))) ports[key] = free[key];
    }
    await mkdir(join(stateDir, "azure"), { recursive: true, mode: 0o700 });
    await writeFile(join(stateDir, "azure", "ports.json"), `${JSON.stringify(ports, null, 2)}\n`);
    return ports;
  })();
  resolved.set(stateDir, decided);
  return decided;
}
