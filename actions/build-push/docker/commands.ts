// docker (and git) as build-push runs them: every call with the caller's environment plus a private
// DOCKER_CONFIG, and a failed docker command turned into a StageFailure carrying the lines it printed.
import type { Logger } from "../../lib/entry/definition.ts";
import type { BuildPushStage } from "../result.ts";
import { type Exec, type ExecResult, excerpt } from "./exec.ts";

export class StageFailure extends Error {
  constructor(
    readonly stage: BuildPushStage,
    message: string,
    readonly excerpt?: string,
  ) {
    super(message);
  }
}

export interface DockerCallOptions {
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Log each line as the command prints it (builds and pushes are long). */
  readonly stream?: boolean;
}

export interface Commands {
  /** Any command; its exit code is the caller's to judge. */
  run(command: string, args: readonly string[]): Promise<ExecResult>;
  /** A docker command that must succeed, else StageFailure(stage, "<what> failed (docker exit N)"). */
  docker(
    stage: BuildPushStage,
    what: string,
    args: readonly string[],
    options?: DockerCallOptions,
  ): Promise<ExecResult>;
}

export function commands(
  exec: Exec,
  env: Readonly<Record<string, string | undefined>>,
  dockerConfig: string,
  log: Logger,
): Commands {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) base[name] = value;
  base.DOCKER_CONFIG = dockerConfig;
  return {
    run: (command, args) => exec(command, args, { env: base }),
    async docker(stage, what, args, options = {}) {
      const result = await exec("docker", args, {
        env: { ...base, ...options.env },
        ...(options.input === undefined ? {} : { input: options.input }),
        ...(options.stream ? { onLine: (line: string) => log.info(line) } : {}),
      });
      if (result.exitCode !== 0)
        throw new StageFailure(stage, `${what} failed (docker exit ${result.exitCode})`, excerpt(result));
      return result;
    },
  };
}
