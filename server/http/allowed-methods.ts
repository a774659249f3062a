import type { RouterRoute } from "hono/types";

/**
 * The methods the app answers on a path, for a 405's Allow header (RFC 9110 15.5.6): from the registered
 * routes (middleware, registered for every method, does not count); HEAD wherever GET is, as Hono answers it.
 */
export function allowedMethods(routes: readonly RouterRoute[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === "ALL" || !templatePattern(route.path).test(path)) continue;
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
  }
  return [...methods];
}

const patterns = new Map<string, RegExp>();

/** "/jobs/:id" as a pattern matching "/jobs/12"; the routes here use plain ":name" parameters only. */
function templatePattern(template: string): RegExp {
  let pattern = patterns.get(template);
  if (!pattern) {
    const source = template
      .split("/")
      .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    pattern = new RegExp(`^${source}$`);
    patterns.set(template, pattern);
  }
  return pattern;
}
