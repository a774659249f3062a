// The seed's alerts (CPU > 80 % for 5 min, CrashLoopBackOff, latency > 500 ms, error rate > 1 %) and
// diagnostic settings for every resource of the estate.
import {
  blockBodies,
  callsOfModule,
  dirOf,
  isRecord,
  localsOf,
  moduleInput,
  resourceAddress,
  resources,
  type TfBlock,
  variableDefault,
  violation,
} from "../tf-tree.ts";
import type { Policy } from "./policy.ts";
import { show } from "./policy.ts";

// Threshold variable of the monitoring module => the seed's value.
const SEED_THRESHOLDS: Record<string, number> = {
  cpu_threshold_percent: 80,
  latency_threshold_ms: 500,
  error_rate_threshold_percent: 1,
};
// Log alert => what its query must look at. The API's latency and error rate are Prometheus rules
// (prometheus.ts).
const SEED_LOG_ALERTS: Record<string, RegExp> = {
  "pod-cpu": /cpuUsageNanoCores[\s\S]*var\.cpu_threshold_percent/,
  "crash-loop": /CrashLoopBackOff/,
};

export const seedAlerts: Policy = (files) => {
  const problems: string[] = [];
  for (const alert of resources(files).filter((r) => r.type === "azurerm_monitor_metric_alert")) {
    const dir = dirOf(alert);
    const criteria = blockBodies(alert.body.criteria)[0] ?? {};
    if (criteria.metric_name !== "node_cpu_usage_percentage") continue;
    if (alert.body.window_size !== "PT5M") {
      problems.push(
        violation(
          alert,
          resourceAddress(alert),
          "window_size",
          `is ${show(alert.body.window_size)}, must be "PT5M" (5 minutes)`,
        ),
      );
    }
    const perNode = blockBodies(criteria.dimension).some(
      (d) => d.name === "node" && d.operator === "Include" && JSON.stringify(d.values) === '["*"]',
    );
    if (!perNode) {
      problems.push(
        violation(
          alert,
          resourceAddress(alert),
          "criteria.dimension",
          'must split by "node" (Include ["*"]): the seed alerts on a node\'s CPU, not the cluster average',
        ),
      );
    }
    if (criteria.threshold !== `\${var.cpu_threshold_percent}` || criteria.operator !== "GreaterThan") {
      problems.push(
        violation(
          alert,
          resourceAddress(alert),
          "criteria",
          "must fire when the metric is GreaterThan var.cpu_threshold_percent",
        ),
      );
    }
    for (const [name, seed] of Object.entries(SEED_THRESHOLDS)) {
      const value = variableDefault(files, dir, name);
      if (value !== seed)
        problems.push(
          `${dir}/variables.tf: variable.${name}: default: is ${show(value)}, the seed asks for ${seed}`,
        );
    }
    const logAlerts = localsOf(files, dir).log_alerts;
    const rules = resources(files).filter(
      (r) => dirOf(r) === dir && r.type === "azurerm_monitor_scheduled_query_rules_alert_v2",
    );
    const rule = rules.find((r) => String(r.body.for_each) === `\${local.log_alerts}`);
    if (!rule || !isRecord(logAlerts)) {
      problems.push(
        violation(
          alert,
          "azurerm_monitor_scheduled_query_rules_alert_v2",
          "for_each",
          "no log alert rule iterates local.log_alerts",
        ),
      );
      continue;
    }
    if (rule.body.window_duration !== "PT5M") {
      problems.push(
        violation(
          rule,
          resourceAddress(rule),
          "window_duration",
          `is ${show(rule.body.window_duration)}, must be "PT5M"`,
        ),
      );
    }
    for (const [key, pattern] of Object.entries(SEED_LOG_ALERTS)) {
      const definition = logAlerts[key];
      const query = isRecord(definition) ? String(definition.query) : "";
      if (!pattern.test(query))
        problems.push(`${dir}: locals.log_alerts: ${key}: missing, or its query does not match ${pattern}`);
    }
  }
  return problems;
};

const DIAGNOSED = ["aks", "acr", "keyvault", "postgresql"];

/** Every environment sends the diagnostics of AKS, ACR, Key Vault and PostgreSQL to Log Analytics. */
export const diagnosticSettings: Policy = (files) =>
  callsOfModule(files, "monitoring").flatMap((call: TfBlock) => {
    const targets = moduleInput(files, call, "diagnostic_targets");
    const missing = DIAGNOSED.filter((key) => !(isRecord(targets) && typeof targets[key] === "string"));
    return missing.length === 0
      ? []
      : [violation(call, `module.${call.name}`, "diagnostic_targets", `lacks ${missing.join(", ")}`)];
  });

const AKS_AUDIT_CATEGORIES = ["kube-audit-admin", "guard"];

/** AKS sends its write audit (kube-audit-admin) and authorization (guard) logs, never the full kube-audit. */
export const aksAuditLogsLimited: Policy = (files) =>
  resources(files)
    .filter((r) => r.type === "azurerm_monitor_diagnostic_setting")
    .flatMap((setting) => {
      const at = (problem: string) => violation(setting, resourceAddress(setting), "enabled_log", problem);
      const logs = [
        ...blockBodies(setting.body.enabled_log),
        ...(isRecord(setting.body.dynamic) ? blockBodies(setting.body.dynamic.enabled_log) : []),
      ];
      const forEach = logs.map((log) => String(log.for_each ?? ""));
      const aksCategories = localsOf(files, dirOf(setting)).aks_log_categories;
      const problems: string[] = [];
      if (!forEach.some((f) => f.includes('each.key == "aks" ? local.aks_log_categories : []'))) {
        problems.push(at("AKS must get its own categories (local.aks_log_categories), not allLogs"));
      }
      if (!forEach.some((f) => f.includes('each.key == "aks" ? [] :'))) {
        problems.push(at("allLogs must leave AKS out: it includes kube-audit"));
      }
      if (
        !Array.isArray(aksCategories) ||
        aksCategories.includes("kube-audit") ||
        !AKS_AUDIT_CATEGORIES.every((c) => aksCategories.includes(c))
      ) {
        problems.push(
          `${dirOf(setting)}/main.tf: locals: aks_log_categories: is ${show(aksCategories)}, must hold ${AKS_AUDIT_CATEGORIES.join(" and ")} and not kube-audit`,
        );
      }
      return problems;
    });
