// Fidelity: the real kubectl binary (the machine's dispatcher picks kubectl 1.31 from the server's
// /version) against a platform instance on a free loopback port.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { kubeconfigYaml } from "../kube/apiserver/kubeconfig.ts";
import { type RunningPlatform, startPlatform } from "./start-platform.ts";

let platform: RunningPlatform;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kubectl-fidelity-"));
  platform = await startPlatform({ stateDir: join(dir, "state"), components: ["api-server"] });
});
after(async () => {
  await platform.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** kubectl's discovery cache goes to the test's folder, not ~/.kube/cache (a new port each run). */
function kubectlEnv(kubeconfig?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KUBECONFIG: kubeconfig ?? platform.kubeconfigPath,
    KUBECACHEDIR: join(dir, "kube-cache"),
  };
}

function kubectl(args: string[], options: { input?: string; kubeconfig?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("kubectl", args, {
      env: kubectlEnv(options.kubeconfig),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

function manifest(name: string, replicas: number, image = "app:1", extraSpec = ""): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}${extraSpec}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: ${image}
        ports: [{containerPort: 8080}]
`;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function getJson(
  resource: string,
): Promise<Record<string, unknown> & { metadata: Record<string, unknown>; spec: Record<string, unknown> }> {
  const run = await kubectl(["get", resource, "-o", "json", "--show-managed-fields"]);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

describe("kubectl against the platform", () => {
  test("the dispatcher runs the kubectl matching the server's minor", async () => {
    const run = await kubectl(["version", "-o", "json"]);
    assert.equal(run.code, 0, run.stderr);
    const version = JSON.parse(run.stdout) as {
      clientVersion: { minor: string };
      serverVersion: { minor: string };
    };
    assert.equal(version.serverVersion.minor, "31");
    assert.equal(version.clientVersion.minor, "31");
  });

  test("apply --server-side creates, records the Apply manager, and get -o json shows the object", async () => {
    const run = await kubectl(["apply", "--server-side", "-f", file("ssa.yaml", manifest("ssa", 2))]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), "deployment.apps/ssa serverside-applied");
    const object = await getJson("deployment/ssa");
    assert.equal(object.spec.replicas, 2);
    assert.equal(object.metadata.generation, 1);
    const managers = object.metadata.managedFields as { manager: string; operation: string }[];
    assert.deepEqual(
      managers.map((entry) => [entry.manager, entry.operation]),
      [["kubectl", "Apply"]],
    );
  });

  test("a second field manager conflicts with the real message; --force-conflicts takes the field", async () => {
    const path = file("ssa-other.yaml", manifest("ssa", 4));
    const conflict = await kubectl(["apply", "--server-side", "--field-manager=other", "-f", path]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
    const forced = await kubectl([
      "apply",
      "--server-side",
      "--field-manager=other",
      "--force-conflicts",
      "-f",
      path,
    ]);
    assert.equal(forced.code, 0, forced.stderr);
    const object = await getJson("deployment/ssa");
    assert.equal(object.spec.replicas, 4);
    assert.equal(object.metadata.generation, 2);
  });

  test("scale goes through the scale subresource", async () => {
    const run = await kubectl(["scale", "deployment/ssa", "--replicas=3"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), "deployment.apps/ssa scaled");
    assert.equal((await getJson("deployment/ssa")).spec.replicas, 3);
  });

  test("get -w prints the current row, then a row per change", async () => {
    const child = spawn("kubectl", ["get", "deployment/ssa", "-w"], {
      env: kubectlEnv(),
    });
    let output = "";
    const lines = () => output.split("\n").filter((line) => line.trim() !== "");
    const waitFor = async (count: number) => {
      const deadline = Date.now() + 20_000;
      while (lines().length < count && Date.now() < deadline)
        await new Promise((resolve) => child.stdout.once("data", resolve).once("close", resolve));
    };
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(2);
      assert.match(lines()[0] ?? "", /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
      assert.match(lines()[1] ?? "", /^ssa\s+0\/3\s+0\s+0\s+/);
      const scaled = await kubectl(["scale", "deployment/ssa", "--replicas=5"]);
      assert.equal(scaled.code, 0, scaled.stderr);
      await waitFor(3);
      assert.match(lines()[2] ?? "", /^ssa\s+0\/5\s+/);
    } finally {
      child.kill();
    }
  });

  test("client-side apply: created, configured, unchanged, with last-applied-configuration", async () => {
    const first = await kubectl(["apply", "-f", file("csa.yaml", manifest("csa", 1))]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), "deployment.apps/csa created");
    const second = await kubectl(["apply", "-f", file("csa2.yaml", manifest("csa", 1, "app:2"))]);
    assert.equal(second.stdout.trim(), "deployment.apps/csa configured");
    const third = await kubectl(["apply", "-f", join(dir, "csa2.yaml")]);
    assert.equal(third.stdout.trim(), "deployment.apps/csa unchanged");
    const object = await getJson("deployment/csa");
    const containers = (object.spec.template as { spec: { containers: { image: string }[] } }).spec
      .containers;
    assert.equal(containers[0]?.image, "app:2");
    const annotations = object.metadata.annotations as Record<string, string>;
    assert.match(annotations["kubectl.kubernetes.io/last-applied-configuration"] ?? "", /"image":"app:2"/);
    assert.equal(object.metadata.generation, 2);
  });

  test("moving a client-side-applied object to server-side apply: kubectl migrates the ownership, no conflict", async () => {
    const created = await kubectl(["apply", "-f", file("move.yaml", manifest("move", 1))]);
    assert.equal(created.code, 0, created.stderr);
    const moved = await kubectl([
      "apply",
      "--server-side",
      "-f",
      file("move2.yaml", manifest("move", 2, "app:2")),
    ]);
    assert.equal(moved.code, 0, moved.stderr);
    const object = await getJson("deployment/move");
    assert.equal(object.spec.replicas, 2);
    const managers = (object.metadata.managedFields as { manager: string; operation: string }[]).map(
      (entry) => `${entry.manager}/${entry.operation}`,
    );
    assert.ok(managers.includes("kubectl/Apply"), managers.join(","));
    assert.ok(!managers.includes("kubectl-client-side-apply/Update"), managers.join(","));
  });

  test("an unknown field is rejected by the server's strict validation (no --validate=false needed)", async () => {
    const bad = file("bad.yaml", manifest("bad", 1, "app:1", "\n  foo: 1"));
    const run = await kubectl(["apply", "-f", bad]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"/,
    );
    const warned = await kubectl(["apply", "--validate=warn", "-f", bad]);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /Warning: unknown field "spec.foo"/);
  });

  test("apply --dry-run=server stores nothing", async () => {
    const run = await kubectl(["apply", "--dry-run=server", "-f", file("dry.yaml", manifest("dry", 1))]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), "deployment.apps/dry created (server dry run)");
    const get = await kubectl(["get", "deployment/dry"]);
    assert.equal(get.code, 1);
    assert.equal(get.stderr.trim(), 'Error from server (NotFound): deployments.apps "dry" not found');
  });

  test("diff (server-side dry run): exit 1 with the change, exit 0 when nothing would change", async () => {
    const changed = await kubectl(["diff", "-f", file("csa-diff.yaml", manifest("csa", 3, "app:2"))]);
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /^- {2}replicas: 1$/m);
    assert.match(changed.stdout, /^\+ {2}replicas: 3$/m);
    const same = await kubectl(["diff", "-f", join(dir, "csa2.yaml")]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, "");
  });

  test("delete removes the object and waits for it to go", async () => {
    const run = await kubectl(["delete", "deployment/csa"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'deployment.apps "csa" deleted');
    const get = await kubectl(["get", "deployment/csa"]);
    assert.equal(get.stderr.trim(), 'Error from server (NotFound): deployments.apps "csa" not found');
  });

  test("logs: the API server asks the registered log source for the container's text", async () => {
    platform.context.podLogs = {
      logs: async (pod, options) => {
        if (options.container === "side")
          throw new Error(
            `container "side" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
          );
        return `log of ${pod.metadata.name}/${options.container}, tail ${options.tailLines ?? "all"}\n`;
      },
    };
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: logged}
spec:
  nodeName: local
  containers: [{name: app, image: "app:1"}, {name: side, image: "side:1"}]
