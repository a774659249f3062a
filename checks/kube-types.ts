// client-node's types for the built-in kinds the checks read.
export type { V1ConfigMap, V1Deployment, V1EnvVar, V1Ingress } from "@kubernetes/client-node";
