// The Docker engine the platform's pods and image builds use. An engine that already answers (DOCKER_HOST, or
// the default socket) is used as it is; otherwise dockerd is started with the flags that work on these
// machines (no iptables rewriting, no default bridge: the platform makes its own pod network), with all of
// its state under the platform's folder, and only an engine started here is ever stopped.
import { mkdir, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { pidFrom, startDaemon, stopDaemon, unmountUnder, withLock } from "./daemon-process.ts";
import { ensureDebianPackages } from "./debian-packages.ts";
import { adoptDaemon } from "./leftover-daemons.ts";

export const dockerdPath = "/usr/sbin/dockerd";

export interface DockerEngine {
  /** The value to give DOCKER_HOST to every docker client of the platform. */
  readonly dockerHost: string;
  /** True when this call started dockerd (then stop() ends it); false for an engine found running. */
  readonly startedHere: boolean;
  /** Ends dockerd if this call started it; an engine found running is left alone. */
  stop(): Promise<void>;
}

export interface EngineOptions {
  home: string;
  env?: NodeJS.ProcessEnv;
  /** The system's socket, tried before starting our own engine. */
  defaultSocket?: string;
  /** Install docker.io when missing (root on Debian only). */
  installPackages?: boolean;
  readyTimeoutMs?: number;
  /** `home` is this process's temporary folder: an engine left when it dies is removed with it. */
  temporaryHome?: boolean;
}

export function engineDir(home: string): string {
  return join(home, "docker");
}

function socketOf(dockerHost: string): string | undefined {
  return dockerHost.startsWith("unix://") ? dockerHost.slice("unix://".length) : undefined;
}

/** True when a Docker engine answers /_ping on that unix socket. */
export function engineAnswers(socketPath: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: "/_ping", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/**
 * Stops the dockerd the platform started earlier, possibly from another process (`platform down`): only the
 * one recorded in the platform's pidfile, never a system engine.
 */
export async function stopPlatformEngine(home: string): Promise<void> {
  await stopEngine(engineDir(home));
}

/** Stops our dockerd and releases the mounts it keeps under its folder (its data root is one). */
async function stopEngine(dir: string): Promise<void> {
  await stopDaemon(join(dir, "dockerd.pid"));
  await unmountUnder(dir);
}

/** Finds a running engine or starts dockerd; the result's dockerHost is what every docker client must use. */
export async function ensureDockerEngine(options: EngineOptions): Promise<DockerEngine> {
  const env = options.env ?? process.env;
  const found = (dockerHost: string): DockerEngine => ({
    dockerHost,
    startedHere: false,
    stop: async () => {},
  });
  const configured = env.DOCKER_HOST;
  if (configured) {
    const socket = socketOf(configured);
    if (socket && !(await engineAnswers(socket))) {
      throw new Error(`DOCKER_HOST=${configured} does not answer: start that engine or unset DOCKER_HOST`);
    }
    return found(configured);
  }
  const defaultSocket = options.defaultSocket ?? "/var/run/docker.sock";
  if (await engineAnswers(defaultSocket)) return found(`unix://${defaultSocket}`);

  const dir = engineDir(options.home);
  const socket = join(dir, "docker.sock");
  const pidFile = join(dir, "dockerd.pid");
  const dockerHost = `unix://${socket}`;
  // An engine the platform started earlier (an earlier `up`, the images script) is used as found; it stays
  // the platform's to stop (stopPlatformEngine). Found, it counts this process among its owners (below).

  await ensureDebianPackages({ [dockerdPath]: "docker.io" }, "the Docker engine (dockerd) is not installed", {
    install: options.installPackages,
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return withLock(join(dir, "start.lock"), 120_000, async () => {
    // Another process may have started it while this one waited for the lock.
    const running = await pidFrom(pidFile);
    if (running !== undefined && (await engineAnswers(socket))) {
      await adoptDaemon(running);
      return found(dockerHost);
    }
    // An empty daemon.json of our own, so that the machine's /etc/docker/daemon.json cannot change our flags.
    const configFile = join(dir, "daemon.json");
    await writeFile(configFile, "{}\n");
    await startDaemon({
      command: dockerdPath,
      args: [
        "--iptables=false",
        "--ip-masq=false",
        "--bridge=none",
        "--storage-driver=overlay2",
        `--data-root=${join(dir, "data")}`,
        `--exec-root=${join(dir, "exec")}`,
        `--pidfile=${join(dir, "dockerd.self.pid")}`,
        `--config-file=${configFile}`,
        `--host=${dockerHost}`,
      ],
      logPath: join(dir, "dockerd.log"),
      pidFile,
      ready: () => engineAnswers(socket),
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      what: "dockerd",
      unmountDir: dir,
      ...(options.temporaryHome ? { removeDir: options.home } : {}),
    });
    return { dockerHost, startedHere: true, stop: () => stopEngine(dir) };
  });
}
