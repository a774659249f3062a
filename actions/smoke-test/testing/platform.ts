// The local platform started in-process for the Ingress tests: API server, controllers (simulated pods),
// service proxy and Ingress gateway. Tests reach it only as a user would: its kubeconfig, the Ingress URL it
// records in ingress.json and its CA certificate.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { realClock } from "../../../local/kube/clock/clock.ts";
import { startPlatform } from "../../../local/platform/start-platform.ts";

export interface IngressPlatform {
  readonly kubeconfigPath: string;
  readonly kubeConfig: KubeConfig;
  /** https://127.0.0.1:<port> of the Ingress gateway. */
  readonly ingressUrl: URL;
  /** Path of the platform CA certificate (what NODE_EXTRA_CA_CERTS or ca-file needs). */
  readonly caFile: string;
  close(): Promise<void>;
}

/** `images`: what the simulated registry serves; "any" pulls every reference (a digest is kept as given). */
export async function startIngressPlatform(
  images: readonly string[] | "any" = "any",
): Promise<IngressPlatform> {
  const stateDir = mkdtempSync(join(tmpdir(), "smoke-platform-"));
  const platform = await startPlatform({
    stateDir,
    clock: realClock,
    components: ["api-server", "controllers", "service-proxy", "ingress"],
    simulatedRegistry: images === "any" ? "any" : [...images],
    log: () => {},
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(platform.kubeconfigPath);
  const { url } = JSON.parse(readFileSync(join(stateDir, "ingress.json"), "utf8")) as { url: string };
  return {
    kubeconfigPath: platform.kubeconfigPath,
    kubeConfig,
    ingressUrl: new URL(url),
    caFile: join(stateDir, "tls", "ca.crt"),
    async close() {
      await platform.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
