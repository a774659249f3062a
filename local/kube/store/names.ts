// Object names as the real server validates and generates them.
import { randomInt } from "node:crypto";

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The validation error text for a name, or undefined when it is valid. */
export function nameError(name: string, dnsLabel: boolean): string | undefined {
  if (dnsLabel) {
    if (name.length <= 63 && label.test(name)) return undefined;
    return `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
  }
  if (name.length <= 253 && subdomain.test(name)) return undefined;
  return `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
}

// The alphabet of k8s.io/apimachinery/pkg/util/rand: no vowels, no confusable digits.
const alphabet = "bcdfghjklmnpqrstvwxz2456789";

/** generateName + 5 random characters, as the real server names pods of a ReplicaSet. */
export function generatedName(prefix: string): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += alphabet[randomInt(alphabet.length)];
  return base + suffix;
}

/** RFC 3339 with second precision, as metadata timestamps are serialised. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