`;
    const created = await kubectl(["apply", "-f", "-"], { input: pod });
    assert.equal(created.code, 0, created.stderr);
    const run = await kubectl(["logs", "logged", "-c", "app", "--tail=5"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "log of logged/app, tail 5\n");
    const waiting = await kubectl(["logs", "logged", "-c", "side"]);
    assert.equal(waiting.code, 1);
    assert.equal(
      waiting.stderr.trim(),
      'Error from server (BadRequest): container "side" in pod "logged" is waiting to start: ContainerCreating',
    );
  });

  test("the kinds the project's manifests use apply together (built-in and stored generically)", async () => {
    const documents = `apiVersion: v1
kind: Namespace
metadata: {name: jobs}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: jobs, annotations: {azure.workload.identity/client-id: "00000000-0000-0000-0000-000000000000"}}
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: jobs}
stringData: {url: "postgres://db/jobs"}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: jobs}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: jobs}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 5
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: jobs}
spec: {minAvailable: 1, selector: {matchLabels: {app: api}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: jobs}
spec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Ingress], ingress: [{ports: [{port: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: jobs}
spec:
  tls: [{hosts: [jobs.example.test], secretName: api-tls}]
  rules: [{host: jobs.example.test, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}}]
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: letsencrypt}
spec: {acme: {server: "https://acme.example.test/directory", privateKeySecretRef: {name: acme-key}, solvers: [{http01: {ingress: {ingressClassName: nginx}}}]}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: api-tls, namespace: jobs}
spec: {secretName: api-tls, dnsNames: [jobs.example.test], issuerRef: {name: letsencrypt, kind: ClusterIssuer}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: api, namespace: jobs}
spec: {selector: {matchLabels: {app: api}}, endpoints: [{port: http, path: /metrics}]}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: api, namespace: jobs}
spec: {groups: [{name: api, rules: [{alert: HighErrorRate, expr: "rate(http_requests_total{code=~\\"5..\\"}[5m]) > 1"}]}]}
---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata: {name: kv, namespace: jobs}
spec: {provider: azure, parameters: {keyvaultName: kv-jobs}}
`;
    const run = await kubectl(["apply", "--server-side", "-f", file("all-kinds.yaml", documents)]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim().split("\n").length, 13);
    const names = await kubectl([
      "get",
      "-n",
      "jobs",
      "serviceaccount,secret,service,hpa,pdb,networkpolicy,ingress,certificate,servicemonitor,prometheusrule,secretproviderclass",
      "-o",
      "name",
    ]);
    assert.equal(names.code, 0, names.stderr);
    for (const expected of [
      "serviceaccount/api",
      "secret/db",
      "service/api",
      "horizontalpodautoscaler.autoscaling/api",
      "poddisruptionbudget.policy/api",
      "networkpolicy.networking.k8s.io/api",
      "ingress.networking.k8s.io/api",
      "certificate.cert-manager.io/api-tls",
      "servicemonitor.monitoring.coreos.com/api",
      "prometheusrule.monitoring.coreos.com/api",
      "secretproviderclass.secrets-store.csi.x-k8s.io/kv",
    ]) {
      assert.ok(names.stdout.split("\n").includes(expected), `${expected} in ${names.stdout}`);
    }
    const secret = JSON.parse((await kubectl(["get", "-n", "jobs", "secret/db", "-o", "json"])).stdout) as {
      data: Record<string, string>;
      stringData?: unknown;
      type: string;
    };
    assert.equal(Buffer.from(secret.data.url ?? "", "base64").toString(), "postgres://db/jobs");
    assert.equal(secret.stringData, undefined);
    assert.equal(secret.type, "Opaque");
    const again = await kubectl(["apply", "--server-side", "-f", join(dir, "all-kinds.yaml")]);
    assert.equal(again.code, 0, again.stderr);
    const clientSide = await kubectl(["apply", "-f", join(dir, "all-kinds.yaml")]);
    assert.equal(clientSide.code, 0, clientSide.stderr);
  });

  test("a wrong token is refused", async () => {
    const kubeconfig = file(
      "wrong-kubeconfig",
      kubeconfigYaml(platform.url, "wrong-token", platform.context.caCertificate),
    );
    const run = await kubectl(["get", "deployments"], { kubeconfig });
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trim(), "error: You must be logged in to the server (Unauthorized)");
  });
});
