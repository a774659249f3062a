// The image the API runs on: only the Node binary, the shared libraries it links (as ldd lists them in
// node-base, so they are the very ones the builder stage ran with), CA certificates, passwd/group entries
// for root and node (uid 1000), and a sticky /tmp. No shell and no package manager, like the pause image
// or a distroless base: nothing in a running container can install or exec what the image did not ship.
// Made FROM node-base with a multi-stage build, no pull; the CA bundle is Node's own (tls.rootCertificates,
// Mozilla's set compiled into the binary), so the image trusts what Node trusts and no machine CA leaks in.
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker, imageLabel, inputsLabel } from "./docker-cli.ts";
import { nodeBaseImage, projectNodeVersion } from "./node-base-image.ts";

export const nodeRuntimeImage = "cloudjobhunt/node-runtime:24";
/** Marks the gathering stage, which the legacy builder keeps as an untagged image: pruned after the build. */
const filesStageLabel = "org.cloudjobhunt.node-runtime-files";
/** Bump when the recipe below changes, so the image is rebuilt. */
const recipe = "node+ldd-libs+ca+passwd+tmp.v1";

/** The files of the runtime image, gathered in node-base under /runtime, then copied alone onto scratch. */
function dockerfile(nodeVersion: string, inputs: string): string {
  const gather = [
    "set -eu",
    "out=/runtime",
    "mkdir -p $out/usr/local/bin $out/etc/ssl/certs $out/tmp $out/home/node",
    "cp /usr/local/bin/node $out/usr/local/bin/node",
    // ldd prints `name => /path (addr)` and `/lib64/ld-linux… (addr)`: every absolute path is a file to copy.
    "for lib in $(ldd /usr/local/bin/node | grep -o '/[^ ]*'); do cp -L --parents \"$lib\" $out; done",
    "node -e \"process.stdout.write(require('node:tls').rootCertificates.join('\\\\n') + '\\\\n')\" > $out/etc/ssl/certs/ca-certificates.crt",
    "printf 'root:x:0:0:root:/root:/sbin/nologin\\nnode:x:1000:1000:node:/home/node:/sbin/nologin\\n' > $out/etc/passwd",
    "printf 'root:x:0:\\nnode:x:1000:\\n' > $out/etc/group",
    "printf 'hosts: files dns\\n' > $out/etc/nsswitch.conf",
    "chmod 1777 $out/tmp",
    "chown 1000:1000 $out/home/node",
  ].join("; \\\n    ");
  return [
    `FROM ${nodeBaseImage} AS files`,
    `LABEL ${filesStageLabel}=true`,
    `RUN ${gather}`,
    "",
    "FROM scratch",
    "COPY --from=files /runtime /",
    "ENV PATH=/usr/local/bin \\",
    `    NODE_VERSION=${nodeVersion} \\`,
    "    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
    `LABEL ${inputsLabel}=${inputs}`,
    'CMD ["node"]',
    "",
  ].join("\n");
}

/** Builds the runtime image from node-base (which must exist: ensureNodeBaseImage makes it). */
export async function ensureNodeRuntimeImage(options: {
  dockerHost: string;
  log?: (line: string) => void;
}): Promise<string> {
  const baseInputs = await imageLabel(options.dockerHost, nodeBaseImage, inputsLabel);
  if (!baseInputs)
    throw new Error(`${nodeRuntimeImage} is made from ${nodeBaseImage}: run npm run images:base`);
  const nodeVersion = projectNodeVersion();
  const inputs = createHash("sha256")
    .update([baseInputs, nodeVersion, recipe].join("|"))
    .digest("hex")
    .slice(0, 16);
  if ((await imageLabel(options.dockerHost, nodeRuntimeImage, inputsLabel)) === inputs)
    return nodeRuntimeImage;

  options.log?.(`making ${nodeRuntimeImage} (Node ${nodeVersion} and its libraries, no shell)`);
  const context = await mkdtemp(join(tmpdir(), "cjh-node-runtime-"));
  try {
    await writeFile(join(context, "Dockerfile"), dockerfile(nodeVersion, inputs));
    await docker(options.dockerHost, [
      "build",
      "--pull=false",
      "--network=none",
      "-q",
      "-t",
      nodeRuntimeImage,
      context,
    ]);
    await docker(options.dockerHost, ["image", "prune", "-f", "--filter", `label=${filesStageLabel}`]);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return nodeRuntimeImage;
}
