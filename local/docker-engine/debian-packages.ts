// The platform needs a few Debian packages (docker.io, docker-registry, debootstrap, busybox-static). On a
// fresh Debian machine run as root it installs them itself; anywhere else it names exactly what to install.
import { access } from "node:fs/promises";
import { execFileAsync } from "../common/exec-file.ts";

export class MissingPackageError extends Error {
  constructor(
    readonly packages: readonly string[],
    why: string,
  ) {
    super(
      `${why}: install the Debian package(s) ${packages.join(" ")} (as root: apt-get install -y ${packages.join(" ")})`,
    );
    this.name = "MissingPackageError";
  }
}

async function present(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function canInstallDebianPackages(): Promise<boolean> {
  return (
    process.getuid?.() === 0 && (await present("/etc/debian_version")) && (await present("/usr/bin/apt-get"))
  );
}

/**
 * Makes sure each program exists, installing its package when allowed; throws MissingPackageError naming the
 * packages otherwise. `needs` maps an absolute program path to the Debian package that ships it.
 */
export async function ensureDebianPackages(
  needs: Readonly<Record<string, string>>,
  why: string,
  options: { install?: boolean } = {},
): Promise<void> {
  const missing: string[] = [];
  for (const [program, pkg] of Object.entries(needs)) {
    if (!(await present(program)) && !missing.includes(pkg)) missing.push(pkg);
  }
  if (missing.length === 0) return;
  if (!(options.install ?? true) || !(await canInstallDebianPackages()))
    throw new MissingPackageError(missing, why);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await execFileAsync("apt-get", ["update"], { env, maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
  await execFileAsync("apt-get", ["install", "-y", "--no-install-recommends", ...missing], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
}
