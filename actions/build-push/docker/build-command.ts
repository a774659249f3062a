// The docker build command line: BuildKit through buildx when the client has it (registry cache, and
// SOURCE_DATE_EPOCH honoured by BuildKit >= 0.11), else the classic builder (local layer cache only).
// Either way the commit time goes in as SOURCE_DATE_EPOCH and as the OCI `created` label, so that a rebuild
// of the same commit produces the same image and the same digest.
// https://docs.docker.com/build/ci/github-actions/reproducible-builds/
export type Builder = "buildx" | "classic";

export interface BuildRequest {
  readonly builder: Builder;
  readonly context: string;
  readonly dockerfile: string;
  /** registry/repository. */
  readonly name: string;
  readonly tags: readonly string[];
  readonly revision: string;
  readonly version?: string;
  /** Seconds since the epoch of the commit, when known. */
  readonly sourceDateEpoch?: number;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly network?: string;
  /** Where docker writes the built image's ID. */
  readonly iidFile: string;
}

export function buildArgv(request: BuildRequest): string[] {
  const created =
    request.sourceDateEpoch === undefined
      ? undefined
      : new Date(request.sourceDateEpoch * 1000).toISOString();
  const buildArgs: Record<string, string> = {
    REVISION: request.revision,
    ...(request.version === undefined ? {} : { VERSION: request.version }),
    ...(created === undefined ? {} : { CREATED: created }),
    ...(request.sourceDateEpoch === undefined ? {} : { SOURCE_DATE_EPOCH: String(request.sourceDateEpoch) }),
    ...request.buildArgs,
  };
  const labels: Record<string, string> = {
    "org.opencontainers.image.revision": request.revision,
    ...(request.version === undefined ? {} : { "org.opencontainers.image.version": request.version }),
    ...(created === undefined ? {} : { "org.opencontainers.image.created": created }),
  };
  const cacheRef = `${request.name}:buildcache`;
  return [
    ...(request.builder === "buildx" ? ["buildx", "build", "--load"] : ["build"]),
    "--file",
    request.dockerfile,
    ...request.tags.flatMap((tag) => ["--tag", `${request.name}:${tag}`]),
    ...Object.entries(labels).flatMap(([name, value]) => ["--label", `${name}=${value}`]),
    ...Object.entries(buildArgs).flatMap(([name, value]) => ["--build-arg", `${name}=${value}`]),
    ...(request.network === undefined ? [] : ["--network", request.network]),
    ...(request.builder === "buildx"
      ? [
          "--cache-from",
          `type=registry,ref=${cacheRef}`,
          "--cache-to",
          `type=registry,ref=${cacheRef},mode=max`,
        ]
      : []),
    "--iidfile",
    request.iidFile,
    request.context,
  ];
}
