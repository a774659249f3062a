// Object and container names, by apimachinery's pkg/util/validation (IsDNS1123Subdomain, IsDNS1123Label,
// IsDNS1035Label) and the kinds that use each (pkg/apis/core/validation: ValidateNamespaceName and
// ValidateServiceName take labels, most kinds NameIsDNSSubdomain).
// https://github.com/kubernetes/apimachinery/blob/master/pkg/util/validation/validation.go
import type { Problem } from "../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../manifests/manifest-document.ts";
import { containersOf, podSpecOf } from "./pod-templates.ts";

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && dns1123Label.test(name);
}

const rules = {
  subdomain: {
    valid: (name: string) => name.length <= 253 && dns1123Subdomain.test(name),
    text: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com'), at most 253 characters",
  },
  label: {
    valid: isDns1123Label,
    text: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc'), at most 63 characters",
  },
  dns1035: {
    valid: (name: string) => name.length <= 63 && dns1035Label.test(name),
    text: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123'), at most 63 characters",
  },
};

function ruleFor(kind: string | undefined) {
  if (kind === "Namespace") return rules.label;
  if (kind === "Service") return rules.dns1035;
  return rules.subdomain;
}

/** metadata.name present and valid for its kind; container names valid and unique within the pod. */
export function nameProblems(document: ManifestDocument): Problem[] {
  const { object } = document;
  const problems: Problem[] = [];
  const name: unknown = object.metadata?.name;
  if (name === undefined || name === "") {
    problems.push(
      problemAt(document, "metadata.name", "name is missing", "every object applied needs metadata.name"),
    );
  } else if (typeof name === "string") {
    const rule = ruleFor(object.kind);
    if (!rule.valid(name))
      problems.push(problemAt(document, "metadata.name", `"${name}" is not valid: ${rule.text}`));
  }
  const pod = podSpecOf(object);
  if (!pod) return problems;
  const seen = new Map<string, string>();
  for (const { path, container } of containersOf(pod)) {
    const containerName: unknown = container.name;
    if (typeof containerName !== "string") continue;
    if (!isDns1123Label(containerName)) {
      problems.push(
        problemAt(document, `${path}.name`, `"${containerName}" is not valid: ${rules.label.text}`),
      );
    }
    const first = seen.get(containerName);
    if (first !== undefined) {
      problems.push(
        problemAt(
          document,
          `${path}.name`,
          `duplicate container name "${containerName}" (also ${first})`,
          "containers and init containers of a pod need distinct names",
        ),
      );
    } else seen.set(containerName, path);
  }
  return problems;
}
