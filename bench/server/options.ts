import { parseArgs } from "node:util";
import { InvalidInputError } from "../../local/common/exit-code.ts";

export interface BenchOptions {
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  postings: number;
  poolMax: number;
  wrkThreads: number;
  /** Scrapes per second sent to the app's metrics port during the flooded search runs. */
  scrapeRate: number;
}

const defaults: BenchOptions = {
  rounds: 5,
  durationSeconds: 5,
  warmupSeconds: 3,
  connections: 64,
  postings: 100_000,
  // The API's default DB_POOL_MAX; every search contender gets the same pool size.
  poolMax: 10,
  wrkThreads: 1,
  // Above the 139 scrapes/s that took /jobs from 1 570 to 32 req/s when /metrics was on the public port.
  scrapeRate: 150,
};

const flags = {
  rounds: "rounds",
  duration: "durationSeconds",
  warmup: "warmupSeconds",
  connections: "connections",
  postings: "postings",
  pool: "poolMax",
  "wrk-threads": "wrkThreads",
  "scrape-rate": "scrapeRate",
} as const satisfies Record<string, keyof BenchOptions>;

export const usage = `usage: npm run bench:server -- [${Object.keys(flags)
  .map((flag) => `--${flag} N`)
  .join("] [")}]`;

/** Reads the command line; every option is a positive integer with a default sized for a few minutes' run. */
export function parseOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: Object.fromEntries(Object.keys(flags).map((flag) => [flag, { type: "string" }])),
    strict: true,
  });
  const options = { ...defaults };
  for (const [flag, key] of Object.entries(flags)) {
    const given = values[flag];
    if (typeof given !== "string") continue;
    if (!/^\d+$/.test(given) || Number(given) < 1) {
      throw new InvalidInputError(`--${flag} must be a positive integer (got "${given}")\n${usage}`);
    }
    options[key] = Number(given);
  }
  return options;
}
