// What an operator puts in the cluster besides the pipeline's manifests: the namespace, and the Secrets and
// ConfigMap the local overlay reads (production gets the database password from Key Vault through the CSI
// driver instead). Server-side applied with the rehearsal's own field manager, so reruns are no-ops.
import {
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from "@kubernetes/client-node";

export interface ClusterInputs {
  readonly namespace: string;
  /** The keys of the Secret `cloudjobhunt-db`: DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, DB_SSLMODE. */
  readonly database: Readonly<Record<string, string>>;
  readonly linkedin: { readonly baseUrl: string; readonly token: string };
}

const fieldManager = "cloudjobhunt-rehearsal";

export function clusterInputObjects(inputs: ClusterInputs): KubernetesObject[] {
  const namespace = inputs.namespace;
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "cloudjobhunt-db", namespace },
      type: "Opaque",
      stringData: { ...inputs.database },
    } as KubernetesObject,
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cloudjobhunt-linkedin", namespace },
      data: { LINKEDIN_BASE_URL: inputs.linkedin.baseUrl },
    } as KubernetesObject,
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "cloudjobhunt-linkedin", namespace },
      type: "Opaque",
      stringData: { LINKEDIN_TOKEN: inputs.linkedin.token },
    } as KubernetesObject,
  ];
}

export async function applyClusterInputs(kubeconfigPath: string, inputs: ClusterInputs): Promise<void> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const api = KubernetesObjectApi.makeApiClient(config);
  for (const object of clusterInputObjects(inputs)) {
    await api.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
  }
}
