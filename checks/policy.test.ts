// The rendered k8s/prod and k8s/local against the rollout and pod-security policies (checks/policies.ts),
// plus what this API needs of its manifests: probes on its real endpoints, the metrics port kept off the
// Ingress, database login with an Entra ID token and no password (prod) or from the rehearsal's Secret (local).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1ConfigMap, V1Deployment, V1EnvVar, V1Ingress } from "./kube-types.ts";
import { rules } from "./policies.ts";
import { find, type KubeObject, overlays, renderKustomization } from "./render.ts";

const prod = await renderKustomization("k8s/prod");
const local = await renderKustomization("k8s/local");

for (const [overlay, objects] of [
  [overlays[0], prod],
  [overlays[1], local],
] as const) {
  describe(`${overlay} policies`, () => {
    for (const [name, rule] of Object.entries(rules)) it(name, () => assert.deepEqual(rule(objects), []));

    it("every namespaced object lands in cloudjobhunt", () => {
      assert.deepEqual(
        objects
          .filter((o) => o.metadata.namespace !== "cloudjobhunt")
          .map((o) => `${o.kind} ${o.metadata.name}`),
        [],
      );
    });

    it("the api container is the one the pipeline substitutes, probed on the API's endpoints", () => {
      const api = find<V1Deployment>(objects, "Deployment", "backend").spec?.template.spec?.containers.find(
        (c) => c.name === "api",
      );
      assert.ok(api, "no container api in Deployment backend");
      assert.equal(api.readinessProbe?.httpGet?.path, "/readyz");
      assert.equal(api.livenessProbe?.httpGet?.path, "/healthz");
      assert.equal(api.startupProbe?.httpGet?.path, "/healthz");
      assert.equal(api.readinessProbe?.httpGet?.port, "http");
    });

    it("metrics are served on their own port, scraped there, never routed by the Ingress", () => {
      const api = find<V1Deployment>(objects, "Deployment", "backend").spec?.template.spec?.containers[0];
      const metricsPort = api?.ports?.find((p) => p.name === "metrics")?.containerPort;
      assert.equal(String(metricsPort), api?.env?.find((e) => e.name === "METRICS_PORT")?.value);
      const monitor = find<{ spec: { endpoints: { port: string }[] } }>(objects, "ServiceMonitor", "backend");
      assert.deepEqual(
        monitor.spec.endpoints.map((e) => e.port),
        ["metrics"],
      );
      const ingress = find<V1Ingress>(objects, "Ingress", "backend");
      const routed = (ingress.spec?.rules ?? []).flatMap((r) =>
        r.http?.paths.map((p) => p.backend.service?.port?.name),
      );
      assert.deepEqual([...new Set(routed)], ["http"]);
    });
  });
}

describe("database credentials", () => {
  const dbEnv = (objects: KubeObject[]) =>
    new Map(
      (find<V1Deployment>(objects, "Deployment", "backend").spec?.template.spec?.containers[0]?.env ?? [])
        .filter((e) => e.name.startsWith("DB_"))
        .map((e): [string, V1EnvVar] => [e.name, e]),
    );

  it("prod: no password anywhere; the pod logs in as its workload identity's role with an Entra ID token over TLS", () => {
    const env = dbEnv(prod);
    assert.equal(env.get("DB_PASSWORD"), undefined);
    assert.deepEqual(
      [...env.values()].filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name),
      [],
    );
    assert.deepEqual(
      prod.filter((o) => o.kind === "Secret" || o.kind === "SecretProviderClass").map((o) => o.kind),
      [],
    );
    const endpoint = find<V1ConfigMap>(prod, "ConfigMap", "cloudjobhunt-db-endpoint");
    for (const name of ["DB_AUTH", "DB_USER", "DB_SSL"]) {
      assert.equal(env.get(name)?.valueFrom?.configMapKeyRef?.name, endpoint.metadata?.name, name);
    }
    assert.equal(endpoint.data?.DB_AUTH, "entra");
    // The role terraform/README.md's one-time step maps to the workload identity, named after it.
    assert.equal(endpoint.data?.DB_USER, "id-cloudhunt-prod-workload");
    assert.ok(["require", "verify-full"].includes(endpoint.data?.DB_SSL ?? ""), endpoint.data?.DB_SSL);
    const pod = find<V1Deployment>(prod, "Deployment", "backend").spec?.template;
    assert.equal(pod?.metadata?.labels?.["azure.workload.identity/use"], "true");
    const account = find<KubeObject>(prod, "ServiceAccount", pod?.spec?.serviceAccountName ?? "");
    assert.ok(account.metadata.annotations?.["azure.workload.identity/client-id"]);
  });

  it("prod: no DB_* variable holds a literal value", () => {
    assert.deepEqual(
      [...dbEnv(prod).values()].filter((e) => e.value !== undefined).map((e) => e.name),
      [],
    );
  });

  it("local: every DB_* variable comes from the rehearsal's Secret cloudjobhunt-db, no CSI driver", () => {
    const refs = Object.fromEntries(
      [...dbEnv(local)].map(([name, e]) => [
        name,
        `${e.valueFrom?.secretKeyRef?.name}/${e.valueFrom?.secretKeyRef?.key}`,
      ]),
    );
    assert.deepEqual(refs, {
      DB_HOST: "cloudjobhunt-db/DB_HOST",
      DB_PORT: "cloudjobhunt-db/DB_PORT",
      DB_NAME: "cloudjobhunt-db/DB_NAME",
      DB_USER: "cloudjobhunt-db/DB_USER",
      DB_PASSWORD: "cloudjobhunt-db/DB_PASSWORD",
      DB_SSL: "cloudjobhunt-db/DB_SSLMODE",
    });
    assert.equal(local.filter((o) => o.kind === "SecretProviderClass").length, 0);
    assert.equal(find<V1Deployment>(local, "Deployment", "backend").spec?.template.spec?.volumes, undefined);
  });

  it("local differs from prod only in host, issuer, database and the database's network rule", () => {
    const key = (o: KubeObject) => `${o.kind} ${o.metadata.name}`;
    const changed = prod
      .filter((p) => JSON.stringify(local.find((l) => key(l) === key(p))) !== JSON.stringify(p))
      .map(key);
    assert.deepEqual(changed.sort(), [
      "ConfigMap cloudjobhunt-db-endpoint",
      "Deployment backend",
      "Ingress backend",
      "NetworkPolicy backend",
    ]);
  });
});

