import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StoreError } from "./object-store.ts";
import {
  labelPredicate,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
  type Requirement,
  requirementsFromLabelSelector,
} from "./selectors.ts";

/** The error a call throws, checked to be the store's 400. */
function badRequest(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    assert.equal(error.code, 400);
    assert.equal(error.reason, "BadRequest");
    return error.message;
  }
  assert.fail("no error thrown");
}

const pod = (fields: Record<string, unknown>) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-1", namespace: "default", labels: { app: "web", tier: "front" } },
  ...fields,
});

describe("parseLabelSelector", () => {
  const cases: [text: string, requirements: Requirement[]][] = [
    ["", []],
    ["app=web", [{ key: "app", op: "=", value: "web" }]],
    ["app==web", [{ key: "app", op: "=", value: "web" }]],
    ["app != web", [{ key: "app", op: "!=", value: "web" }]],
    ["app=", [{ key: "app", op: "=", value: "" }]],
    ["env in (prod, staging)", [{ key: "env", op: "in", values: ["prod", "staging"] }]],
    ["env notin (dev)", [{ key: "env", op: "notin", values: ["dev"] }]],
    ["canary", [{ key: "canary", op: "exists" }]],
    ["!canary", [{ key: "canary", op: "!exists" }]],
    ["app.kubernetes.io/name=api", [{ key: "app.kubernetes.io/name", op: "=", value: "api" }]],
    [
      "app=web, env in (prod,staging),!canary",
      [
        { key: "app", op: "=", value: "web" },
        { key: "env", op: "in", values: ["prod", "staging"] },
        { key: "canary", op: "!exists" },
      ],
    ],
  ];
  for (const [text, requirements] of cases) {
    test(`"${text}"`, () => assert.deepEqual(parseLabelSelector(text), requirements));
  }

  const invalid = ["-app=web", "app=web_", "app=a b", "env in (prod,-x)", "Example.com/app=web", "!"];
  for (const text of invalid) {
    test(`"${text}" is a 400 naming the requirement`, () => {
      assert.equal(
        badRequest(() => parseLabelSelector(text)),
        `unable to parse requirement: ${text}`,
      );
    });
  }

  test("only the bad requirement of several is named", () => {
    assert.equal(
      badRequest(() => parseLabelSelector("app=web,tier=-front")),
      "unable to parse requirement: tier=-front",
    );
  });
});

describe("matchesRequirements", () => {
  const labels = { app: "web", env: "prod" };
  const cases: [selector: string, labels: Record<string, string> | undefined, matches: boolean][] = [
    ["", undefined, true],
    ["app=web", labels, true],
    ["app=api", labels, false],
    ["app=web", undefined, false],
    ["app!=api", labels, true],
    ["app!=web", labels, false],
    ["tier!=front", labels, true], // an absent label is "not equal"
    ["env in (prod,staging)", labels, true],
    ["env in (staging)", labels, false],
    ["tier in (front)", labels, false],
    ["env notin (dev)", labels, true],
    ["env notin (prod)", labels, false],
    ["tier notin (front)", labels, true], // an absent label is "not in"
    ["env", labels, true],
    ["tier", labels, false],
    ["!tier", labels, true],
    ["!env", labels, false],
    ["app=web,env in (prod),!tier", labels, true],
    ["app=web,env in (dev)", labels, false],
  ];
  for (const [selector, given, matches] of cases) {
    test(`"${selector}" ${matches ? "matches" : "does not match"} ${JSON.stringify(given)}`, () => {
      assert.equal(matchesRequirements(given, parseLabelSelector(selector)), matches);
    });
  }

  test("a key inherited from Object.prototype is not a label", () => {
    assert.equal(matchesRequirements({}, parseLabelSelector("constructor")), false);
    assert.equal(matchesRequirements({}, parseLabelSelector("!toString")), true);
  });
});

