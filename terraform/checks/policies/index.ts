// Every promise of the estate (terraform/README.md, "Offline checks"), by name: the policy test runs each against the whole terraform/ tree.
import { modulesTakeEnvironment, namesNotHardCoded, variablesTypedAndDescribed } from "./conventions.ts";
import { databaseEntraOnly, noDatabasePassword, noDatabasePasswordInVault } from "./database-auth.ts";
import {
  ingressReachesTheFrontend,
  logAlertsSurviveANewWorkspace,
  secretWritesWaitForRbac,
} from "./first-apply.ts";
import {
  applyIdentitiesKeepToTheirEnvironment,
  noSubscriptionWideRights,
  planIdentityReadOnly,
  roleAssignmentsConstrained,
  terraformSubjectsExpected,
} from "./identities.ts";
import { aksAuditLogsLimited, diagnosticSettings, seedAlerts } from "./observability.ts";
import type { Policy } from "./policy.ts";
import { apiAlertsOnPrometheus, managedPrometheusWired } from "./prometheus.ts";
import {
  aksGuarded,
  aksLocalAccountsDisabled,
  apiServerNotPublicInProd,
  dataProtectedFromDestroy,
  keyVaultProtected,
  noSecretOutputs,
  privatePostgresql,
  registryAdminDisabled,
} from "./security.ts";
import {
  aksPlatform,
  applicationDatabase,
  highAvailabilityInProdOnly,
  pinnedAndRemoteState,
  pipelineIdentityScoped,
  prodSizing,
  upgradesPlanned,
} from "./topology.ts";
import { vaultPrivateInProd } from "./vault-network.ts";

export const POLICIES: Record<string, Policy> = {
  "PostgreSQL is private": privatePostgresql,
  "PostgreSQL logins are Entra ID only, with an Entra administrator": databaseEntraOnly,
  "no PostgreSQL administrator password is stored (write-only at most)": noDatabasePassword,
  "no Key Vault secret holds a database password": noDatabasePasswordInVault,
  "PostgreSQL HA is on in prod only": highAvailabilityInProdOnly,
  "prod runs 3+ nodes per pool across 3 zones with the SLA tier": prodSizing,
  "the cloudjobhunt database exists with configurable backups": applicationDatabase,
  "the seed's alerts exist with its thresholds": seedAlerts,
  "every environment sends diagnostics to Log Analytics": diagnosticSettings,
  "the registry admin user is off": registryAdminDisabled,
  "AKS local accounts are off, Entra ID RBAC and workload identity on": aksLocalAccountsDisabled,
  "AKS runs Azure CNI, zonal autoscaled pools, its add-ons and AcrPull": aksPlatform,
  "Key Vault uses RBAC with purge protection": keyVaultProtected,
  "no output carries a secret": noSecretOutputs,
  "every variable is typed and described": variablesTypedAndDescribed,
  "no name is hard-coded": namesNotHardCoded,
  "every module takes its environment": modulesTakeEnvironment,
  "the pipeline identity is production-only and namespace-scoped": pipelineIdentityScoped,
  "versions are pinned and state is remote": pinnedAndRemoteState,
  "the node NSG lets HTTP(S) reach the ingress frontend": ingressReachesTheFrontend,
  "log alerts skip query validation and follow the cluster": logAlertsSurviveANewWorkspace,
  "Key Vault secret writes wait for their role assignment to propagate": secretWritesWaitForRbac,
  "no plan can destroy the database, the vault or the registry": dataProtectedFromDestroy,
  "the prod API server answers authorized IP ranges only": apiServerNotPublicInProd,
  "AKS sends kube-audit-admin and guard, not kube-audit": aksAuditLogsLimited,
  "AKS upgrades in maintenance windows, prod on a pinned minor version": upgradesPlanned,
  "AKS runs Defender for Containers and the Azure Policy add-on": aksGuarded,
  "managed Prometheus collects from the cluster into a workspace Grafana reads": managedPrometheusWired,
  "the API's latency and error-rate alerts are Prometheus rules on its real metrics": apiAlertsOnPrometheus,
  "Key Vault has a private endpoint; prod's firewall denies by default": vaultPrivateInProd,
  "no identity holds Owner, and Contributor stays inside one resource group": noSubscriptionWideRights,
  "the pull-request plan identity holds read roles only": planIdentityReadOnly,
  "role assignment rights are constrained to the roles this code assigns": roleAssignmentsConstrained,
  "Terraform logs in from pull requests, development and production only": terraformSubjectsExpected,
  "each apply identity reaches its own environment only": applyIdentitiesKeepToTheirEnvironment,
};
