// The API's Prometheus metrics as server/ops/metrics.ts declares them, read from its TypeScript syntax tree
// (every `new Counter|Gauge|Histogram|Summary({ name, labelNames })`), so alerts and dashboards are checked
// against the names the code really exports.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { repoRoot } from "./render.ts";

export interface MetricFamily {
  name: string;
  type: "Counter" | "Gauge" | "Histogram" | "Summary";
  labelNames: string[];
}

const types = new Set(["Counter", "Gauge", "Histogram", "Summary"]);

export function declaredMetrics(file = join(repoRoot, "server", "ops", "metrics.ts")): MetricFamily[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: MetricFamily[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && types.has(node.expression.text)) {
      const options = node.arguments?.[0];
      if (options && ts.isObjectLiteralExpression(options)) {
        const property = (key: string) =>
          options.properties.find(
            (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === key,
          )?.initializer;
        const name = property("name");
        const labels = property("labelNames");
        if (name && ts.isStringLiteral(name)) {
          found.push({
            name: name.text,
            type: node.expression.text as MetricFamily["type"],
            labelNames:
              labels && ts.isArrayLiteralExpression(labels)
                ? labels.elements.filter(ts.isStringLiteral).map((e) => e.text)
                : [],
          });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The series names a family exposes: a histogram's _bucket (with `le`), _sum and _count; others as named. */
export function seriesOf(family: MetricFamily): { name: string; labelNames: string[] }[] {
  if (family.type === "Histogram")
    return [
      { name: `${family.name}_bucket`, labelNames: [...family.labelNames, "le"] },
      { name: `${family.name}_sum`, labelNames: family.labelNames },
      { name: `${family.name}_count`, labelNames: family.labelNames },
    ];
  if (family.type === "Summary")
    return [
      { name: family.name, labelNames: [...family.labelNames, "quantile"] },
      { name: `${family.name}_sum`, labelNames: family.labelNames },
      { name: `${family.name}_count`, labelNames: family.labelNames },
    ];
  return [{ name: family.name, labelNames: family.labelNames }];
}