describe("requirementsFromLabelSelector (metav1.LabelSelector)", () => {
  test("matchLabels and every matchExpressions operator", () => {
    assert.deepEqual(
      requirementsFromLabelSelector({
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "env", operator: "In", values: ["prod", "staging"] },
          { key: "tier", operator: "NotIn", values: ["cache"] },
          { key: "track", operator: "Exists" },
          { key: "canary", operator: "DoesNotExist" },
        ],
      }),
      [
        { key: "app", op: "=", value: "web" },
        { key: "env", op: "in", values: ["prod", "staging"] },
        { key: "tier", op: "notin", values: ["cache"] },
        { key: "track", op: "exists" },
        { key: "canary", op: "!exists" },
      ],
    );
  });

  test("no selector and an empty one select everything", () => {
    assert.deepEqual(requirementsFromLabelSelector(undefined), []);
    assert.deepEqual(requirementsFromLabelSelector({}), []);
    assert.equal(matchesRequirements({ any: "thing" }, requirementsFromLabelSelector({})), true);
  });

  test("an expression with an unknown operator adds no requirement", () => {
    assert.deepEqual(
      requirementsFromLabelSelector({ matchExpressions: [{ key: "env", operator: "Gt", values: ["1"] }] }),
      [],
    );
  });

  test("labelPredicate applies the requirements to an object's labels", () => {
    const predicate = labelPredicate(requirementsFromLabelSelector({ matchLabels: { app: "web" } }));
    assert.equal(predicate(pod({})), true);
    assert.equal(predicate({ ...pod({}), metadata: { name: "bare" } }), false);
  });
});

describe("parseFieldSelector", () => {
  const running = pod({ spec: { nodeName: "local-node" }, status: { phase: "Running" } });
  const unscheduled = pod({ spec: {}, status: { phase: "Pending" } });
  const cases: [selector: string, object: ReturnType<typeof pod>, matches: boolean][] = [
    ["metadata.name=web-1", running, true],
    ["metadata.name==web-1", running, true],
    ["metadata.name=web-2", running, false],
    ["metadata.namespace!=kube-system", running, true],
    ["metadata.namespace!=default", running, false],
    ["spec.nodeName=local-node", running, true],
    ["spec.nodeName=", unscheduled, true], // an absent field compares as ""
    ["spec.nodeName=", running, false],
    ["status.phase=Running,spec.nodeName=local-node", running, true],
    ["status.phase=Running,spec.nodeName=other", running, false],
    ["", running, true],
  ];
  for (const [selector, object, matches] of cases) {
    test(`"${selector}" ${matches ? "matches" : "does not match"} the ${object === running ? "running" : "unscheduled"} pod`, () => {
      assert.equal(parseFieldSelector(selector, "Pod")(object), matches);
    });
  }

  test("numbers compare by their decimal text", () => {
    const replicaSet = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "rs" },
      status: { replicas: 3 },
    };
    assert.equal(parseFieldSelector("status.replicas=3", "ReplicaSet")(replicaSet), true);
    assert.equal(parseFieldSelector("status.replicas!=0", "ReplicaSet")(replicaSet), true);
  });

  test("fields are per kind: metadata.* everywhere, the indexed ones only where the real server has them", () => {
    assert.equal(
      parseFieldSelector("type=Opaque", "Secret")({ ...pod({}), kind: "Secret", type: "Opaque" }),
      true,
    );
    assert.equal(
      badRequest(() => parseFieldSelector("spec.nodeName=local-node", "Deployment")),
      "field label not supported: spec.nodeName",
    );
    assert.equal(
      badRequest(() => parseFieldSelector("metadata.labels=x", "Pod")),
      "field label not supported: metadata.labels",
    );
  });

  test("a part without an operator is a 400 naming the selector and the part", () => {
    assert.equal(
      badRequest(() => parseFieldSelector("metadata.name=web-1,status.phase", "Pod")),
      "invalid selector: 'metadata.name=web-1,status.phase'; can't understand 'status.phase'",
    );
  });
});
