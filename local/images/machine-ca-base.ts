// Where this machine reaches the npm registry through a TLS-inspecting proxy (its CA in NODE_EXTRA_CA_CERTS,
// which the host's npm uses), the Dockerfile's `npm ci` needs that CA too. A whole CA bundle is too long for
// a build argument (one argv string), so builds on such a machine go FROM a copy of node-base that trusts
// it (a public certificate, no secret), passed as the Dockerfile's BASE_IMAGE.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker } from "./docker-cli.ts";
import { nodeBaseImage } from "./node-base-image.ts";

export const nodeBaseTrustingMachineCa = `${nodeBaseImage}-machine-ca`;

/** The BASE_IMAGE build argument this machine's builds need: none without NODE_EXTRA_CA_CERTS. */
export async function machineBuildArgs(
  dockerHost: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  const caFile = env.NODE_EXTRA_CA_CERTS;
  if (!caFile) return {};
  const context = await mkdtemp(join(tmpdir(), "cjh-base-ca-"));
  try {
    await copyFile(caFile, join(context, "machine-ca.crt"));
    await writeFile(
      join(context, "Dockerfile"),
      `FROM ${nodeBaseImage}\nCOPY machine-ca.crt /usr/local/share/machine-ca.crt\nENV NODE_EXTRA_CA_CERTS=/usr/local/share/machine-ca.crt\n`,
    );
    await docker(dockerHost, [
      "build",
      "--pull=false",
      "--network=none",
      "-q",
      "-t",
      nodeBaseTrustingMachineCa,
      context,
    ]);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return { BASE_IMAGE: nodeBaseTrustingMachineCa };
}
