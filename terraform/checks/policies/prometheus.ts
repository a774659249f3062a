// Managed Prometheus and the API's alerts on it: the cluster's metrics reach an Azure Monitor workspace that
// Managed Grafana reads, and the seed's latency and error-rate alerts are Prometheus rule groups whose PromQL
// parses and names the API's real series and labels (server/ops/metrics.ts, read by checks/promql.ts).
import { apiSeries, promqlProblems } from "../../../checks/promql.ts";
import {
  blockBodies,
  dirOf,
  type HclBody,
  resourceAddress,
  type TfBlock,
  type TfFile,
  violation,
} from "../tf-tree.ts";
import { ofType, type Policy } from "./policy.ts";

const PROMETHEUS_STREAM = "Microsoft-PrometheusMetrics";
const inDirOf = (files: TfFile[], type: string, block: TfBlock) =>
  ofType(files, type).filter((r) => dirOf(r) === dirOf(block));
const names = (value: unknown, reference: string) =>
  typeof value === "string" && value.includes(`\${${reference}`);
const listNames = (value: unknown, reference: string) =>
  Array.isArray(value) && value.some((item) => names(item, reference));
const streams = (body: HclBody | undefined) => (Array.isArray(body?.streams) ? body.streams : []);
const THE_CLUSTER = /^\$\{(var\.aks_cluster_id|azurerm_kubernetes_cluster\.\w+\.id)\}$/;

/** The data collection rule that forwards the add-on's samples to `workspace`, if any. */
function prometheusRuleOf(files: TfFile[], workspace: TfBlock): TfBlock | undefined {
  return inDirOf(files, "azurerm_monitor_data_collection_rule", workspace).find((rule) => {
    const destinations = blockBodies(rule.body.destinations)[0];
    const account = blockBodies(destinations?.monitor_account)[0];
    const flow = blockBodies(rule.body.data_flow).find((f) => streams(f).includes(PROMETHEUS_STREAM));
    const forwarder = blockBodies(blockBodies(rule.body.data_sources)[0]?.prometheus_forwarder)[0];
    return (
      names(account?.monitor_account_id, `azurerm_monitor_workspace.${workspace.name}.id`) &&
      Array.isArray(flow?.destinations) &&
      flow.destinations.includes(account?.name) &&
      streams(forwarder).includes(PROMETHEUS_STREAM)
    );
  });
}

function collectionProblems(files: TfFile[], workspace: TfBlock): string[] {
  const rule = prometheusRuleOf(files, workspace);
  if (!rule)
    return [
      violation(
        workspace,
        resourceAddress(workspace),
        "(data collection rule)",
        `no data collection rule forwards ${PROMETHEUS_STREAM} (prometheus_forwarder source, data_flow to a monitor_account naming this workspace): nothing reaches it`,
      ),
    ];
  const problems: string[] = [];
  if (typeof rule.body.data_collection_endpoint_id !== "string")
    problems.push(
      violation(
        rule,
        resourceAddress(rule),
        "data_collection_endpoint_id",
        "is unset: the add-on's agents send through a data collection endpoint",
      ),
    );
  const associated = inDirOf(files, "azurerm_monitor_data_collection_rule_association", rule).some(
    (a) =>
      names(a.body.data_collection_rule_id, `azurerm_monitor_data_collection_rule.${rule.name}.id`) &&
      THE_CLUSTER.test(String(a.body.target_resource_id)),
  );
  if (!associated)
    problems.push(
      violation(
        rule,
        resourceAddress(rule),
        "(association)",
        "no data collection rule association ties it to the cluster (var.aks_cluster_id or an azurerm_kubernetes_cluster's id): the add-on sends nothing",
      ),
    );
  return problems;
}

function grafanaProblems(files: TfFile[], workspace: TfBlock): string[] {
  const grafana = inDirOf(files, "azurerm_dashboard_grafana", workspace).find((g) =>
    blockBodies(g.body.azure_monitor_workspace_integrations).some((i) =>
      names(i.resource_id, `azurerm_monitor_workspace.${workspace.name}.id`),
    ),
  );
  if (!grafana)
    return [
      violation(
        workspace,
        resourceAddress(workspace),
        "(grafana)",
        "no azurerm_dashboard_grafana integrates this workspace (azure_monitor_workspace_integrations)",
      ),
    ];
  const assignments = inDirOf(files, "azurerm_role_assignment", grafana);
  const problems: string[] = [];
  const reads = assignments.some(
    (a) =>
      a.body.role_definition_name === "Monitoring Data Reader" &&
      names(a.body.scope, `azurerm_monitor_workspace.${workspace.name}.id`) &&
      names(a.body.principal_id, `azurerm_dashboard_grafana.${grafana.name}.identity`),
  );
  if (!reads)
    problems.push(
      violation(
        grafana,
        resourceAddress(grafana),
        "identity",
        `needs "Monitoring Data Reader" on azurerm_monitor_workspace.${workspace.name}: Grafana queries Prometheus as its own identity`,
      ),
    );
  const administered = assignments.some(
    (a) =>
      a.body.role_definition_name === "Grafana Admin" &&
      names(a.body.scope, `azurerm_dashboard_grafana.${grafana.name}.id`),
  );
  if (!administered)
    problems.push(
      violation(
        grafana,
        resourceAddress(grafana),
        "(Grafana Admin)",
        'no role assignment gives "Grafana Admin" on it: nobody could manage its dashboards',
      ),
    );
  return problems;
}

