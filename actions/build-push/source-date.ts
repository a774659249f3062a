// The build's timestamp: SOURCE_DATE_EPOCH when the runner sets it, else the commit's committer time, so the
// image's dates come from the sources and not from the clock.
// https://reproducible-builds.org/docs/source-date-epoch/
import type { Env, Logger } from "../lib/entry/definition.ts";
import type { Commands } from "./docker/commands.ts";

export async function sourceDateEpoch(
  context: string,
  sha: string,
  env: Env,
  run: Commands,
  log: Logger,
): Promise<number | undefined> {
  const given = env.SOURCE_DATE_EPOCH;
  if (given && /^\d+$/.test(given)) return Number(given);
  const git = await run.run("git", ["-C", context, "log", "-1", "--format=%ct", sha]);
  const seconds = git.exitCode === 0 ? git.stdout.trim() : "";
  if (/^\d+$/.test(seconds)) return Number(seconds);
  log.warning(`commit ${sha} is not in the context's git history: no SOURCE_DATE_EPOCH`);
  return undefined;
}
