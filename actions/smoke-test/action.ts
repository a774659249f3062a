import { runIdentity } from "../aks-deploy/context.ts";
import { smokeTestAction } from "./definition.ts";
import { kubeReleaseVerdict, verdictCluster } from "./verdict/kube-verdict.ts";

/** smoke-test as the entries run it: the verdict acts on aks-deploy's release ledger of the named deployment. */
export const smokeTest = smokeTestAction(async (config, context) => {
  if (config.verdict === undefined) return undefined;
  const kubeConfig = await verdictCluster(config.verdict, (value) => context.secret(value));
  return kubeReleaseVerdict(kubeConfig, config.verdict, runIdentity(context.env).url, context);
});
