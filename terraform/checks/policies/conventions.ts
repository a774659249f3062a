// Conventions of well-kept modules: typed, described variables and names derived from inputs.
import { dirOf, resourceAddress, resources, variables, violation } from "../tf-tree.ts";
import type { Policy } from "./policy.ts";

export const variablesTypedAndDescribed: Policy = (files) =>
  variables(files).flatMap((variable) => {
    const address = `variable.${variable.name}`;
    const problems: string[] = [];
    if (variable.body.type === undefined)
      problems.push(violation(variable, address, "type", "missing: every variable is typed"));
    const description = variable.body.description;
    if (typeof description !== "string" || description.trim() === "") {
      problems.push(violation(variable, address, "description", "missing: every variable is described"));
    }
    return problems;
  });

const DERIVED = /\$\{[^}]*\b(var|local|each)\./;

/**
 * Resources addressed in a resource group (they have `location` or `resource_group_name`) take names built
 * from variables or locals, so one module serves every environment. Children named inside a parent
 * (databases, node pools, secrets) are exempt, and so are those without a name of their own (a server's
 * Entra administrator is named by its object ID) and private-endpoint DNS zones, whose name Azure fixes
 * (privatelink.<service domain>, the same in every environment).
 */
export const namesNotHardCoded: Policy = (files) =>
  resources(files)
    .filter((r) => "location" in r.body || ("resource_group_name" in r.body && "name" in r.body))
    .filter((r) => !(typeof r.body.name === "string" && DERIVED.test(r.body.name)))
    .filter((r) => !(r.type === "azurerm_private_dns_zone" && String(r.body.name).startsWith("privatelink.")))
    .map((r) =>
      violation(
        r,
        resourceAddress(r),
        "name",
        `is ${JSON.stringify(r.body.name ?? null)}, must be built from var./local. (no hard-coded names)`,
      ),
    );

/** Modules hold no environment-specific literal: each module directory reads its environment from var.environment. */
export const modulesTakeEnvironment: Policy = (files) => {
  const moduleDirs = new Set(files.map(dirOf).filter((dir) => /(?:^|\/)modules\/[^/]+$/.test(dir)));
  return [...moduleDirs]
    .filter((dir) => !variables(files).some((v) => dirOf(v) === dir && v.name === "environment"))
    .map(
      (dir) =>
        `${dir}/variables.tf: variable.environment: (declaration): missing: names and tags derive from it`,
    );
};
