// Ingress rule matching as the Kubernetes Ingress spec defines it: exact host over wildcard host (one DNS
// label), then the longest matching path, Exact before Prefix at equal length; Prefix matches whole path
// elements ("/api" matches "/api" and "/api/x", not "/apix"); ImplementationSpecific is treated as Prefix.
// The Ingress's defaultBackend serves what no rule matches.
import type { V1Ingress, V1IngressBackend } from "@kubernetes/client-node";

export interface Route {
  namespace: string;
  backend: V1IngressBackend;
}

interface Candidate extends Route {
  hostRank: number;
  pathLength: number;
  exact: boolean;
}

function hostRank(ruleHost: string | undefined, host: string): number | undefined {
  if (!ruleHost) return 0;
  const wanted = ruleHost.toLowerCase();
  if (wanted === host) return 2;
  if (wanted.startsWith("*.")) {
    const suffix = wanted.slice(1);
    const label = host.slice(0, host.length - suffix.length);
    if (host.endsWith(suffix) && label.length > 0 && !label.includes(".")) return 1;
  }
  return undefined;
}

function pathMatches(pathType: string, rulePath: string, path: string): boolean {
  if (pathType === "Exact") return path === rulePath;
  const prefix = rulePath.replace(/\/+$/, "");
  return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
}

export function findRoute(ingresses: V1Ingress[], hostHeader: string, path: string): Route | undefined {
  const host = hostHeader.replace(/:\d+$/, "").toLowerCase();
  const candidates: Candidate[] = [];
  for (const ingress of ingresses) {
    const namespace = ingress.metadata?.namespace ?? "default";
    for (const rule of ingress.spec?.rules ?? []) {
      const rank = hostRank(rule.host, host);
      if (rank === undefined) continue;
      for (const rulePath of rule.http?.paths ?? []) {
        const wanted = rulePath.path ?? "/";
        if (!pathMatches(rulePath.pathType, wanted, path)) continue;
        candidates.push({
          namespace,
          backend: rulePath.backend,
          hostRank: rank,
          pathLength: wanted.length,
          exact: rulePath.pathType === "Exact",
        });
      }
    }
  }
  candidates.sort(
    (a, b) => b.hostRank - a.hostRank || b.pathLength - a.pathLength || Number(b.exact) - Number(a.exact),
  );
  const best = candidates[0];
  if (best) return { namespace: best.namespace, backend: best.backend };
  const fallback = ingresses.find((ingress) => ingress.spec?.defaultBackend);
  return fallback?.spec?.defaultBackend
    ? { namespace: fallback.metadata?.namespace ?? "default", backend: fallback.spec.defaultBackend }
    : undefined;
}
