// The local platform as the rehearsal needs it: the Docker runtime (real containers of the real image), AKS
// local accounts off (the pipeline reaches the cluster as it reaches production: ARM, then an Entra token) and
// the PostgreSQL the pods use. Driven through its CLI, as a user would (local/README.md); what clients need is
// read from the state folder's documented files.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseEnv } from "node:util";
import { execFileAsync } from "../local/common/exec-file.ts";

export interface PlatformState {
  readonly home: string;
  readonly kubeconfig: string;
  /** azure.env: the AZURE_* settings and AKS/ACR names of the stand-ins (secrets included: never print). */
  readonly azure: Readonly<Record<string, string | undefined>>;
  /** The platform CA's certificate file: what clients trust for every local HTTPS endpoint. */
  readonly caFile: string;
  /** The Ingress's HTTPS endpoint on loopback. */
  readonly ingress: { readonly address: string; readonly port: number };
  /** The Docker engine the platform runs pods on, where build-push builds (the engine has the base images). */
  readonly dockerHost: string | undefined;
}

interface DaemonRecord {
  readonly runtime: string;
  readonly components: readonly string[];
  readonly aksLocalAccounts?: boolean;
  readonly kubeconfig: string;
}

export function platformHome(env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, env.PLATFORM_HOME ?? ".platform");
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run platform -- <args>` through tsx, as a user runs it; the exit code and what it printed. */
export async function runPlatformCli(
  repositoryRoot: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<CommandResult> {
  const tsx = join(repositoryRoot, "node_modules", "tsx", "dist", "cli.mjs");
  const cli = join(repositoryRoot, "local", "platform", "cli.ts");
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [tsx, cli, ...args], {
      cwd: repositoryRoot,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

function runningRecord(home: string): DaemonRecord | undefined {
  const path = join(home, "platform.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as DaemonRecord) : undefined;
}

/** Brings the platform up as the rehearsal needs it; a platform already running some other way is restarted. */
export async function ensurePlatform(
  repositoryRoot: string,
  env: NodeJS.ProcessEnv,
  note: (message: string) => void,
): Promise<PlatformState> {
  const home = platformHome(env, repositoryRoot);
  const status = await runPlatformCli(repositoryRoot, ["status"], env);
  const record = status.code === 0 ? runningRecord(home) : undefined;
  if (record !== undefined && (record.runtime !== "docker" || record.aksLocalAccounts !== false)) {
    note(
      `the running platform uses runtime ${record.runtime}${record.aksLocalAccounts === false ? "" : " with AKS local accounts on"}: restarting it`,
    );
    const down = await runPlatformCli(repositoryRoot, ["down"], env);
    if (down.code !== 0) throw new Error(`platform down failed:\n${down.stderr}${down.stdout}`);
  } else if (record !== undefined) {
    note("reusing the running platform");
  }
  const up = await runPlatformCli(
    repositoryRoot,
    ["up", "--runtime", "docker", "--aks-local-accounts", "off", "--database"],
    env,
  );
  if (up.code !== 0) throw new Error(`platform up failed:\n${up.stderr}${up.stdout}`);
  const kubeconfigLine = up.stdout.trim().split("\n").at(-1) ?? "";
  if (!kubeconfigLine.startsWith("KUBECONFIG="))
    throw new Error(`platform up printed no KUBECONFIG line:\n${up.stdout}`);
  return readPlatformState(home, kubeconfigLine.slice("KUBECONFIG=".length));
}

/** The engine the platform started (`<state>/docker/docker.sock`), else the one it found (DOCKER_HOST). */
function engineSocket(home: string): string | undefined {
  const socket = join(home, "docker", "docker.sock");
  return existsSync(socket) ? `unix://${socket}` : process.env.DOCKER_HOST;
}

export function readPlatformState(home: string, kubeconfig: string): PlatformState {
  const azure = parseEnv(readFileSync(join(home, "azure", "azure.env"), "utf8"));
  const ingress = JSON.parse(readFileSync(join(home, "ingress.json"), "utf8")) as { url: string };
  const ingressUrl = new URL(ingress.url);
  return {
    home,
    kubeconfig,
    azure,
    caFile: join(home, "tls", "ca.crt"),
    ingress: { address: ingressUrl.hostname, port: Number(ingressUrl.port) },
    dockerHost: engineSocket(home),
  };
}
