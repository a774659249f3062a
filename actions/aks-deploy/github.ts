// The GitHub Actions entry, bundled into dist/index.mjs (action.yml runs it on node24).
import { runGitHubAction } from "../lib/entry/github.ts";
import { aksDeploy } from "./definition.ts";

await runGitHubAction(aksDeploy);
