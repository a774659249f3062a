// The digest the registry itself holds for a tag, read back over the OCI distribution API: HEAD
// /v2/<name>/manifests/<tag> answers Docker-Content-Digest. A Bearer challenge is answered as docker does
// (token spec: GET the realm with basic credentials, service and scope); ACR accepts its refresh token as
// the password of the all-zero user there. Loopback registries without TLS are spoken to over http, as the
// engine does for 127.0.0.0/8.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#checking-if-content-exists-in-the-registry
// https://distribution.github.io/distribution/spec/auth/token/
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

const manifestTypes = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, "");
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `Bearer realm="…",service="…",scope="…"` -> its parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const scheme = header.split(" ", 1)[0]?.toLowerCase() ?? "";
  const params: Record<string, string> = {};
  for (const match of header.slice(scheme.length).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) {
    if (match[1] !== undefined && match[2] !== undefined) params[match[1]] = match[2];
  }
  return { scheme, params };
}

function basic(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

async function bearerToken(
  challenge: Record<string, string>,
  credentials: RegistryCredentials,
): Promise<string> {
  const realm = challenge.realm;
  if (!realm) throw new Error("the registry's Bearer challenge names no realm");
  const url = new URL(realm);
  if (challenge.service) url.searchParams.set("service", challenge.service);
  if (challenge.scope) url.searchParams.set("scope", challenge.scope);
  const response = await fetch(url, { headers: { authorization: basic(credentials) } });
  const body = (await response.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
  const token = body.token ?? body.access_token;
  if (!response.ok || typeof token !== "string")
    throw new Error(
      `the registry's token service ${url.origin} answered HTTP ${response.status} without a token`,
    );
  return token;
}

async function headManifest(base: string, repository: string, reference: string, authorization?: string) {
  return fetch(`${base}/v2/${repository}/manifests/${reference}`, {
    method: "HEAD",
    headers: { accept: manifestTypes, ...(authorization ? { authorization } : {}) },
  });
}

export async function registryManifestDigest(
  registry: string,
  repository: string,
  reference: string,
  credentials: RegistryCredentials | undefined,
): Promise<string> {
  let base = `https://${registry}`;
  let response = await headManifest(base, repository, reference).catch(async (error: unknown) => {
    if (!isLoopback(registry)) throw error;
    base = `http://${registry}`;
    return headManifest(base, repository, reference);
  });
  if (response.status === 401) {
    const { scheme, params } = parseChallenge(response.headers.get("www-authenticate") ?? "");
    if (!credentials) throw new Error(`${registry} asks for credentials and none were given`);
    const authorization =
      scheme === "bearer" ? `Bearer ${await bearerToken(params, credentials)}` : basic(credentials);
    response = await headManifest(base, repository, reference, authorization);
  }
  if (!response.ok)
    throw new Error(`HEAD ${base}/v2/${repository}/manifests/${reference} answered HTTP ${response.status}`);
  const digest = response.headers.get("docker-content-digest");
  if (!digest)
    throw new Error(`${registry} answered no Docker-Content-Digest for ${repository}:${reference}`);
  return digest;
}
