// The build-push core: log in, build, push, and check the digest three ways (verify/digest-agreement.ts).
// Takes typed config and an injected exec (docker through @actions/exec); returns a typed result.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../lib/entry/definition.ts";
import type { BuildPushConfig } from "./context.ts";
import { type Builder, buildArgv } from "./docker/build-command.ts";
import { commands, StageFailure } from "./docker/commands.ts";
import type { Exec } from "./docker/exec.ts";
import { dockerLogin, registryCredentials } from "./login/registry-login.ts";
import { type RegistryCredentials, registryManifestDigest } from "./registry/manifest-digest.ts";
import type { BuildPushResult } from "./result.ts";
import { sourceDateEpoch } from "./source-date.ts";
import { digestAgreement } from "./verify/digest-agreement.ts";

export interface BuildPushDeps {
  readonly exec: Exec;
  readonly log: Logger;
  /** The environment docker runs with (DOCKER_HOST and the like); DOCKER_CONFIG is set to a private folder. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Registers a secret learnt at run time (the ACR refresh token). */
  readonly secret: (value: string) => void;
}

const pushDigest = /digest: (sha256:[0-9a-f]{64})/;

export async function runBuildPush(config: BuildPushConfig, deps: BuildPushDeps): Promise<BuildPushResult> {
  const { log } = deps;
  const dockerConfig = await mkdtemp(join(tmpdir(), "build-push-docker-"));
  const run = commands(deps.exec, deps.env, dockerConfig, log);
  const name = `${config.registry}/${config.repository}`;
  const tags = [config.sha, ...(config.version === undefined ? [] : [config.version])];
  let builder: Builder | undefined;
  try {
    builder = (await run.run("docker", ["buildx", "version"])).exitCode === 0 ? "buildx" : "classic";
    log.info(
      builder === "buildx"
        ? "builder: BuildKit through docker buildx (registry cache)"
        : "builder: classic docker build (no buildx on this client; local layer cache only)",
    );

    let credentials: RegistryCredentials | undefined;
    const auth = config.push ? config.auth : undefined;
    if (auth !== undefined) {
      credentials = await log.group(`log in to ${config.registry}`, async () => {
        const found = await registryCredentials(config.registry, auth, deps.secret);
        await dockerLogin(run, config.registry, found);
        return found;
      });
    }

    const epoch = await sourceDateEpoch(config.context, config.sha, deps.env, run, log);
    const iidFile = join(dockerConfig, "image-id");
    const argv = buildArgv({
      builder,
      context: config.context,
      dockerfile: config.dockerfile,
      name,
      tags,
      revision: config.sha,
      ...(config.version === undefined ? {} : { version: config.version }),
      ...(epoch === undefined ? {} : { sourceDateEpoch: epoch }),
      buildArgs: config.buildArgs,
      ...(config.network === undefined ? {} : { network: config.network }),
      iidFile,
    });
    await log.group(`build ${name}:${config.sha}`, () =>
      run.docker("build", `docker build of ${config.dockerfile}`, argv, {
        stream: true,
        env: builder === "classic" ? { DOCKER_BUILDKIT: "0" } : {},
      }),
    );
    const imageId = (await readFile(iidFile, "utf8")).trim();
    const inspect = async (format: string) =>
      (
        await run.docker("verify", "docker image inspect", ["image", "inspect", "--format", format, imageId])
      ).stdout.trim();
    const common = {
      builder,
      tags,
      imageId,
      sizeBytes: Number(await inspect("{{.Size}}")),
      ...(epoch === undefined ? {} : { sourceDateEpoch: epoch }),
    };
    if (!config.push) return { result: "built", image: `${name}:${config.sha}`, ...common };

    const pushed: Record<string, string | undefined> = {};
    for (const tag of tags) {
      const push = await log.group(`push ${name}:${tag}`, () =>
        run.docker("push", `docker push ${name}:${tag}`, ["push", `${name}:${tag}`], { stream: true }),
      );
      pushed[tag] = pushDigest.exec(push.stdout)?.[1];
    }
    const registryDigest = await registryManifestDigest(
      config.registry,
      config.repository,
      config.sha,
      credentials,
    ).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StageFailure("verify", `reading the digest back from ${config.registry} failed: ${reason}`);
    });
    const agreement = digestAgreement({
      name,
      pushed,
      repoDigests: JSON.parse(await inspect("{{json .RepoDigests}}")) as string[],
      registry: registryDigest,
    });
    if (!agreement.ok) throw new StageFailure("verify", agreement.message);
    log.info(`${name}@${agreement.digest}: docker push, docker inspect and the registry agree`);
    return { result: "pushed", image: `${name}@${agreement.digest}`, digest: agreement.digest, ...common };
  } catch (error) {
    if (!(error instanceof StageFailure)) throw error;
    log.error(error.message);
    return {
      result: "failed",
      stage: error.stage,
      message: error.message,
      ...(error.excerpt ? { excerpt: error.excerpt } : {}),
      ...(builder ? { builder } : {}),
    };
  } finally {
    await rm(dockerConfig, { recursive: true, force: true });
  }
}
