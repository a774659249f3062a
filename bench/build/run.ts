// `npm run bench:build`: how long the API image takes to build, cold and after a change, and how big it is.
// Three classic builds of the repository's Dockerfile on the platform's engine, from a copy of the build
// context: cold (--no-cache), after a one-line change in server/, and with no change; then the image's size
// beside the 257 MB of the image before the runtime base. Goal: the one-line rebuild <= 25 % of the cold one.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileAsync } from "../../local/common/exec-file.ts";
import { ensureDockerEngine } from "../../local/docker-engine/docker-engine.ts";
import { machineBuildArgs } from "../../local/images/machine-ca-base.ts";
import { ensureNodeBaseImage } from "../../local/images/node-base-image.ts";
import { ensureNodeRuntimeImage } from "../../local/images/node-runtime-image.ts";
import { platformHome } from "../../local/tls/state-home.ts";

const repositoryRoot = join(import.meta.dirname, "../..");
/** What the Dockerfile COPYs (the .dockerignore lets only these through). */
const contextPaths = [
  "Dockerfile",
  ".dockerignore",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "server",
];
const baselineBytes = 257 * 1000 * 1000;
const tag = "cloudjobhunt/api:bench-build";

const home = platformHome();
const engine = await ensureDockerEngine({ home });
const context = await mkdtemp(join(tmpdir(), "cjh-bench-build-"));
try {
  const dockerHost = engine.dockerHost;
  await ensureNodeBaseImage({ home, dockerHost });
  await ensureNodeRuntimeImage({ dockerHost });
  for (const path of contextPaths)
    await cp(join(repositoryRoot, path), join(context, path), { recursive: true });
  const buildArgs = Object.entries(await machineBuildArgs(dockerHost)).flatMap(([k, v]) => [
    "--build-arg",
    `${k}=${v}`,
  ]);
  const build = async (what: string, extra: string[] = []): Promise<number> => {
    const started = performance.now();
    await execFileAsync(
      "docker",
      ["build", "-q", "--network=host", ...extra, ...buildArgs, "-t", tag, context],
      {
        env: { ...process.env, DOCKER_HOST: dockerHost, DOCKER_BUILDKIT: "0" },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`${what.padEnd(28)} ${seconds.toFixed(1)} s`);
    return seconds;
  };
  const cold = await build("cold (--no-cache)", ["--no-cache"]);
  const main = join(context, "server", "main.ts");
  await writeFile(main, `${await readFile(main, "utf8")}// bench:build one-line change ${Date.now()}\n`);
  const changed = await build("one-line change in server/");
  const unchanged = await build("no change");
  const { stdout } = await execFileAsync("docker", ["image", "inspect", "-f", "{{.Size}}", tag], {
    env: { ...process.env, DOCKER_HOST: dockerHost },
  });
  const size = Number(stdout.trim());
  console.log("");
  console.log(`one-line change / cold   ${((changed / cold) * 100).toFixed(1)} % (goal <= 25 %)`);
  console.log(`no change / cold         ${((unchanged / cold) * 100).toFixed(1)} %`);
  console.log(
    `image size               ${(size / 1e6).toFixed(1)} MB vs ${(baselineBytes / 1e6).toFixed(0)} MB before (${((size / baselineBytes) * 100).toFixed(0)} %; goal <= 150 MB)`,
  );
  await execFileAsync("docker", ["rmi", tag], { env: { ...process.env, DOCKER_HOST: dockerHost } });
} finally {
  await rm(context, { recursive: true, force: true });
  await engine.stop();
}
