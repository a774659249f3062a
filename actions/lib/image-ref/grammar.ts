// The image reference grammar of distribution/reference (regexp.go, the grammar Docker, containerd and
// every registry client share), as JavaScript regular expressions built from the same named parts.
// https://github.com/distribution/reference/blob/main/regexp.go

const optional = (...parts: string[]) => `(?:${parts.join("")})?`;
const anyTimes = (...parts: string[]) => `(?:${parts.join("")})*`;
const capture = (...parts: string[]) => `(${parts.join("")})`;
const anchored = (...parts: string[]) => new RegExp(`^${parts.join("")}$`);

const alphanumeric = "[a-z0-9]+";
/** One period, one or two underscores, or any number of dashes. */
const separator = "(?:[._]|__|[-]+)";
const domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const optionalPort = "(?::[0-9]+)?";
const tag = "[\\w][\\w.-]{0,127}";
const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}";
const ipv6address = "\\[(?:[a-fA-F0-9:]+)\\]";
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;
const pathComponent = alphanumeric + anyTimes(separator, alphanumeric);
const remoteName = pathComponent + anyTimes("/", pathComponent);
const namePattern = optional(domainAndPort, "/") + remoteName;

/** name, tag, digest. */
export const referenceRegExp = anchored(
  capture(namePattern),
  optional(":", capture(tag)),
  optional("@", capture(digest)),
);
/** domain (optional), remote name. */
export const anchoredNameRegExp = anchored(optional(capture(domainAndPort), "/"), capture(remoteName));
export const anchoredDomainRegExp = anchored(domainAndPort);
export const anchoredRemoteNameRegExp = anchored(remoteName);
export const anchoredTagRegExp = anchored(tag);
export const anchoredDigestRegExp = anchored(digest);

/** reference.go: NameTotalLengthMax. */
export const nameTotalLengthMax = 255;
