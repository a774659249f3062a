// Raw inputs and the runner's environment -> the typed config build-push runs on. Every problem is listed
// at once, naming the input; nothing is built or sent when there is one (exit 3).
import { statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { type AzureCredentialOptions, azureCredentialOptions } from "../lib/azure/credential.ts";
import type { Env, Parsed, RawInputs } from "../lib/entry/definition.ts";
import { booleanInput, listInput, requiredInput, stringInput } from "../lib/entry/inputs.ts";
import { registryHostProblem, repositoryProblem, tagProblem } from "../lib/image-ref/parse.ts";
import type { Problem } from "../lib/report/problem.ts";

export type RegistryAuth =
  | { readonly kind: "acr"; readonly credential: AzureCredentialOptions }
  | { readonly kind: "basic"; readonly username: string; readonly password: string };

export interface BuildPushConfig {
  /** Absolute path of the build context. */
  readonly context: string;
  /** Absolute path of the Dockerfile. */
  readonly dockerfile: string;
  readonly registry: string;
  readonly repository: string;
  /** How to log in to the registry; absent when nothing is pushed. */
  readonly auth?: RegistryAuth;
  /** The commit: the first tag, the revision label, and where SOURCE_DATE_EPOCH comes from. */
  readonly sha: string;
  readonly version?: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly network?: string;
  readonly push: boolean;
}

const buildArgName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const networks = new Set(["default", "host", "none", "bridge"]);

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

function parseAuth(kind: string, env: Env, problems: Problem[]): RegistryAuth | undefined {
  if (kind === "basic") {
    const missing = ["REGISTRY_USERNAME", "REGISTRY_PASSWORD"].filter((name) => !env[name]);
    for (const name of missing)
      problems.push({ file: `environment ${name}`, message: "is required with registry-kind basic" });
    return missing.length > 0
      ? undefined
      : { kind, username: env.REGISTRY_USERNAME ?? "", password: env.REGISTRY_PASSWORD ?? "" };
  }
  if (kind === "acr") {
    const choice = azureCredentialOptions(env);
    if (!choice.ok) {
      problems.push(...choice.problems);
      return undefined;
    }
    return { kind, credential: choice.options };
  }
  problems.push({ file: "input registry-kind", message: `"${kind}" is not acr or basic` });
  return undefined;
}

export function parseBuildPushInputs(
  inputs: RawInputs,
  env: Env,
  cwd = process.cwd(),
): Parsed<BuildPushConfig> {
  const problems: Problem[] = [];
  const check = (input: string, problem: string | undefined) => {
    if (problem !== undefined) problems.push({ file: `input ${input}`, message: problem });
  };

  const context = resolve(cwd, stringInput(inputs, "context") ?? ".");
  const dockerfileInput = stringInput(inputs, "dockerfile") ?? "Dockerfile";
  const dockerfile = isAbsolute(dockerfileInput) ? dockerfileInput : join(context, dockerfileInput);
  if (!isDirectory(context)) check("context", `${context} is not a folder`);
  else if (!isFile(dockerfile)) check("dockerfile", `${dockerfile} does not exist`);

  const registry = requiredInput(inputs, "registry", problems);
  if (registry !== undefined) check("registry", registryHostProblem(registry));
  const repository = requiredInput(inputs, "repository", problems);
  if (repository !== undefined) check("repository", repositoryProblem(repository));

  const sha = stringInput(inputs, "sha") ?? env.GITHUB_SHA ?? env.GIT_COMMIT;
  if (sha === undefined)
    problems.push({
      file: "input sha",
      message: "is required when neither GITHUB_SHA nor GIT_COMMIT is set",
    });
  else if (!/^[0-9a-f]{7,64}$/.test(sha))
    check("sha", `"${sha}" is not a commit SHA (7 to 64 lower-case hex digits)`);
  const version = stringInput(inputs, "version");
  if (version !== undefined) check("version", tagProblem(version));

  const buildArgs: Record<string, string> = {};
  for (const line of listInput(inputs, "build-args")) {
    const equals = line.indexOf("=");
    const name = equals < 0 ? line : line.slice(0, equals);
    if (equals < 0 || !buildArgName.test(name))
      check("build-args", `"${name}" is not NAME=value with NAME a letter or _ then letters, digits or _`);
    else buildArgs[name] = line.slice(equals + 1);
  }
  const network = stringInput(inputs, "network");
  if (network !== undefined && !networks.has(network))
    check("network", `"${network}" is not one of ${[...networks].join(", ")}`);
  const push = booleanInput(inputs, "push", true, problems);
  const auth = push ? parseAuth(stringInput(inputs, "registry-kind") ?? "acr", env, problems) : undefined;

  if (problems.length > 0 || registry === undefined || repository === undefined || sha === undefined)
    return { ok: false, problems };
  return {
    ok: true,
    config: {
      context,
      dockerfile,
      registry,
      repository,
      ...(auth === undefined ? {} : { auth }),
      sha,
      ...(version === undefined ? {} : { version }),
      buildArgs,
      ...(network === undefined ? {} : { network }),
      push,
    },
  };
}
