// The build-push core: log in, build, push, and check the digest three ways (the push's report, the engine's
// RepoDigests, the registry's own manifest). Takes typed config and an injected exec; returns a typed result.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acrRefreshToken, acrTokenUser } from "../lib/azure/acr-exchange.ts";
import { azureCredential } from "../lib/azure/credential.ts";
import type { Logger } from "../lib/entry/definition.ts";
import type { BuildPushConfig } from "./context.ts";
import { type Builder, buildArgv } from "./docker/build-command.ts";
import { type Exec, type ExecResult, excerpt } from "./docker/exec.ts";
import { type RegistryCredentials, registryManifestDigest } from "./registry/manifest-digest.ts";
import type { BuildPushResult, BuildPushStage } from "./result.ts";

export interface BuildPushDeps {
  readonly exec: Exec;
  readonly log: Logger;
  /** The environment docker runs with (DOCKER_HOST and the like); DOCKER_CONFIG is set to a private folder. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Registers a secret learnt at run time (the ACR refresh token). */
  readonly secret: (value: string) => void;
}

class StageFailure extends Error {
  constructor(
    readonly stage: BuildPushStage,
    message: string,
    readonly excerpt?: string,
  ) {
    super(message);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function registryCredentials(
  config: BuildPushConfig,
  deps: BuildPushDeps,
): Promise<RegistryCredentials> {
  const auth = config.auth;
  if (auth === undefined) throw new StageFailure("login", "no registry credentials were configured");
  if (auth.kind === "basic") return { username: auth.username, password: auth.password };
  const credential = azureCredential(auth.credential);
  const tenantId = "tenantId" in auth.credential ? auth.credential.tenantId : undefined;
  const refreshToken = await acrRefreshToken(config.registry, credential, tenantId ? { tenantId } : {}).catch(
    (error: unknown) => {
      throw new StageFailure(
        "login",
        `ACR login with the ${auth.credential.kind} credential failed: ${errorText(error)}`,
      );
    },
  );
  deps.secret(refreshToken);
  return { username: acrTokenUser, password: refreshToken };
}

/** SOURCE_DATE_EPOCH when set, else the commit's committer time. */
async function commitTime(
  config: BuildPushConfig,
  deps: BuildPushDeps,
  docker: Run,
): Promise<number | undefined> {
  const given = deps.env.SOURCE_DATE_EPOCH;
  if (given && /^\d+$/.test(given)) return Number(given);
  const git = await docker.raw("git", ["-C", config.context, "log", "-1", "--format=%ct", config.sha]);
  const seconds = git.exitCode === 0 ? git.stdout.trim() : "";
  if (/^\d+$/.test(seconds)) return Number(seconds);
  deps.log.warning(`commit ${config.sha} is not in the context's git history: no SOURCE_DATE_EPOCH`);
  return undefined;
}

interface Run {
  raw(
    command: string,
    args: readonly string[],
    input?: string,
    extraEnv?: Record<string, string>,
  ): Promise<ExecResult>;
  docker(
    stage: BuildPushStage,
    what: string,
    args: readonly string[],
    options?: { input?: string; env?: Record<string, string>; stream?: boolean },
  ): Promise<ExecResult>;
}

function runner(deps: BuildPushDeps, dockerConfig: string): Run {
  const env = (extra: Record<string, string> = {}) => {
    const merged: Record<string, string> = {};
    for (const [name, value] of Object.entries(deps.env)) if (value !== undefined) merged[name] = value;
    return { ...merged, DOCKER_CONFIG: dockerConfig, ...extra };
  };
  return {
    raw: (command, args, input, extraEnv) =>
      deps.exec(command, args, { env: env(extraEnv), ...(input === undefined ? {} : { input }) }),
    async docker(stage, what, args, options = {}) {
      const result = await deps.exec("docker", args, {
        env: env(options.env),
        ...(options.input === undefined ? {} : { input: options.input }),
        ...(options.stream ? { onLine: (line: string) => deps.log.info(line) } : {}),
      });
      if (result.exitCode !== 0)
        throw new StageFailure(stage, `${what} failed (docker exit ${result.exitCode})`, excerpt(result));
      return result;
    },
  };
}

export async function runBuildPush(config: BuildPushConfig, deps: BuildPushDeps): Promise<BuildPushResult> {
  const dockerConfig = await mkdtemp(join(tmpdir(), "build-push-docker-"));
  const run = runner(deps, dockerConfig);
  const name = `${config.registry}/${config.repository}`;
  const tags = [config.sha, ...(config.version === undefined ? [] : [config.version])];
  let builder: Builder | undefined;
  try {
    builder = (await run.raw("docker", ["buildx", "version"])).exitCode === 0 ? "buildx" : "classic";
    deps.log.info(
      builder === "buildx"
        ? "builder: BuildKit through docker buildx (registry cache)"
        : "builder: classic docker build (no buildx on this client; local layer cache only)",
    );

    let credentials: RegistryCredentials | undefined;
    if (config.push) {
      credentials = await deps.log.group(`log in to ${config.registry}`, () =>
        registryCredentials(config, deps),
      );
      await run.docker(
        "login",
        `docker login ${config.registry}`,
        ["login", config.registry, "--username", credentials.username, "--password-stdin"],
        {
          input: credentials.password,
        },
      );
    }

    const sourceDateEpoch = await commitTime(config, deps, run);
    const iidFile = join(dockerConfig, "image-id");
    await deps.log.group(`build ${name}:${config.sha}`, () =>
      run.docker(
        "build",
        `docker build of ${config.dockerfile}`,
        buildArgv({
          builder: builder ?? "classic",
          context: config.context,
          dockerfile: config.dockerfile,
          name,
          tags,
          revision: config.sha,
          ...(config.version === undefined ? {} : { version: config.version }),
          ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
          buildArgs: config.buildArgs,
          ...(config.network === undefined ? {} : { network: config.network }),
          iidFile,
        }),
        { stream: true, env: builder === "classic" ? { DOCKER_BUILDKIT: "0" } : {} },
      ),
    );
    const imageId = (await readFile(iidFile, "utf8")).trim();
    const inspect = async (format: string) =>
      (
        await run.docker("verify", "docker image inspect", ["image", "inspect", "--format", format, imageId])
      ).stdout.trim();
    const sizeBytes = Number(await inspect("{{.Size}}"));
    const common = {
      builder: builder ?? "classic",
      tags,
      imageId,
      sizeBytes,
      ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
    };
    if (!config.push) return { result: "built", image: `${name}:${config.sha}`, ...common };

    const pushed = new Set<string>();
    for (const tag of tags) {
      const push = await deps.log.group(`push ${name}:${tag}`, () =>
        run.docker("push", `docker push ${name}:${tag}`, ["push", `${name}:${tag}`], { stream: true }),
      );
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1];
      if (!digest)
        throw new StageFailure("push", `docker push ${name}:${tag} reported no digest`, excerpt(push));
      pushed.add(digest);
    }
    const [digest] = [...pushed];
    if (pushed.size !== 1 || digest === undefined)
      throw new StageFailure(
        "push",
        `the tags were pushed with different digests: ${[...pushed].join(", ")}`,
      );

    const repoDigests = JSON.parse(await inspect("{{json .RepoDigests}}")) as string[];
    const engineDigest = repoDigests.find((entry) => entry.startsWith(`${name}@`))?.slice(name.length + 1);
    const registryDigest = await registryManifestDigest(
      config.registry,
      config.repository,
      config.sha,
      credentials,
    ).catch((error: unknown) => {
      throw new StageFailure(
        "verify",
        `reading the digest back from ${config.registry} failed: ${errorText(error)}`,
      );
    });
    if (engineDigest !== digest || registryDigest !== digest)
      throw new StageFailure(
        "verify",
        `digests disagree: push reported ${digest}, docker inspect ${engineDigest ?? "(none)"}, the registry ${registryDigest}`,
      );
    deps.log.info(`${name}@${digest}: push, docker inspect and the registry agree`);
    return { result: "pushed", image: `${name}@${digest}`, digest, ...common };
  } catch (error) {
    if (!(error instanceof StageFailure)) throw error;
    deps.log.error(error.message);
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
