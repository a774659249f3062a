import { parseArgs } from "node:util";
import { ExitCode, runCli } from "../../../local/common/exit-code.ts";
import { loadConfig } from "../../config/env.ts";
import { withDatabase } from "../../db/with-database.ts";
import { importLinkedIn } from "./import.ts";

const USAGE = "usage: tsx server/imports/linkedin/cli.ts [--keywords TEXT] [--max-pages N]";

/** Runs one LinkedIn import against the configured database and prints the report as JSON. */
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { keywords: { type: "string" }, "max-pages": { type: "string" } },
  });
  const maxPagesText = values["max-pages"];
  if (maxPagesText !== undefined && !/^[1-9]\d{0,4}$/.test(maxPagesText)) {
    process.stderr.write(`--max-pages must be a positive integer\n${USAGE}\n`);
    return ExitCode.InvalidInput;
  }
  const { linkedin } = loadConfig();
  const { baseUrl, token } = linkedin;
  if (baseUrl === undefined || token === undefined) {
    process.stderr.write("set LINKEDIN_BASE_URL and LINKEDIN_TOKEN to import from LinkedIn\n");
    return ExitCode.InvalidInput;
  }
  const report = await withDatabase((sql) =>
    importLinkedIn(
      sql,
      { ...linkedin, baseUrl, token },
      {
        keywords: values.keywords,
        maxPages: maxPagesText === undefined ? linkedin.maxPages : Number(maxPagesText),
      },
    ),
  );
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return ExitCode.Ok;
}

await runCli(main);
