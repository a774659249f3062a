// The action's inputs: GitHub `with:` names, CLI flags (`--<name>`), action.yml and --help all come from here.
import type { InputSpec } from "../lib/entry/definition.ts";

export const deployInputs: readonly InputSpec[] = [
  {
    name: "manifests",
    description:
      "Manifest folders or files, one per line (a folder with kustomization.yaml is rendered with kubectl kustomize). Exactly one Deployment among them is the one rolled out.",
    kind: "multiline",
    required: true,
  },
  { name: "namespace", description: "Target namespace (objects without one are put there).", required: true },
  { name: "kubeconfig", description: "Path to a kubeconfig; else resource-group and cluster-name." },
  { name: "context", description: "Kubeconfig context (default: its current context)." },
  { name: "resource-group", description: "AKS resource group (with cluster-name; AZURE_* credentials)." },
  { name: "cluster-name", description: "AKS cluster name." },
  {
    name: "subscription-id",
    description: "Azure subscription of the cluster (default AZURE_SUBSCRIPTION_ID).",
  },
  {
    name: "image",
    description:
      "`<container>=<registry/repo@sha256:…>`, one per line: replaces that container's image everywhere.",
    kind: "multiline",
  },
  { name: "timeout", description: "Longest wait for the rollout, and again for an undo.", default: "10m" },
  { name: "lock-timeout", description: "How long to wait for another run's deploy lock.", default: "5m" },
  {
    name: "lock-lease",
    description: "How long the deploy lock outlives its holder's last renewal (a killed run frees it then).",
    default: "30s",
  },
  {
    name: "mode",
    description: "deploy, or rollback (to to-revision or the last verified release).",
    default: "deploy",
  },
  {
    name: "to-revision",
    description: "Rollback mode: the revision to return to (default: the last verified release).",
  },
  { name: "reason", description: "Change-cause text; required in rollback mode." },
  {
    name: "dry-run",
    description: "true: pre-flight only (server-side dry run included), nothing applied.",
    kind: "boolean",
    default: "false",
  },
  {
    name: "max-restarts",
    description: "Restarts of one new container after which the release fails.",
    default: "2",
  },
  {
    name: "unschedulable-timeout",
    description: "How long a new pod may stay unschedulable before the release fails.",
    default: "60s",
  },
  {
    name: "readiness-margin",
    description:
      "Time added to what the probes allow before a running container that never became ready fails the release.",
    default: "10s",
  },
];
