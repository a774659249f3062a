import { parseArgs } from "node:util";
import { ExitCode, runCli } from "../../local/common/exit-code.ts";
import { withDatabase } from "../db/with-database.ts";
import { ADMIN_SCOPE } from "./principal.ts";
import { createToken } from "./tokens.ts";

const USAGE = "usage: tsx server/auth/cli.ts create-token --user NAME [--admin] [--label TEXT]";

/** Creates a bearer token and prints it once on stdout (only its hash is stored). */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: "string" },
      admin: { type: "boolean", default: false },
      label: { type: "string" },
    },
  });
  if (positionals[0] !== "create-token" || !values.user) {
    process.stderr.write(`${USAGE}\n`);
    return ExitCode.InvalidInput;
  }
  const userName = values.user;
  const created = await withDatabase((sql) =>
    createToken(sql, { userName, scopes: values.admin ? [ADMIN_SCOPE] : [], label: values.label ?? "" }),
  );
  process.stderr.write(
    `token ${created.tokenId} for user ${userName} (id ${created.userId})${values.admin ? ", admin" : ""}:\n`,
  );
  process.stdout.write(`${created.token}\n`);
  return ExitCode.Ok;
}

await runCli(main);
