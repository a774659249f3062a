// The push is trusted only when three witnesses name one digest: what `docker push` reported for every
// tag, the engine's RepoDigests entry for the repository, and the registry's own Docker-Content-Digest.

export interface DigestWitnesses {
  /** registry/repository. */
  readonly name: string;
  /** The digest `docker push` reported, per tag (undefined when it reported none). */
  readonly pushed: Readonly<Record<string, string | undefined>>;
  /** `docker image inspect` .RepoDigests. */
  readonly repoDigests: readonly string[];
  readonly registry: string;
}

export type DigestAgreement =
  | { readonly ok: true; readonly digest: string }
  | { readonly ok: false; readonly message: string };

export function digestAgreement(witnesses: DigestWitnesses): DigestAgreement {
  const missing = Object.entries(witnesses.pushed).filter(([, digest]) => !digest);
  if (missing.length > 0)
    return {
      ok: false,
      message: `docker push reported no digest for ${missing.map(([tag]) => `${witnesses.name}:${tag}`).join(", ")}`,
    };
  const pushed = new Set(Object.values(witnesses.pushed));
  const [digest] = [...pushed];
  if (pushed.size !== 1 || digest === undefined)
    return { ok: false, message: `the tags were pushed with different digests: ${[...pushed].join(", ")}` };
  const engine = witnesses.repoDigests
    .find((entry) => entry.startsWith(`${witnesses.name}@`))
    ?.slice(witnesses.name.length + 1);
  if (engine !== digest || witnesses.registry !== digest)
    return {
      ok: false,
      message: `digests disagree: docker push reported ${digest}, docker inspect ${engine ?? "(none)"}, the registry ${witnesses.registry || "(none)"}`,
    };
  return { ok: true, digest };
}
