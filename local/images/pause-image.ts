// The pause image every pod's sandbox runs (it holds the pod's network namespace): FROM scratch plus
// Debian's static busybox, sleeping until SIGTERM and then exiting 0. Made locally, never pulled.

import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileAsync } from "../common/exec-file.ts";
import { ensureDebianPackages } from "../docker-engine/debian-packages.ts";
import { docker, imageLabel, inputsLabel } from "./docker-cli.ts";

export const pauseImage = "cloudjobhunt/pause:1";
const busybox = "/bin/busybox";

const pauseScript = `#!/bin/sh
# Holds the pod's namespaces; exits 0 on TERM or INT so that stopping a pod is clean.
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
`;

export async function ensurePauseImage(
  dockerHost: string,
  options: { installPackages?: boolean } = {},
): Promise<string> {
  // busybox-static's copyright file tells it apart from the dynamically linked busybox package.
  await ensureDebianPackages(
    { [busybox]: "busybox-static", "/usr/share/doc/busybox-static/copyright": "busybox-static" },
    "the pause image needs a static busybox",
    { install: options.installPackages },
  );
  const inputs = createHash("sha256")
    .update(await readFile(busybox))
    .update(pauseScript)
    .digest("hex")
    .slice(0, 16);
  if ((await imageLabel(dockerHost, pauseImage, inputsLabel)) === inputs) return pauseImage;

  const work = await mkdtemp(join(tmpdir(), "cjh-pause-"));
  try {
    const root = join(work, "root");
    await mkdir(join(root, "bin"), { recursive: true });
    await copyFile(busybox, join(root, "bin", "busybox"));
    const { stdout } = await execFileAsync(busybox, ["--list"]);
    for (const applet of stdout.split("\n").filter((name) => name && name !== "busybox")) {
      await symlink("busybox", join(root, "bin", applet));
    }
    await writeFile(join(root, "pause"), pauseScript, { mode: 0o755 });
    const tarball = join(work, "pause.tar");
    await execFileAsync("tar", ["-C", root, "--owner=0", "--group=0", "-cf", tarball, "."]);
    const change = ["--change", 'ENTRYPOINT ["/pause"]', "--change", `LABEL ${inputsLabel}=${inputs}`];
    await docker(dockerHost, ["import", ...change, tarball, pauseImage]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return pauseImage;
}
