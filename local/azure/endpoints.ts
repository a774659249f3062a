// Where the stand-ins listen. Fixed loopback ports by default, so image references (127.0.0.1:5443/app)
// and the pipeline's settings stay the same from one `platform up` to the next; tests take free ports.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePorts, portIsFree } from "../common/ports.ts";

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
  const [aad = 0, arm = 0, acr = 0, registry = 0] = await freePorts(4);
  return { aad, arm, acr, registry };
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
      if (!(await portIsFree(ports[key]))) ports[key] = free[key];
    }
    await mkdir(join(stateDir, "azure"), { recursive: true, mode: 0o700 });
    await writeFile(join(stateDir, "azure", "ports.json"), `${JSON.stringify(ports, null, 2)}\n`);
    return ports;
  })();
  resolved.set(stateDir, decided);
  return decided;
}
