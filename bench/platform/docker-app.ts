// What the Docker scenario of bench:platform runs: the CloudJobHunt image built from the repository's own
// Dockerfile (on the locally made node-base image), pushed through the ACR token flow, and a PostgreSQL
// the pods reach on the bridge address (a TCP forwarder from the bridge to the embedded server on loopback,
// as local/README.md says host services must be exposed to pods).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { ensureNodeBaseImage } from "../../local/images/node-base-image.ts";
import type { DockerEngine } from "../../local/runtime/docker/engine-client.ts";
import { readAll } from "../../local/runtime/docker/engine-client.ts";
import { acrLogin } from "../../local/runtime/docker/testing/acr-login.ts";
import { pushImage } from "../../local/runtime/docker/testing/test-engine.ts";
import { forward } from "../../local/service-proxy/tcp-forward.ts";
import { platformHome } from "../../local/tls/state-home.ts";
import { startEmbeddedPostgres } from "../../server/db/embedded.ts";

const repositoryRoot = join(import.meta.dirname, "../..");
/** What the root Dockerfile COPYs: the build context is exactly these. */
const contextPaths = ["Dockerfile", "package.json", "package-lock.json", "tsconfig.json", "server"];

/** Builds and pushes the CloudJobHunt image; resolves to its reference by digest. */
export async function cloudJobHuntImage(
  engine: DockerEngine,
  dockerHost: string,
  stateDir: string,
  log: (line: string) => void,
): Promise<string> {
  // The base image's downloads are cached in the machine's platform folder, not the throwaway one.
  await ensureNodeBaseImage({ home: platformHome(), dockerHost, log });
  const login = await acrLogin(stateDir);
  const repository = `${login.loginServer}/cloudjobhunt/api`;
  log(`building ${repository}:bench from the root Dockerfile (npm ci needs the npm registry: host network)`);
  const tar = spawn("tar", ["-c", "-C", repositoryRoot, ...contextPaths], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (!tar.stdout) throw new Error("tar gave no output stream");
  const build = await engine.stream("POST", "/build", {
    query: { t: `${repository}:bench`, networkmode: "host", rm: 1, forcerm: 1 },
    headers: { "content-type": "application/x-tar" },
    body: tar.stdout,
  });
  const output = (await readAll(build)).toString("utf8");
  const failure = output.split("\n").find((line) => line.includes('"error"'));
  if (failure) throw new Error(`building the CloudJobHunt image failed: ${failure}`);
  const digest = await pushImage(engine, repository, "bench", {
    username: login.username,
    password: login.password,
    serveraddress: login.loginServer,
  });
  return `${repository}@${digest}`;
}

export interface PodDatabase {
  /** postgres:// URL as pods use it (bridge address). */
  url: string;
  stop(): Promise<void>;
}

export async function podDatabase(stateDir: string, bridgeAddress: string): Promise<PodDatabase> {
  const embedded = await startEmbeddedPostgres({
    dataDir: join(stateDir, "postgres"),
    database: "cloudjobhunt",
    log: () => {},
    ephemeral: true,
  });
  const loopback = new URL(embedded.url);
  const forwarder: Server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    void forward(client, [{ host: loopback.hostname, port: Number(loopback.port) }]);
  });
  forwarder.listen(0, bridgeAddress);
  await once(forwarder, "listening");
  const address = forwarder.address();
  if (!address || typeof address === "string") throw new Error("the database forwarder has no port");
  const url = new URL(embedded.url);
  url.hostname = bridgeAddress;
  url.port = String(address.port);
  return {
    url: url.href,
    async stop() {
      forwarder.close();
      await embedded.stop();
    },
  };
}
