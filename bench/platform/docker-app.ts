// What the Docker scenario of bench:platform runs: the CloudJobHunt image built from the repository's own
// Dockerfile (on the locally made node-base image), pushed through the ACR token flow, and a PostgreSQL
// the pods reach on the bridge address (a TCP forwarder from the bridge to the embedded server on loopback,
// as local/README.md says host services must be exposed to pods).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DockerEngine, readAll } from "../../local/docker-engine/engine-client.ts";
import { ensureNodeBaseImage, nodeBaseImage } from "../../local/images/node-base-image.ts";
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
  const baseImage = await baseTrustingMachineCa(engine);
  await build(
    engine,
    repositoryRoot,
    contextPaths,
    `${repository}:bench`,
    baseImage ? { BASE_IMAGE: baseImage } : undefined,
  );
  const digest = await pushImage(engine, repository, "bench", {
    username: login.username,
    password: login.password,
    serveraddress: login.loginServer,
  });
  return `${repository}@${digest}`;
}

/**
 * Where the machine reaches the npm registry through a TLS-inspecting proxy (its CA in NODE_EXTRA_CA_CERTS,
 * which the host's npm uses), the image's `npm ci` needs that CA too: the bench then builds FROM a copy of
 * node-base that trusts it (a public certificate, no secret), passed as the Dockerfile's BASE_IMAGE.
 */
async function baseTrustingMachineCa(engine: DockerEngine): Promise<string | undefined> {
  const caFile = process.env.NODE_EXTRA_CA_CERTS;
  if (!caFile) return undefined;
  const context = mkdtempSync(join(tmpdir(), "cjh-base-ca-"));
  try {
    copyFileSync(caFile, join(context, "machine-ca.crt"));
    writeFileSync(
      join(context, "Dockerfile"),
      `FROM ${nodeBaseImage}\nCOPY machine-ca.crt /usr/local/share/machine-ca.crt\nENV NODE_EXTRA_CA_CERTS=/usr/local/share/machine-ca.crt\n`,
    );
    const tag = `${nodeBaseImage}-machine-ca`;
    await build(engine, context, ["Dockerfile", "machine-ca.crt"], tag);
    return tag;
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** `docker build` through the API (legacy builder, host network for npm), failing with the builder's output. */
async function build(
  engine: DockerEngine,
  dir: string,
  paths: string[],
  tag: string,
  buildArgs?: Record<string, string>,
): Promise<void> {
  const tar = spawn("tar", ["-c", "-C", dir, ...paths], { stdio: ["ignore", "pipe", "inherit"] });
  if (!tar.stdout) throw new Error("tar gave no output stream");
  const response = await engine.stream("POST", "/build", {
    query: {
      t: tag,
      networkmode: "host",
      rm: 1,
      forcerm: 1,
      buildargs: buildArgs ? JSON.stringify(buildArgs) : undefined,
    },
    headers: { "content-type": "application/x-tar" },
    body: tar.stdout,
  });
  const lines = (await readAll(response)).toString("utf8").split("\n").filter(Boolean);
  const failure = lines.find((line) => line.includes('"error"'));
  if (failure) {
    // The builder's own output (npm's error) is what explains a failed step.
    const said = lines.map((line) => (JSON.parse(line) as { stream?: string }).stream ?? "").join("");
    throw new Error(`building ${tag} failed: ${failure}\n${said.split("\n").slice(-30).join("\n")}`);
  }
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
