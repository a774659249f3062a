// Bundles each action's GitHub entry (actions/<name>/github.ts) into actions/<name>/dist/index.mjs: one ESM file
// with every dependency inlined, because a runner gets exactly the committed files and installs nothing
// (actions/typescript-action does the same with dist/). `--check` rebuilds in memory and fails when a committed
// bundle differs, so the bundle cannot drift from its sources.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { runCli } from "../local/common/exit-code.ts";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const actionsDir = join(repositoryRoot, "actions");

export interface Bundle {
  readonly action: string;
  readonly path: string;
  readonly text: string;
}

export function actionsWithEntries(): string[] {
  return readdirSync(actionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(actionsDir, entry.name, "github.ts")))
    .map((entry) => entry.name)
    .sort();
}

export async function bundleAction(action: string): Promise<Bundle> {
  const result = await build({
    absWorkingDir: repositoryRoot,
    entryPoints: [join("actions", action, "github.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    write: false,
    outfile: join("actions", action, "dist", "index.mjs"),
    legalComments: "eof",
    logLevel: "silent",
    // CommonJS dependencies call require() for Node's built-ins; an ES module has none of its own.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild produced no output for actions/${action}`);
  return { action, path: output.path, text: output.text };
}

/** Bundles that differ from (or are missing in) the working tree, as repository-relative paths. */
export async function staleBundles(actions = actionsWithEntries()): Promise<string[]> {
  const stale: string[] = [];
  for (const action of actions) {
    const bundle = await bundleAction(action);
    const committed = existsSync(bundle.path) ? readFileSync(bundle.path, "utf8") : undefined;
    if (committed !== bundle.text) stale.push(relative(repositoryRoot, bundle.path));
  }
  return stale;
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes("--check")) {
    const stale = await staleBundles();
    for (const path of stale)
      process.stderr.write(`${path} differs from its sources: run npm run build:actions\n`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const action of actionsWithEntries()) {
    const bundle = await bundleAction(action);
    await mkdir(dirname(bundle.path), { recursive: true });
    await writeFile(bundle.path, bundle.text);
    process.stdout.write(
      `${relative(repositoryRoot, bundle.path)} (${Math.round(bundle.text.length / 1024)} KiB)\n`,
    );
  }
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runCli(main);
}
