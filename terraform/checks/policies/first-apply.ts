// What would break the very first `terraform apply` of an environment, though `validate` and `plan` pass:
// each rule names an Azure behaviour that only shows when the resources are created for real.
import { blockBodies, dirOf, outputs, resourceAddress, type TfBlock, violation } from "../tf-tree.ts";
import { ofType, type Policy, show } from "./policy.ts";

const WEB_PORTS = ["80", "443"];
// Sources that mean "from the internet" (a rule between subnets of the VNet is not about the ingress).
const INTERNET = [undefined, "*", "Internet", "0.0.0.0/0"];
const opensWebPorts = (rule: Record<string, unknown>) => {
  const ports = [
    rule.destination_port_range,
    ...(Array.isArray(rule.destination_port_ranges) ? rule.destination_port_ranges : []),
  ];
  return ports.some((port) => WEB_PORTS.includes(String(port)));
};

/**
 * An inbound rule for HTTP(S) from the internet must not name the node subnet as its destination: Azure's
 * load balancer keeps the frontend public IP as the destination (floating IP), so such a rule never matches
 * and DenyAllInBound drops the traffic. "*" or a public IP resource's address is what reaches the ingress.
 */
export const ingressReachesTheFrontend: Policy = (files) =>
  ofType(files, "azurerm_network_security_group").flatMap((nsg) =>
    blockBodies(nsg.body.security_rule)
      .filter(
        (rule) =>
          rule.direction === "Inbound" &&
          rule.access === "Allow" &&
          INTERNET.includes(rule.source_address_prefix as string | undefined) &&
          opensWebPorts(rule),
      )
      .flatMap((rule) => {
        const destination = rule.destination_address_prefix;
        const toFrontend =
          destination === "*" ||
          (typeof destination === "string" && /\$\{azurerm_public_ip\.\w+\.ip_address\}/.test(destination));
        return toFrontend
          ? []
          : [
              violation(
                nsg,
                resourceAddress(nsg),
                `security_rule.${String(rule.name)}.destination_address_prefix`,
                `is ${show(destination)}: the load balancer keeps the frontend public IP as the destination, so this never matches; use "*" or the ingress's azurerm_public_ip`,
              ),
            ];
      }),
  );

const dependsOnCluster = (alert: TfBlock) =>
  Array.isArray(alert.body.depends_on) &&
  alert.body.depends_on.some((d) => /aks_cluster|kubernetes_cluster|container_insights/.test(String(d)));

/**
 * Log alerts on Container Insights tables skip query validation and wait for the cluster: on a new workspace
 * KubePodInventory and InsightsMetrics do not exist until the cluster's agent has sent data, and Azure
 * refuses to create a rule whose query names a missing table ("Failed to resolve table").
 */
export const logAlertsSurviveANewWorkspace: Policy = (files) =>
  ofType(files, "azurerm_monitor_scheduled_query_rules_alert_v2").flatMap((alert) => [
    ...(alert.body.skip_query_validation === true
      ? []
      : [
          violation(
            alert,
            resourceAddress(alert),
            "skip_query_validation",
            `is ${show(alert.body.skip_query_validation)}, must be true: Container Insights tables do not exist on a new workspace`,
          ),
        ]),
    ...(dependsOnCluster(alert)
      ? []
      : [
          violation(
            alert,
            resourceAddress(alert),
            "depends_on",
            `is ${show(alert.body.depends_on)}, must name the cluster: the alert is created once the cluster sends data`,
          ),
        ]),
  ]);

const MIN_PROPAGATION_SECONDS = 30;
const mentions = (value: unknown, address: string) => JSON.stringify(value ?? null).includes(address);

/**
 * Terraform writes Key Vault secrets right after granting itself "Key Vault Secrets Officer": the grant needs
 * time to reach the data plane, so a time_sleep of at least 30 s (Azure Verified Modules' default) follows
 * the assignment, and every secret write and every output handing the vault's ID to another module waits for it.
 */
export const secretWritesWaitForRbac: Policy = (files) =>
  ofType(files, "azurerm_role_assignment")
    .filter((assignment) => assignment.body.role_definition_name === "Key Vault Secrets Officer")
    .flatMap((assignment) => {
      const dir = dirOf(assignment);
      const sleep = ofType(files, "time_sleep").find(
        (s) => dirOf(s) === dir && mentions(s.body, `azurerm_role_assignment.${assignment.name}`),
      );
      if (!sleep) {
        return [
          violation(
            assignment,
            resourceAddress(assignment),
            "(propagation)",
            "no time_sleep waits for this assignment: a secret written right after it gets 403",
          ),
        ];
      }
      const problems: string[] = [];
      const seconds = /^(\d+)s$/.exec(String(sleep.body.create_duration))?.[1];
      if (seconds === undefined || Number(seconds) < MIN_PROPAGATION_SECONDS) {
        problems.push(
          violation(
            sleep,
            resourceAddress(sleep),
            "create_duration",
            `is ${show(sleep.body.create_duration)}, must be at least "${MIN_PROPAGATION_SECONDS}s"`,
          ),
        );
      }
      const waited = `time_sleep.${sleep.name}`;
      for (const output of outputs(files).filter(
        (o) => dirOf(o) === dir && /azurerm_key_vault\.\w+\.id\b/.test(JSON.stringify(o.body.value)),
      )) {
        if (!mentions(output.body.depends_on, waited)) {
          problems.push(
            violation(
              output,
              `output.${output.name}`,
              "depends_on",
              `must name ${waited}: callers write secrets through this ID`,
            ),
          );
        }
      }
      for (const secret of ofType(files, "azurerm_key_vault_secret").filter((s) => dirOf(s) === dir)) {
        if (!mentions(secret.body.depends_on, waited)) {
          problems.push(violation(secret, resourceAddress(secret), "depends_on", `must name ${waited}`));
        }
      }
      return problems;
    });
