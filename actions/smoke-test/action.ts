import { hostname, userInfo } from "node:os";
import { smokeTestAction } from "./definition.ts";
import { connectToCluster, kubeReleaseVerdict } from "./verdict/kube-verdict.ts";

/** smoke-test as the entries run it: the verdict acts on aks-deploy's release ledger of the named deployment. */
export const smokeTest = smokeTestAction(async (config, context) => {
  if (config.verdict === undefined) return undefined;
  const kubeConfig = await connectToCluster(config.verdict.cluster, (value) => context.secret(value));
  return kubeReleaseVerdict(kubeConfig, config.verdict, runIdentity(context.env));
});

/** Who verified a release: the GitHub run, the Jenkins build, or user@host. */
function runIdentity(env: Readonly<Record<string, string | undefined>>): string {
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  return env.BUILD_URL ?? `${userInfo().username}@${hostname()}`;
}
