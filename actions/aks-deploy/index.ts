// The CLI entry: `npx tsx actions/aks-deploy --help`; the Jenkinsfile runs the same with --report/--summary.
import { runCliProcess } from "../lib/entry/cli.ts";
import { aksDeploy } from "./definition.ts";

await runCliProcess(aksDeploy);
