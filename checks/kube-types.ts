// client-node's types for the built-in kinds the checks read, and the one custom kind they inspect
// (SecretProviderClass, after checks/crds/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml).
export type { V1Deployment, V1EnvVar, V1Ingress } from "@kubernetes/client-node";

export interface V1SecretProviderClass {
  metadata: { name: string };
  spec: {
    provider: string;
    parameters?: Record<string, string>;
    secretObjects?: { secretName: string; type: string; data?: { objectName: string; key: string }[] }[];
  };
}