describe("the policies catch", () => {
  const broken = (change: (d: V1Deployment) => void): KubeObject[] =>
    prod.map((o) => {
      if (o.kind !== "Deployment") return o;
      const copy = structuredClone(o);
      change(copy as unknown as V1Deployment);
      return copy;
    });
  const api = (d: V1Deployment) => {
    const container = d.spec?.template.spec?.containers[0];
    assert.ok(container);
    return container;
  };

  it("a rollout that may take pods away", () => {
    const objects = broken((d) => {
      if (d.spec?.strategy?.rollingUpdate) d.spec.strategy.rollingUpdate.maxUnavailable = 1;
      if (d.spec) d.spec.progressDeadlineSeconds = undefined;
    });
    assert.deepEqual(rules.rolloutSafety?.(objects), [
      "Deployment backend: spec.strategy.rollingUpdate.maxUnavailable must be 0",
      "Deployment backend: spec.progressDeadlineSeconds is not set",
    ]);
  });

  it("a container without probes, limits or digest", () => {
    const objects = broken((d) => {
      const c = api(d);
      c.readinessProbe = undefined;
      if (c.resources?.limits) c.resources.limits.memory = undefined as unknown as string;
      c.image = "cloudhuntprod.azurecr.io/cloudjobhunt/api:latest";
    });
    assert.deepEqual(rules.containers?.(objects), [
      "Deployment backend: container api has no readinessProbe",
      "Deployment backend: container api has no limits.memory",
      "Deployment backend: container api: image cloudhuntprod.azurecr.io/cloudjobhunt/api:latest is not pinned by digest",
    ]);
  });

  it("a pod that is not restricted", () => {
    const objects = broken((d) => {
      const c = api(d);
      if (c.securityContext) c.securityContext = { ...c.securityContext, allowPrivilegeEscalation: true };
      if (d.spec?.template.spec) d.spec.template.spec.volumes = [{ name: "host", hostPath: { path: "/" } }];
    });
    assert.deepEqual(rules.restrictedPodSecurity?.(objects), [
      "Deployment backend: volume host is of type hostPath",
      "Deployment backend: container api must set allowPrivilegeEscalation: false",
    ]);
  });

  it("a drain longer than the grace period", () => {
    const objects = broken((d) => {
      if (d.spec?.template.spec) d.spec.template.spec.terminationGracePeriodSeconds = 30;
    });
    assert.deepEqual(rules.drainFitsGracePeriod?.(objects), [
      "Deployment backend: container api needs 30000 ms to stop (preStop + SHUTDOWN_DRAIN_MS + SHUTDOWN_GRACE_MS) but terminationGracePeriodSeconds allows 30000 ms",
    ]);
  });

  it("a Secret with data", () => {
    const secret: KubeObject = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db" },
      stringData: { p: "x" },
    };
    assert.deepEqual(rules.noSecretData?.([secret]), ["Secret db carries data in the manifests"]);
  });

  it("an open egress rule, and HTTPS that could reach private addresses", () => {
    const withEgress = (egress: object[]) =>
      prod.map((o) => (o.kind === "NetworkPolicy" ? { ...o, spec: { ...(o.spec as object), egress } } : o));
    const https = { port: 443, protocol: "TCP" };
    assert.deepEqual(
      rules.networkPolicy?.(
        withEgress([
          { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [https] },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [https] },
        ]),
      ),
      [
        "NetworkPolicy backend: egress[0] is neither DNS, PostgreSQL nor HTTPS to public addresses (Entra ID)",
        "NetworkPolicy backend: egress[1] is neither DNS, PostgreSQL nor HTTPS to public addresses (Entra ID)",
        "NetworkPolicy backend: egress[2] is neither DNS, PostgreSQL nor HTTPS to public addresses (Entra ID)",
      ],
    );
  });

  it("a workload without budget, autoscaler or zone spread", () => {
    const objects = broken((d) => {
      if (d.spec?.template.spec) d.spec.template.spec.topologySpreadConstraints = [];
    }).filter((o) => o.kind !== "PodDisruptionBudget" && o.kind !== "HorizontalPodAutoscaler");
    assert.deepEqual(
      [rules.disruptionBudget, rules.autoscaler, rules.topologySpread].flatMap(
        (rule) => rule?.(objects) ?? [],
      ),
      [
        "Deployment backend: no PodDisruptionBudget selects its pods",
        "Deployment backend: no HorizontalPodAutoscaler targets it",
        "Deployment backend: no topology spread across zones",
      ],
    );
  });

  it("an Ingress that reaches the metrics port", () => {
    const objects = prod.map((o) => {
      if (o.kind !== "Ingress") return o;
      const copy = structuredClone(o) as unknown as V1Ingress;
      const port = copy.spec?.rules?.[0]?.http?.paths[0]?.backend.service?.port;
      if (port) port.name = "metrics";
      return copy as unknown as KubeObject;
    });
    assert.deepEqual(rules.exposure?.(objects), [
      "Ingress backend: api.cloudjobhunt.com/ routes to backend:metrics",
    ]);
  });
});
