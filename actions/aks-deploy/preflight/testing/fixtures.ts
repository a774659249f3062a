// Test fixtures of the pre-flight: a document from a plain object, and the local platform's API server
// alone (no controllers, so nothing but the test writes), reached only through its kubeconfig.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig, type KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { startPlatform } from "../../../../local/platform/start-platform.ts";
import type { ManifestDocument } from "../../manifests/manifest-document.ts";

export function documentOf(object: object, file = "m.yaml", index = 0, line = 1): ManifestDocument {
  return { file, index, line, object: object as KubernetesObject };
}

export interface TestApiServer {
  readonly kubeconfigPath: string;
  readonly objectApi: KubernetesObjectApi;
  /** A scratch folder removed on stop. */
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startTestApiServer(): Promise<TestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), "preflight-"));
  const platform = await startPlatform({ stateDir: join(dir, "state"), components: ["api-server"] });
  const config = new KubeConfig();
  config.loadFromFile(platform.kubeconfigPath);
  return {
    kubeconfigPath: platform.kubeconfigPath,
    objectApi: KubernetesObjectApi.makeApiClient(config),
    dir,
    async stop() {
      await platform.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
