// The CLI entry: `npx tsx actions/build-push --help`; the Jenkinsfile runs the same with --report/--summary.
import { runCliProcess } from "../lib/entry/cli.ts";
import { buildPush } from "./definition.ts";

await runCliProcess(buildPush);
