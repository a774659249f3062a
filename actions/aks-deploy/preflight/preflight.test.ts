// The pre-flight end to end: manifests on disk -> loadManifests -> runPreflight against the local platform
// (API server only, so nothing but this test writes), talked to through its kubeconfig with client-node.
// Every bad input gets its exact problems, and the cluster is left exactly as it was.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type KubernetesObject,
  type KubernetesObjectApi,
  PatchStrategy,
  type V1CronJob,
  type V1Deployment,
} from "@kubernetes/client-node";
import { stringify } from "yaml";
import { formatProblem, type Problem } from "../../lib/report/problem.ts";
import { kubectlKustomize } from "../manifests/kustomize.ts";
import { loadManifests } from "../manifests/load.ts";
import type { ImageSubstitution } from "./image-substitution.ts";
import { runPreflight } from "./preflight.ts";
import { startTestApiServer, type TestApiServer } from "./testing/fixtures.ts";

const namespace = "prod";
const fieldManager = "aks-deploy";
const digest = `sha256:${"a".repeat(64)}`;
const apiImage = `myacr.azurecr.io/cloudjobhunt/api@${digest}`;
const substitution: ImageSubstitution = { container: "api", reference: apiImage };
/** What the manifests pin when nothing is substituted. */
const pinnedImage = `myacr.azurecr.io/cloudjobhunt/api@sha256:${"b".repeat(64)}`;

let server: TestApiServer;
let objectApi: KubernetesObjectApi;
let run = 0;
/** The cluster before any pre-flight: every test must leave it exactly so. */
let initial: Map<string, string>;

function deployment(): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", labels: { app: "api" } },
    spec: {
      replicas: 2,
      progressDeadlineSeconds: 120,
      selector: { matchLabels: { app: "api" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { app: "api" } },
        spec: {
          containers: [
            {
              name: "api",
              image: pinnedImage,
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: "/healthz", port: 8080 } },
              resources: {
                requests: { cpu: "100m", memory: "128Mi" },
                limits: { cpu: "500m", memory: "256Mi" },
              },
            },
          ],
        },
      },
    },
  };
}

const service = (): KubernetesObject & { spec: object } => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "api" },
  spec: { selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }] },
});

const configMap = (): KubernetesObject & { data: Record<string, string> } => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "settings" },
  data: { LOG_LEVEL: "info" },
});

function cronJob(): V1CronJob {
  const pod = deployment().spec?.template.spec;
  assert.ok(pod);
  const [container] = pod.containers;
  assert.ok(container);
  const { readinessProbe: _probe, ...job } = container;
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "digest" },
    spec: {
      schedule: "0 6 * * *",
      jobTemplate: {
        spec: {
          template: {
            spec: {
              restartPolicy: "OnFailure",
              initContainers: [{ ...job, name: "api", ports: [] }],
              containers: [
                { ...job, name: "mailer", image: `myacr.azurecr.io/cloudjobhunt/mailer@${digest}` },
              ],
            },
          },
        },
      },
    },
  };
}

function container(object: V1Deployment) {
  const found = object.spec?.template.spec?.containers[0];
  assert.ok(found);
  return found;
}

/** Writes `text` as a new manifest file, loads it and runs the pre-flight: the problems, file and all. */
async function preflight(text: string | Buffer, images: ImageSubstitution[] = [], target = namespace) {
  run += 1;
  const file = join(server.dir, `manifests-${run}.yaml`);
  writeFileSync(file, text);
  const loaded = await loadManifests([file], { kustomize: kubectlKustomize });
  if (loaded.problems.length > 0)
    return { file, problems: loaded.problems, objects: [] as KubernetesObject[] };
  const result = await runPreflight(loaded.documents, { namespace: target, images, objectApi, fieldManager });
  return { file, ...result };
}

const yamlOf = (...objects: object[]) => objects.map((object) => stringify(object)).join("---\n");

/** Everything the test namespace and the cluster scope hold, by identity -> resourceVersion. */
async function clusterState(): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  const kinds: [string, string, string | undefined][] = [
    ["apps/v1", "Deployment", namespace],
    ["v1", "Service", namespace],
    ["v1", "ConfigMap", namespace],
    ["v1", "Secret", namespace],
    ["batch/v1", "CronJob", namespace],
    ["v1", "Namespace", undefined],
    ["rbac.authorization.k8s.io/v1", "ClusterRole", undefined],
    ["apiextensions.k8s.io/v1", "CustomResourceDefinition", undefined],
  ];
  for (const [apiVersion, kind, inNamespace] of kinds) {
    const list = await objectApi.list(apiVersion, kind, inNamespace);
    for (const item of list.items)
      state.set(
        `${kind} ${item.metadata?.namespace ?? ""}/${item.metadata?.name}`,
        item.metadata?.resourceVersion ?? "",
      );
  }
  return state;
}

