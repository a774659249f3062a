// A client-node KubeConfig from a kubeconfig file and optional context, checked before anything is sent:
// every problem names the input and what is wrong, and the credentials it holds are handed to `secret` so
// they are masked wherever text leaves the process.
import { readFileSync, statSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import type { Problem } from "../report/problem.ts";

export type KubeConfigLoad =
  | { readonly ok: true; readonly kubeConfig: KubeConfig }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Every credential a kubeconfig user may carry (tokens, passwords, private keys). */
export function kubeConfigSecrets(kubeConfig: KubeConfig): string[] {
  return kubeConfig.users.flatMap((user) =>
    [user.token, user.password, user.keyData, user.authProvider?.config?.["access-token"]].filter(
      (value): value is string => typeof value === "string" && value !== "",
    ),
  );
}

export function loadKubeConfigFile(
  path: string,
  context: string | undefined,
  secret: (value: string) => void,
): KubeConfigLoad {
  const where = `input kubeconfig (${path})`;
  const fail = (message: string, hint?: string): KubeConfigLoad => ({
    ok: false,
    problems: [{ file: where, message, ...(hint ? { hint } : {}) }],
  });
  let text: string;
  try {
    if (!statSync(path).isFile()) return fail("is not a file");
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === "ENOENT" ? "no such file" : `cannot be read (${code ?? "error"})`);
  }
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(text);
  } catch (error) {
    return fail(
      `is not a kubeconfig: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
  for (const value of kubeConfigSecrets(kubeConfig)) secret(value);
  if (context !== undefined) {
    if (!kubeConfig.contexts.some((candidate) => candidate.name === context)) {
      const known = kubeConfig.contexts.map((candidate) => candidate.name).join(", ") || "none";
      return {
        ok: false,
        problems: [
          {
            file: "input context",
            message: `no context "${context}" in ${path}`,
            hint: `contexts: ${known}`,
          },
        ],
      };
    }
    kubeConfig.setCurrentContext(context);
  }
  const current = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
  if (!current) return fail("names no current context", "set current-context or give the context input");
  const cluster = kubeConfig.getCluster(current.cluster);
  if (!cluster)
    return fail(`context "${current.name}" names cluster "${current.cluster}", which is not defined`);
  if (!/^https?:\/\//.test(cluster.server))
    return fail(`cluster "${cluster.name}" has server "${cluster.server}", which is not an http(s) URL`);
  if (current.user && !kubeConfig.getUser(current.user))
    return fail(`context "${current.name}" names user "${current.user}", which is not defined`);
  return { ok: true, kubeConfig };
}