/**
 * Every cluster runs the managed Prometheus add-on (monitor_metrics), and every Azure Monitor workspace gets
 * the samples (a data collection rule with an endpoint, associated with the cluster) and is read by a Managed
 * Grafana with "Monitoring Data Reader" on it and a "Grafana Admin" group.
 */
export const managedPrometheusWired: Policy = (files) => {
  const clusters = ofType(files, "azurerm_kubernetes_cluster");
  const workspaces = ofType(files, "azurerm_monitor_workspace");
  return [
    ...clusters.flatMap((cluster) =>
      blockBodies(cluster.body.monitor_metrics).length > 0
        ? []
        : [
            violation(
              cluster,
              resourceAddress(cluster),
              "monitor_metrics",
              "is unset: without it the managed Prometheus add-on (ama-metrics) does not run",
            ),
          ],
    ),
    ...(clusters.length > 0 && workspaces.length === 0
      ? clusters.map((cluster) =>
          violation(
            cluster,
            resourceAddress(cluster),
            "(monitor workspace)",
            "no azurerm_monitor_workspace receives its Prometheus metrics",
          ),
        )
      : []),
    ...workspaces.flatMap((workspace) => [
      ...collectionProblems(files, workspace),
      ...grafanaProblems(files, workspace),
    ]),
  ];
};

// The API's series with their labels, the ServiceMonitor's target labels and the `cluster` label managed
// Prometheus adds; a rule on any other series is reported as unknown.
const SERIES = apiSeries(["cluster"]);

// Terraform interpolations (thresholds) become a number before parsing: metric and label names stay literal.
const asPromql = (expression: string) => expression.replace(/\$\{[^}]*\}/g, "1");

// The seed's two API alerts, by what their expression must compute.
const SEED_RULES: Record<string, { expression: RegExp; what: string }> = {
  latency: {
    expression:
      /histogram_quantile\(0\.95,[\s\S]*http_request_duration_seconds_bucket[\s\S]*> \$\{var\.latency_threshold_ms \/ 1000\}/,
    what: "p95 of http_request_duration_seconds_bucket above var.latency_threshold_ms / 1000",
  },
  "error rate": {
    expression:
      /http_requests_total\{[^}]*status=~"5\.\."[^}]*\}[\s\S]*\/[\s\S]*http_requests_total[\s\S]*> \$\{var\.error_rate_threshold_percent \/ 100\}/,
    what: 'share of http_requests_total with status=~"5.." above var.error_rate_threshold_percent / 100',
  },
};

/**
 * The API's latency (p95 from its histogram) and error-rate (5xx share) alerts are Prometheus rule groups on
 * an Azure Monitor workspace, each alert notifying an action group; every expression parses and names only
 * the API's real series and labels.
 */
export const apiAlertsOnPrometheus: Policy = (files) => {
  const groups = ofType(files, "azurerm_monitor_alert_prometheus_rule_group");
  const groupProblems = groups.flatMap((group) => {
    const at = (argument: string, problem: string) =>
      violation(group, resourceAddress(group), argument, problem);
    const scoped = Array.isArray(group.body.scopes)
      ? group.body.scopes.some((scope) => /^\$\{azurerm_monitor_workspace\.\w+\.id\}$/.test(String(scope)))
      : false;
    return [
      ...(scoped
        ? []
        : [at("scopes", "must name an azurerm_monitor_workspace: the rules run on its Prometheus data")]),
      ...blockBodies(group.body.rule).flatMap((rule) => {
        const name = String(rule.alert ?? rule.record);
        const expressionProblems = promqlProblems(asPromql(String(rule.expression ?? "")), SERIES).map(
          (problem) => at(`rule.${name}.expression`, problem),
        );
        const notifies = blockBodies(rule.action).some((a) => typeof a.action_group_id === "string");
        return rule.alert === undefined || notifies
          ? expressionProblems
          : [...expressionProblems, at(`rule.${name}.action`, "is unset: the alert would notify nobody")];
      }),
    ];
  });
  const seedProblems = ofType(files, "azurerm_monitor_workspace").flatMap((workspace) => {
    const rules = groups
      .filter(
        (g) =>
          dirOf(g) === dirOf(workspace) &&
          listNames(g.body.scopes, `azurerm_monitor_workspace.${workspace.name}.id`),
      )
      .flatMap((g) => blockBodies(g.body.rule))
      .filter((r) => r.alert !== undefined);
    return Object.entries(SEED_RULES)
      .filter(([, seed]) => !rules.some((r) => seed.expression.test(String(r.expression))))
      .map(([label, seed]) =>
        violation(
          workspace,
          resourceAddress(workspace),
          "(rule groups)",
          `no Prometheus alert rule on it for the API's ${label}: ${seed.what}`,
        ),
      );
  });
  return [...groupProblems, ...seedProblems];
};
