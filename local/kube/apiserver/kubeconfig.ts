// The kubeconfig clients use to reach the platform (written with mode 0600: it holds the token).
import { stringify } from "yaml";

export const contextName = "cloudjobhunt-local";

export function kubeconfigYaml(server: string, token: string, caCertificate: string): string {
  const cluster =
    caCertificate === ""
      ? { server }
      : { server, "certificate-authority-data": Buffer.from(caCertificate).toString("base64") };
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: contextName, cluster }],
    users: [{ name: contextName, user: { token } }],
    contexts: [
      { name: contextName, context: { cluster: contextName, user: contextName, namespace: "default" } },
    ],
    "current-context": contextName,
    preferences: {},
  });
}
