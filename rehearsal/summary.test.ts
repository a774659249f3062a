import assert from "node:assert/strict";
import { test } from "node:test";
import { clusterInputObjects } from "./cluster-inputs.ts";
import { rehearsalSummary } from "./summary.ts";

const deployRun = {
  exitCode: 1,
  report: { exitCode: 1, outcome: { result: "rolled-back" } },
  summary: "## aks-deploy: rolled back\n\nCrashLoopBackOff",
};

test("the summary lists each step against what it should end with, the traffic, and each action's own summary", () => {
  const text = rehearsalSummary({
    steps: [
      { name: "platform", seconds: 1.25, outcome: "up", ok: true },
      { name: "deploy broken release 3", seconds: 12, outcome: "exit 1 (rolled-back)", ok: true },
    ],
    expectations: [{ name: "deploy broken release 3", action: "aks-deploy", expected: 1, run: deployRun }],
    traffic: { sent: 300, ok: 300, failed: 0, failures: {} },
    totalSeconds: 13.3,
  });
  assert.match(text, /^# Rehearsal passed in 13\.3 s/);
  assert.match(text, /\| ✅ \| platform \| {2}\| up \| 1\.3 s \|/);
  assert.match(text, /\| ✅ \| deploy broken release 3 \| exit 1 \| exit 1 \(rolled-back\) \| 12\.0 s \|/);
  assert.match(text, /300 sent .*: 300 answered 200, \*\*0 failed\*\*\./);
  assert.match(
    text,
    /<details><summary>deploy broken release 3 \(actions\/aks-deploy, exit 1\)<\/summary>\n\n## aks-deploy: rolled back/,
  );
});

test("a failed request or step makes the rehearsal FAILED, with the kinds of failure", () => {
  const text = rehearsalSummary({
    steps: [{ name: "platform", seconds: 1, outcome: "up", ok: true }],
    expectations: [],
    traffic: { sent: 10, ok: 8, failed: 2, failures: { "HTTP 503": 1, ECONNRESET: 1 } },
    totalSeconds: 2,
  });
  assert.match(text, /^# Rehearsal FAILED/);
  assert.match(text, /\*\*2 failed\*\* \(HTTP 503: 1, ECONNRESET: 1\)/);
  assert.match(
    rehearsalSummary({ steps: [], expectations: [], traffic: undefined, totalSeconds: 1 }),
    /No requests were sent/,
  );
});

test("cluster inputs: the namespace first, then the Secrets and ConfigMap the local overlay reads, in it", () => {
  const objects = clusterInputObjects({
    namespace: "cloudjobhunt",
    database: { DB_HOST: "10.244.0.1" },
    linkedin: { baseUrl: "http://10.244.0.1:1234", token: "t" },
  });
  assert.deepEqual(
    objects.map((object) => `${object.kind}/${object.metadata?.namespace ?? ""}/${object.metadata?.name}`),
    [
      "Namespace//cloudjobhunt",
      "Secret/cloudjobhunt/cloudjobhunt-db",
      "ConfigMap/cloudjobhunt/cloudjobhunt-linkedin",
      "Secret/cloudjobhunt/cloudjobhunt-linkedin",
    ],
  );
});
