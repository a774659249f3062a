// Image references as the registry sees them: registry host (with port), repository, tag and/or digest.
// The syntax is distribution/reference's (grammar.ts); the deployment pipeline additionally requires the
// registry host to be written out, as Docker's short names ("nginx", "library/nginx") would name a public
// registry. Which first component is a host follows normalize.go's splitDockerDomain: it has a "." or a
// ":", is "localhost", or is a bracketed IPv6 address.
// https://github.com/distribution/reference/blob/main/normalize.go
import {
  anchoredDigestRegExp,
  anchoredDomainRegExp,
  anchoredRemoteNameRegExp,
  anchoredTagRegExp,
  nameTotalLengthMax,
  referenceRegExp,
} from "./grammar.ts";

export interface ImageReference {
  /** Registry host, with its port when written, e.g. myacr.azurecr.io or 127.0.0.1:5000. */
  registry: string;
  /** Repository path inside the registry, e.g. cloudjobhunt/api. */
  repository: string;
  tag?: string;
  /** algorithm:hex, e.g. sha256:… */
  digest?: string;
}

export class ImageReferenceError extends Error {
  constructor(
    readonly text: string,
    readonly reason: string,
  ) {
    super(`invalid image reference ${JSON.stringify(text)}: ${reason}`);
    this.name = "ImageReferenceError";
  }
}

/** go-digest's registered algorithms and the length of their lower-case hex encoding. */
const digestHexLength: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Why a registry host is not one (undefined when it is), e.g. for an action's `registry` input. */
export function registryHostProblem(host: string): string | undefined {
  if (host === "") return "the registry host is empty";
  if (host.includes("/")) return `registry host ${JSON.stringify(host)} must not contain "/"`;
  if (!anchoredDomainRegExp.test(host))
    return `registry host ${JSON.stringify(host)} is not a host name or address with an optional :port`;
  if (!looksLikeHost(host))
    return `registry host ${JSON.stringify(host)} needs a "." or a ":port" (or be localhost), else Docker reads it as a repository path`;
  return undefined;
}

/** Why a repository path is not one (undefined when it is). */
export function repositoryProblem(repository: string): string | undefined {
  if (repository === "") return "the repository is empty";
  if (anchoredRemoteNameRegExp.test(repository)) return undefined;
  if (anchoredRemoteNameRegExp.test(repository.toLowerCase()))
    return `repository ${JSON.stringify(repository)} must be lowercase`;
  return `repository ${JSON.stringify(repository)} must be lowercase letters and digits in "/"-separated components, joined by ".", "_", "__" or dashes`;
}

/** Why a tag is not one (undefined when it is). */
export function tagProblem(tag: string): string | undefined {
  if (anchoredTagRegExp.test(tag)) return undefined;
  return `tag ${JSON.stringify(tag)} must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`;
}

/** Why a digest is not one (undefined when it is). */
export function digestProblem(digest: string): string | undefined {
  if (!anchoredDigestRegExp.test(digest))
    return `digest ${JSON.stringify(digest)} must be algorithm:hex, e.g. sha256:<64 hex digits>`;
  const [algorithm = "", hex = ""] = digest.split(":");
  const length = digestHexLength[algorithm];
  if (length === undefined)
    return `digest algorithm ${JSON.stringify(algorithm)} is not sha256, sha384 or sha512`;
  if (!new RegExp(`^[a-f0-9]{${length}}$`).test(hex))
    return `a ${algorithm} digest has ${length} lower-case hex digits, got ${JSON.stringify(hex)}`;
  return undefined;
}

function looksLikeHost(component: string): boolean {
  return (
    component.includes(".") ||
    component.includes(":") ||
    component === "localhost" ||
    component.startsWith("[")
  );
}

export function parseImageReference(text: string): ImageReference {
  const fail = (reason: string): never => {
    throw new ImageReferenceError(text, reason);
  };
  if (text === "") fail("it is empty");
  if (/\s/.test(text)) fail("it contains whitespace");
  const match = referenceRegExp.exec(text);
  if (!match) {
    if (referenceRegExp.test(text.toLowerCase())) fail("the repository must be lowercase");
    const at = text.indexOf("@");
    if (at >= 0) {
      const problem = digestProblem(text.slice(at + 1));
      if (problem) fail(problem);
    }
    const name = at >= 0 ? text.slice(0, at) : text;
    const colon = name.lastIndexOf(":");
    if (colon > name.lastIndexOf("/")) {
      const problem = tagProblem(name.slice(colon + 1));
      if (problem) fail(problem);
    }
    fail("it is not [registry/]repository[:tag][@digest] by the distribution grammar");
  }
  const [, name = "", tag, digest] = match ?? [];
  if (name.length > nameTotalLengthMax) fail(`the name is longer than ${nameTotalLengthMax} characters`);
  const slash = name.indexOf("/");
  const registry = slash >= 0 ? name.slice(0, slash) : "";
  if (slash < 0 || !looksLikeHost(registry))
    fail("it names no registry host: write it as <registry>/<repository>, e.g. myacr.azurecr.io/team/app");
  if (digest) {
    const problem = digestProblem(digest);
    if (problem) fail(problem);
  }
  return {
    registry,
    repository: name.slice(slash + 1),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

export function formatImageReference(reference: ImageReference): string {
  const tag = reference.tag === undefined ? "" : `:${reference.tag}`;
  const digest = reference.digest === undefined ? "" : `@${reference.digest}`;
  return `${reference.registry}/${reference.repository}${tag}${digest}`;
}