before(async () => {
  server = await startTestApiServer();
  objectApi = server.objectApi;
  // What a previous release left: the namespace, the Deployment and its ConfigMap.
  const existing: KubernetesObject[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { ...deployment(), metadata: { name: "api", namespace, labels: { app: "api" } } },
    { ...configMap(), metadata: { name: "settings", namespace } },
    // The namespace the repository's production manifests (k8s/prod) deploy to.
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "cloudjobhunt" } },
  ];
  for (const object of existing)
    await objectApi.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
  initial = await clusterState();
});
after(() => server.stop());

describe("runPreflight against the local platform", () => {
  test("a good manifest set passes: namespace set, images substituted (init containers of a CronJob too), nothing written", async () => {
    const placeholder = deployment();
    container(placeholder).image = "myacr.azurecr.io/cloudjobhunt/api:placeholder";
    const { problems, objects } = await preflight(yamlOf(placeholder, service(), configMap(), cronJob()), [
      substitution,
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      objects.map((object) => [object.kind, object.metadata?.namespace]),
      [
        ["Deployment", namespace],
        ["Service", namespace],
        ["ConfigMap", namespace],
        ["CronJob", namespace],
      ],
    );
    assert.equal((objects[0] as V1Deployment).spec?.template.spec?.containers[0]?.image, apiImage);
    const job = (objects[3] as V1CronJob).spec?.jobTemplate.spec?.template.spec;
    assert.equal(job?.initContainers?.[0]?.image, apiImage);
    assert.equal(job?.containers[0]?.image, `myacr.azurecr.io/cloudjobhunt/mailer@${digest}`);
    assert.deepEqual(await clusterState(), initial);
  });

  const withDeployment = (change: (object: V1Deployment) => void) => {
    const object = deployment();
    change(object);
    return yamlOf(object, service());
  };
  const podPath = "spec.template.spec.containers[0]";
  const huge = { ...configMap(), data: { blob: "x".repeat(1024 * 1024) } };

  type Expected = Omit<Problem, "file" | "line">;
  const cases: {
    name: string;
    text: string | Buffer;
    images?: ImageSubstitution[];
    target?: string;
    expected: Expected[];
  }[] = [
    {
      name: "YAML syntax error",
      text: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n",
      expected: [
        {
          document: 0,
          message:
            "YAML syntax error at line 4, column 1: Flow map in block collection must be sufficiently indented and end with a }",
          hint: "fix the YAML (indentation, quotes, brackets)",
        },
      ],
    },
    {
      name: "duplicate key",
      text: "apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: x}\n",
      expected: [
        {
          document: 0,
          message: 'duplicate key "kind" at line 3, column 1',
          hint: "remove one of the two; tools disagree on which one wins",
        },
      ],
    },
    {
      name: "a document that is not an object",
      text: `${yamlOf(configMap())}---\n42\n`,
      expected: [
        {
          document: 1,
          message: "document is a number, not a Kubernetes object",
          hint: "each document must be a mapping with apiVersion, kind and metadata",
        },
      ],
    },
    {
      name: "a binary file",
      text: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0xff]),
      expected: [{ message: "not a UTF-8 text file", hint: "manifests are YAML or JSON text" }],
    },
    {
      name: "an alias bomb",
      text: `apiVersion: v1\nkind: ConfigMap\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n`,
      expected: [
        {
          document: 0,
          message: "YAML aliases expand to more than 100 nodes: refused as a possible alias bomb",
          hint: "write the repeated parts out instead of using anchors and aliases",
        },
      ],
    },
    {
      name: "no objects at all",
      text: "# nothing to deploy\n",
      expected: [], // filled below: names the file
    },
    {
      name: "missing kind",
      text: "apiVersion: v1\nmetadata: {name: x}\n",
      expected: [
        {
          document: 0,
          path: "kind",
          message: "kind is missing",
          hint: "every object needs apiVersion and kind, e.g. apiVersion: apps/v1, kind: Deployment",
        },
      ],
    },
    {
      name: "a kind that does not exist",
      text: yamlOf({ ...configMap(), kind: "ConfigMapp" }),
      expected: [
        {
          document: 0,
          path: "kind",
          message: "the cluster does not serve v1 ConfigMapp",
          hint: "check apiVersion and kind",
        },
      ],
    },
    {
      name: "a CRD kind whose CRD is not installed",
      text: yamlOf({ apiVersion: "widgets.example.com/v1", kind: "Gadget", metadata: { name: "g" } }),
      expected: [
        {
          document: 0,
          path: "kind",
          message:
            "the cluster does not serve widgets.example.com/v1 Gadget: the CustomResourceDefinition gadgets.widgets.example.com is missing",
          hint: "install the CRD (or the operator that brings it) before deploying, or check apiVersion and kind",
        },
      ],
    },
    {
      name: "a retired apiVersion of a built-in kind",
      text: yamlOf({ ...deployment(), apiVersion: "extensions/v1beta1" }),
      expected: [
        {
          document: 0,
          path: "kind",
          message: "the cluster does not serve extensions/v1beta1 Deployment",
          hint: "use apiVersion apps/v1",
        },
      ],
    },
    {
      name: "a name that is not DNS-1123",
      text: yamlOf({ ...configMap(), metadata: { name: "Settings_1" } }),
      expected: [
        {
          document: 0,
          path: "metadata.name",
          message:
            "\"Settings_1\" is not valid: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com'), at most 253 characters",
        },
      ],
    },
    {
      name: "a Service name that is not a DNS-1035 label",
      text: yamlOf(deployment(), { ...service(), metadata: { name: "1api" } }),
      expected: [
        {
          document: 1,
          path: "metadata.name",
          message:
            "\"1api\" is not valid: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123'), at most 63 characters",
        },
      ],
    },
    {
      name: "no name",
      text: yamlOf({ ...configMap(), metadata: { labels: { a: "b" } } }),
      expected: [
        {
          document: 0,
          path: "metadata.name",
          message: "name is missing",
          hint: "every object applied needs metadata.name",
        },
      ],
    },
    {
      name: "a wrong type",
      text: withDeployment((object) => {
        Object.assign(object.spec ?? {}, { replicas: "two" });
      }),
      expected: [{ document: 0, path: "spec.replicas", message: 'must be an integer, got "two"' }],
    },
    {
      name: "a value outside its enum",
      text: withDeployment((object) => {
        Object.assign(container(object), { imagePullPolicy: "Sometimes" });
      }),
      expected: [
        {
          document: 0,
          path: `${podPath}.imagePullPolicy`,
          message: '"Sometimes" is not one of "Always", "IfNotPresent", "Never"',
        },
      ],
    },
    {
      name: "a quantity that is not one",
      text: withDeployment((object) => {
        Object.assign(container(object).resources?.limits ?? {}, { memory: "lots" });
      }),
      expected: [
        {
          document: 0,
          path: `${podPath}.resources.limits.memory`,
          message: '"lots" is not a quantity (e.g. 250m, 1, 512Mi, 2Gi)',
        },
      ],
    },
    {
      name: "a required field missing (the container's name)",
      text: withDeployment((object) => {
        delete (container(object) as { name?: string }).name;
      }),
      expected: [{ document: 0, path: `${podPath}.name`, message: "required field is missing" }],
    },
    {
      name: "a misspelt field (readinesProbe), which also leaves the container without a probe",
      text: withDeployment((object) => {
        const found = container(object);
        Object.assign(found, { readinesProbe: found.readinessProbe });
        delete found.readinessProbe;
      }),
      expected: [
        {
          document: 0,
          path: `${podPath}.readinesProbe`,
          message: 'unknown field "readinesProbe"',
          hint: 'did you mean "readinessProbe"?',
        },
        {
          document: 0,
          path: `${podPath}.readinessProbe`,
          message: 'container "api" has no readinessProbe',
          hint: "add one (httpGet on the health endpoint) so the rollout waits for ready pods",
        },
      ],
    },
    {
      name: "an unknown field nothing resembles",
      text: withDeployment((object) => {
        Object.assign(object.spec ?? {}, { canary: { weight: 10 } });
      }),
      expected: [
        {
          document: 0,
          path: "spec.canary",
          message: 'unknown field "canary"',
          hint: "check spelling and indentation (kubectl explain deployment.spec)",
        },
      ],
    },
    {
      name: "a selector that does not match the template's labels",
      text: withDeployment((object) => {
        if (object.spec) object.spec.selector = { matchLabels: { app: "web" } };
      }),
      expected: [
        {
          document: 0,
          path: "spec.template.metadata.labels",
          message:
            '`selector` does not match template `labels` (selector {"matchLabels":{"app":"web"}}, labels {"app":"api"})',
          hint: "give the pod template every label the selector requires",
        },
      ],
    },
    {
      name: "an empty selector",
      text: withDeployment((object) => {
        if (object.spec) object.spec.selector = {};
      }),
      expected: [
        {
          document: 0,
          path: "spec.selector",
          message: "empty selector: it would select every pod in the namespace",
          hint: "set spec.selector.matchLabels to the template's app label",
        },
      ],
    },
    {
      name: "two containers with one name",
      text: withDeployment((object) => {
        object.spec?.template.spec?.containers.push({
          ...container(object),
          image: `myacr.azurecr.io/sidecar@${digest}`,
        });
      }),
      expected: [
        {
          document: 0,
          path: "spec.template.spec.containers[1].name",
          message: `duplicate container name "api" (also ${podPath})`,
          hint: "containers and init containers of a pod need distinct names",
        },
      ],
    },
    {
      name: "an object over 1 MiB",
      text: yamlOf(huge),
      expected: [
        {
          document: 0,
          message: `object is ${Buffer.byteLength(JSON.stringify(huge))} bytes serialised, over the 1 MiB (1048576 bytes) Kubernetes stores`,
          hint: "move large data out of the manifest (a volume, the image, or Key Vault)",
        },
      ],
    },
    {
      name: "the same object twice",
      text: yamlOf(configMap(), { ...configMap(), metadata: { name: "settings", namespace } }),
      expected: [], // filled below: names the file
    },
    {
      name: "another namespace",
      text: yamlOf({ ...configMap(), metadata: { name: "settings", namespace: "staging" } }),
      expected: [
        {
          document: 0,
          path: "metadata.namespace",
          message: 'namespace "staging" is not the target namespace "prod"',
          hint: "remove metadata.namespace (the target namespace is set), or deploy it in a run for that namespace",
        },
      ],
    },
    {
      name: "a namespace on a cluster-scoped object",
      text: yamlOf({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "reader", namespace },
        rules: [],
      }),
      expected: [
        {
          document: 0,
          path: "metadata.namespace",
          message: "ClusterRole is cluster-scoped: a namespace is not allowed on this type",
          hint: "remove metadata.namespace",
        },
      ],
    },
    {
      name: "Recreate strategy",
      text: withDeployment((object) => {
        if (object.spec) object.spec.strategy = { type: "Recreate" };
      }),
      expected: [
        {
          document: 0,
          path: "spec.strategy.type",
          message: "strategy Recreate stops every pod before the new ones start",
          hint: "use type: RollingUpdate with rollingUpdate.maxUnavailable: 0",
        },
      ],
    },
    {
      name: "maxUnavailable left to its default",
      text: withDeployment((object) => {
        if (object.spec) object.spec.strategy = { type: "RollingUpdate" };
      }),
      expected: [
        {
          document: 0,
          path: "spec.strategy.rollingUpdate.maxUnavailable",
          message: "maxUnavailable is not set (the default 25% lets a rollout take serving pods away)",
          hint: "set spec.strategy.rollingUpdate.maxUnavailable: 0",
        },
      ],
    },
    {
      name: 'maxUnavailable "10%"',
      text: withDeployment((object) => {
        if (object.spec)
          object.spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } };
      }),
      expected: [
        {
          document: 0,
          path: "spec.strategy.rollingUpdate.maxUnavailable",
          message: 'maxUnavailable is "10%": a rollout may take serving pods away',
          hint: "set spec.strategy.rollingUpdate.maxUnavailable: 0",
        },
      ],
    },
    {
      name: "maxUnavailable and maxSurge both 0",
      text: withDeployment((object) => {
        if (object.spec)
          object.spec.strategy = {
            type: "RollingUpdate",
            rollingUpdate: { maxUnavailable: "0%", maxSurge: 0 },
          };
      }),
      expected: [
        {
          document: 0,
          path: "spec.strategy.rollingUpdate.maxSurge",
          message: "maxSurge may not be 0 when maxUnavailable is 0: the rollout could never start a new pod",
          hint: "set maxSurge to 1 or more (or a percentage)",
        },
      ],
    },
    {
      name: "no progressDeadlineSeconds",
      text: withDeployment((object) => {
        delete object.spec?.progressDeadlineSeconds;
      }),
      expected: [
        {
          document: 0,
          path: "spec.progressDeadlineSeconds",
          message: "progressDeadlineSeconds is not set",
          hint: "set it (e.g. 120) so a stuck rollout fails with ProgressDeadlineExceeded when you expect",
        },
      ],
    },
    {
      name: "no readiness probe",
      text: withDeployment((object) => {
        delete container(object).readinessProbe;
      }),
      expected: [
        {
          document: 0,
          path: `${podPath}.readinessProbe`,
          message: 'container "api" has no readinessProbe',
          hint: "add one (httpGet on the health endpoint) so the rollout waits for ready pods",
        },
      ],
    },
    {
      name: "no limits",
      text: withDeployment((object) => {
        container(object).resources = { requests: { cpu: "100m", memory: "128Mi" } };
      }),
      expected: [
        {
          document: 0,
          path: `${podPath}.resources`,
          message: 'container "api" sets no resources.limits.cpu, resources.limits.memory',
          hint: "set requests and limits for cpu and memory on every container",
        },
      ],
    },
    {
      name: "a tag instead of a digest on a container the pipeline does not substitute",
      text: withDeployment((object) => {
        object.spec?.template.spec?.containers.push({
          ...container(object),
          name: "proxy",
          image: "myacr.azurecr.io/envoy:1.30",
        });
      }),
      expected: [
        {
          document: 0,
          path: "spec.template.spec.containers[1].image",
          message: 'image "myacr.azurecr.io/envoy:1.30" is not pinned by digest',
          hint: "write it as <registry>/<repository>@sha256:<digest>, or pass image: proxy=<registry>/<repository>@sha256:<digest>",
        },
      ],
    },
    {
      name: "an image reference the distribution grammar refuses",
      text: withDeployment((object) => {
        object.spec?.template.spec?.containers.push({
          ...container(object),
          name: "proxy",
          image: "MyAcr.azurecr.io/Envoy@sha256:123",
        });
      }),
      expected: [
        {
          document: 0,
          path: "spec.template.spec.containers[1].image",
          message:
            'invalid image reference "MyAcr.azurecr.io/Envoy@sha256:123": digest "sha256:123" must be algorithm:hex, e.g. sha256:<64 hex digits>',
          hint: "fix the reference, or pass image: proxy=<registry>/<repository>@sha256:<digest>",
        },
      ],
    },
    {
      name: "the image the pipeline should substitute, without a substitution",
      text: withDeployment((object) => {
        container(object).image = "myacr.azurecr.io/cloudjobhunt/api:placeholder";
      }),
      expected: [
        {
          document: 0,
          path: `${podPath}.image`,
          message: 'image "myacr.azurecr.io/cloudjobhunt/api:placeholder" is not pinned by digest',
          hint: "write it as <registry>/<repository>@sha256:<digest>, or pass image: api=<registry>/<repository>@sha256:<digest>",
        },
      ],
    },
    {
      name: "a Secret with values",
      text: yamlOf({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "db" },
        stringData: { password: "hunter2" },
      }),
      expected: [
        {
          document: 0,
          path: "stringData",
          message: 'Secret "db" carries stringData in the manifests',
          hint: "keep secret values in Key Vault (a SecretProviderClass), not in the repository",
        },
      ],
    },
    {
      name: "a substitution that matches no container",
      text: yamlOf(deployment()),
      images: [substitution, { container: "worker", reference: apiImage }],
      expected: [
        {
          path: "image",
          message: `image "worker=${apiImage}" matches no container in the manifests`,
          hint: "the workloads' containers are: api",
        },
      ],
    },
    {
      name: "two images for one container",
      text: yamlOf(deployment()),
      images: [substitution, substitution],
      expected: [
        {
          path: "image",
          message: 'container "api" is given more than one image',
          hint: "give each container one image line",
        },
      ],
    },
    {
      name: "a target namespace the cluster does not have (found by the server-side dry run)",
      text: yamlOf(configMap()),
      target: "staging",
      expected: [
        {
          document: 0,
          path: "metadata.namespace",
          message: 'namespace "staging" does not exist in the cluster',
          hint: "create it first (the cluster's Terraform does), or add a Namespace object to the manifests",
        },
      ],
    },
  ];

  for (const entry of cases) {
    test(`bad input: ${entry.name}`, async () => {
      const { file, problems } = await preflight(entry.text, entry.images, entry.target);
      let expected = entry.expected;
      if (entry.name === "no objects at all")
        expected = [
          {
            message: `no Kubernetes objects found in "${file}"`,
            hint: "manifests takes folders or files, one per line, holding at least one object",
          },
        ];
      if (entry.name === "the same object twice")
        expected = [
          {
            document: 1,
            path: "metadata.name",
            message: `ConfigMap "settings" in namespace "prod" is also defined in ${file} (document 0)`,
            hint: "keep one definition of each object",
          },
        ];
      assert.deepEqual(
        problems.map(({ file: _file, line: _line, ...rest }) => rest),
        expected,
      );
      for (const problem of problems) {
        if (problem.document !== undefined) assert.equal(problem.file, file);
      }
      assert.deepEqual(await clusterState(), initial, "the cluster is unchanged");
    });
  }

  test(`${cases.length} distinct bad inputs, each with its own problems`, () => {
    assert.ok(cases.length >= 30);
    assert.equal(new Set(cases.map((entry) => entry.name)).size, cases.length);
  });

  test("every problem of a manifest set is reported at once, across documents, each at its line", async () => {
    const text = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: api",
      "spec:",
      "  replicas: 2",
      "  selector:",
      "    matchLabels: {app: api}",
      "  strategy:",
      "    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}",
      "  template:",
      "    metadata:",
      "      labels: {app: api}",
      "    spec:",
      "      containers:",
      "        - name: api",
      "          image: myacr.azurecr.io/cloudjobhunt/api:placeholder",
      "          resources:",
      "            requests: {cpu: 100m, memory: 128Mi}",
      "            limits: {cpu: 500m, memory: 256Mi}",
      "---",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: settings",
      "  namespace: other",
    ].join("\n");
    const { file, problems } = await preflight(text, [{ container: "nope", reference: apiImage }]);
    assert.deepEqual(problems.map(formatProblem), [
      `image: image "nope=${apiImage}" matches no container in the manifests (the workloads' containers are: api)`,
      `${file}:5 (document 0) spec.progressDeadlineSeconds: progressDeadlineSeconds is not set (set it (e.g. 120) so a stuck rollout fails with ProgressDeadlineExceeded when you expect)`,
      `${file}:16 (document 0) ${podPath}.readinessProbe: container "api" has no readinessProbe (add one (httpGet on the health endpoint) so the rollout waits for ready pods)`,
      `${file}:17 (document 0) ${podPath}.image: image "myacr.azurecr.io/cloudjobhunt/api:placeholder" is not pinned by digest (write it as <registry>/<repository>@sha256:<digest>, or pass image: api=<registry>/<repository>@sha256:<digest>)`,
      `${file}:26 (document 1) metadata.namespace: namespace "other" is not the target namespace "prod" (remove metadata.namespace (the target namespace is set), or deploy it in a run for that namespace)`,
    ]);
    assert.deepEqual(await clusterState(), initial);
  });

  test("a custom resource whose CustomResourceDefinition comes in the same manifests passes; the cluster is unchanged", async () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: {
        group: "example.com",
        scope: "Namespaced",
        names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
        versions: [
          { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } },
        ],
      },
    };
    const widget = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w" },
      spec: { size: 3 },
    };
    const { problems, objects } = await preflight(yamlOf(crd, widget));
    assert.deepEqual(problems, []);
    assert.equal(objects[1]?.metadata?.namespace, namespace, "namespaced by the CRD's scope");
    assert.deepEqual(await clusterState(), initial);
  });

  test("the repository's production manifests (kubectl kustomize k8s/prod) pass, with the build's image substituted", async () => {
    const production = join(import.meta.dirname, "../../../k8s/prod");
    const loaded = await loadManifests([production], { kustomize: kubectlKustomize });
    assert.deepEqual(loaded.problems, []);
    const built = `127.0.0.1:5000/cloudjobhunt/api@sha256:${"e".repeat(64)}`;
    const { problems, objects } = await runPreflight(loaded.documents, {
      namespace: "cloudjobhunt",
      images: [{ container: "api", reference: built }],
      objectApi,
      fieldManager,
    });
    assert.deepEqual(problems, []);
    const deployments = objects.filter((object): object is V1Deployment => object.kind === "Deployment");
    assert.equal(deployments.length, 1);
    assert.equal(deployments[0]?.spec?.template.spec?.containers[0]?.image, built);
    assert.deepEqual(await clusterState(), initial);
  });
});
