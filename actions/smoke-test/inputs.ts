import type { InputSpec } from "../lib/entry/definition.ts";

/** The smoke-test inputs, in the order action.yml and `--help` list them; context.ts applies the defaults. */
export const SMOKE_INPUTS: readonly InputSpec[] = [
  { name: "url", description: "Base URL of the API to check, e.g. https://jobs.example.com", required: true },
  {
    name: "connect-to",
    description:
      "address[:port] to connect to instead of resolving the URL's host (SNI and Host stay the URL's)",
  },
  {
    name: "ca-file",
    description: "PEM file of the CA the server certificate must chain to (else the system's)",
  },
  { name: "checks", description: "YAML or JSON file of declared checks (else only /healthz and /readyz)" },
  { name: "latency-path", description: "Path the latency phase requests", default: "/healthz" },
  { name: "duration", description: "Latency phase length, e.g. 10s (exclusive with requests)" },
  { name: "requests", description: "Latency phase request count (exclusive with duration)" },
  { name: "concurrency", description: "Connections kept open during the latency phase", default: "4" },
  {
    name: "rate",
    description: "Requests per second; set for an open loop (latency from the intended send time)",
  },
  { name: "max-p50-ms", description: "Highest acceptable median latency in ms" },
  { name: "max-p95-ms", description: "Highest acceptable 95th percentile latency in ms", default: "500" },
  { name: "max-p99-ms", description: "Highest acceptable 99th percentile latency in ms" },
  { name: "max-max-ms", description: "Highest acceptable single latency in ms" },
  {
    name: "max-error-rate",
    description: "Highest acceptable share of failed requests, 0 to 1",
    default: "0.01",
  },
  { name: "min-cert-days", description: "Days the certificate must stay valid for", default: "14" },
  {
    name: "check-https-redirect",
    description: "Check that http:// redirects to https://",
    kind: "boolean",
    default: "false",
  },
  {
    name: "http-port",
    description: "Port of the plain-HTTP listener the redirect check calls",
    default: "80",
  },
  { name: "ready-timeout", description: "How long to wait for /healthz and /readyz", default: "2m" },
  { name: "request-timeout", description: "Longest wait for one response", default: "10s" },
  { name: "deployment", description: "Deployment whose release the verdict marks verified or undoes" },
  { name: "namespace", description: "Namespace of the deployment" },
  { name: "kubeconfig", description: "Path to a kubeconfig (else resource-group + cluster-name)" },
  { name: "context", description: "kubeconfig context" },
  { name: "resource-group", description: "AKS resource group (with cluster-name)" },
  { name: "cluster-name", description: "AKS cluster name (with resource-group)" },
  {
    name: "subscription-id",
    description: "Azure subscription of the AKS cluster (else AZURE_SUBSCRIPTION_ID)",
  },
];
