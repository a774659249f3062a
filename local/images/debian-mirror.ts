// The Debian mirror this machine already uses (its apt sources), so that debootstrap reaches the same
// package source apt does and the repository names none. DEBIAN_MIRROR overrides it.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** URIs of `deb` entries serving the suite, from deb822 `.sources` and one-line `.list` files, in order. */
export function mirrorsInSources(text: string, suite: string): string[] {
  const found: string[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split("\n")) {
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (match?.[1] && match[2] !== undefined) fields.set(match[1].toLowerCase(), match[2].trim());
    }
    const types = fields.get("types")?.split(/\s+/) ?? [];
    const suites = fields.get("suites")?.split(/\s+/) ?? [];
    if (types.includes("deb") && suites.includes(suite))
      found.push(...(fields.get("uris")?.split(/\s+/) ?? []));
  }
  for (const line of text.split("\n")) {
    const match = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line.trim());
    if (match?.[1] && match[2] === suite) found.push(match[1]);
  }
  return found;
}

export async function debianMirror(suite: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.DEBIAN_MIRROR) return env.DEBIAN_MIRROR;
  const dir = "/etc/apt/sources.list.d";
  const files = await readdir(dir).then(
    (names) =>
      names
        .filter((name) => name.endsWith(".sources") || name.endsWith(".list"))
        .map((name) => join(dir, name)),
    () => [],
  );
  for (const file of ["/etc/apt/sources.list", ...files]) {
    const [mirror] = mirrorsInSources(await readFile(file, "utf8").catch(() => ""), suite);
    if (mirror) return mirror;
  }
  throw new Error(`no Debian mirror for ${suite} in the apt sources: set DEBIAN_MIRROR to one`);
}
