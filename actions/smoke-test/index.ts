// The CLI entry: `npx tsx actions/smoke-test --help`; the Jenkinsfile runs the same with --report/--summary.
import { runCliProcess } from "../lib/entry/cli.ts";
import { smokeTest } from "./action.ts";

await runCliProcess(smokeTest);
