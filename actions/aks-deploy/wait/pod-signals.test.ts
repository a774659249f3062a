// Every branch of the pod signals: decisive reasons, thresholds, probe-derived readiness allowance,
// ReplicaFailure, and when to look again.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { V1Container, V1ContainerStatus, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import {
  defaultThresholds,
  nextSignalDue,
  type PodSignal,
  podSignals,
  readinessAllowanceMs,
  signalThresholds,
} from "./pod-signals.ts";

const now = new Date("2026-01-01T00:10:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
const probe = { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 3 };

function pod(
  status: Partial<V1ContainerStatus>,
  options: { container?: V1Container; pod?: Partial<V1Pod> } = {},
) {
  const container: V1Container = options.container ?? { name: "web", image: "web:1", readinessProbe: probe };
  return {
    metadata: { name: "api-1-abc" },
    spec: { containers: [container] },
    status: {
      containerStatuses: [
        { name: "web", image: "web:1", imageID: "", ready: false, restartCount: 0, ...status },
      ],
    },
    ...options.pod,
  } as V1Pod;
}

const cases: [string, V1Pod, PodSignal[]][] = [
  ...(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError"] as const).map(
    (reason): [string, V1Pod, PodSignal[]] => [
      `${reason} is decisive at once`,
      pod({ state: { waiting: { reason, message: `${reason} details` } } }),
      [{ pod: "api-1-abc", container: "web", reason, message: `${reason} details`, decisive: true }],
    ],
  ),
  [
    "CrashLoopBackOff is decisive and carries the last exit",
    pod({
      restartCount: 1,
      state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 10s restarting failed container" } },
      lastState: { terminated: { exitCode: 1, reason: "Error" } },
    }),
    [
      {
        pod: "api-1-abc",
        container: "web",
        reason: "CrashLoopBackOff",
        message: "back-off 10s restarting failed container; last exit code 1 (Error)",
        decisive: true,
      },
    ],
  ],
  [
    "OOMKilled in the last state wins over CrashLoopBackOff",
    pod({
      restartCount: 1,
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } },
    }),
    [
      {
        pod: "api-1-abc",
        container: "web",
        reason: "OOMKilled",
        message: 'container "web" was killed for exceeding its memory limit (restarts: 1)',
        decisive: true,
      },
    ],
  ],
  [
    "OOMKilled in the current state",
    pod({ state: { terminated: { exitCode: 137, reason: "OOMKilled" } } }),
    [
      {
        pod: "api-1-abc",
        container: "web",
        reason: "OOMKilled",
        message: 'container "web" was killed for exceeding its memory limit (restarts: 0)',
        decisive: true,
      },
    ],
  ],
  [
    "restarts past the threshold are decisive even while running and ready",
    pod({
      restartCount: 3,
      ready: true,
      state: { running: { startedAt: new Date(ago(1)) } },
      lastState: { terminated: { exitCode: 2, reason: "Error" } },
    }),
    [
      {
        pod: "api-1-abc",
        container: "web",
        reason: "RestartsExceeded",
        message: 'container "web" restarted 3 times (more than 2); last exit code 2 (Error)',
        decisive: true,
      },
    ],
  ],
  [
    "restarts within the threshold are context only",
    pod({
      restartCount: 2,
      ready: true,
      state: { running: { startedAt: new Date(ago(1)) } },
      lastState: { terminated: { exitCode: 1 } },
    }),
    [
      {
        pod: "api-1-abc",
        container: "web",
        reason: "Restarted",
        message: 'container "web" restarted 2 times; last exit code 1',
        decisive: false,
      },
    ],
  ],
  [
    "not ready past the probes' allowance (0 + 1 x 3 s) and the 10 s margin is decisive",
    pod({ state: { running: { startedAt: ago(14) as unknown as Date } } }),
    [
      {
        pod: "api-1-abc",
        container: "web",
        reason: "NeverReady",
        message:
          'container "web" is running but not ready 14s after it started; its probes allow 3s plus a 10s margin',
        decisive: true,
      },
    ],
  ],
  [
    "not ready within the allowance: nothing yet",
    pod({ state: { running: { startedAt: new Date(ago(12)) } } }),
    [],
  ],
  [
    "without probes, running is ready: no readiness signal",
    pod({ state: { running: { startedAt: new Date(ago(600)) } } }, { container: { name: "web" } }),
    [],
  ],
  [
    "other waiting reasons are context",
    pod({ state: { waiting: { reason: "RunContainerError", message: "boom" } } }),
    [{ pod: "api-1-abc", container: "web", reason: "RunContainerError", message: "boom", decisive: false }],
  ],
  ["ContainerCreating says nothing", pod({ state: { waiting: { reason: "ContainerCreating" } } }), []],
  [
    "a terminating pod is ignored",
    pod(
      { state: { waiting: { reason: "CrashLoopBackOff" } } },
      { pod: { metadata: { name: "api-1-abc", deletionTimestamp: new Date(ago(1)) } } },
    ),
    [],
  ],
  [
    "init containers are read too",
    {
      metadata: { name: "api-1-abc" },
      spec: { initContainers: [{ name: "migrate" }], containers: [{ name: "web" }] },
      status: {
        initContainerStatuses: [
          {
            name: "migrate",
            image: "m:1",
            imageID: "",
            ready: false,
            restartCount: 1,
            state: { waiting: { reason: "CrashLoopBackOff", message: "back-off" } },
          },
        ],
      },
    },
    [
      {
        pod: "api-1-abc",
        container: "migrate",
        reason: "CrashLoopBackOff",
        message: "back-off",
        decisive: true,
      },
    ],
  ],
];

for (const [name, input, expected] of cases)
  test(`podSignals: ${name}`, () => {
    assert.deepEqual(podSignals([input], undefined, defaultThresholds, now), expected);
  });

function unschedulable(sinceSeconds: number): V1Pod {
  return {
    metadata: { name: "api-1-xyz" },
    spec: { containers: [{ name: "web" }] },
    status: {
      conditions: [
        {
          type: "PodScheduled",
          status: "False",
          reason: "Unschedulable",
          message: "0/1 nodes are available: 1 Insufficient cpu.",
          lastTransitionTime: ago(sinceSeconds) as unknown as Date,
        },
      ],
    },
  };
}

test("podSignals: Unschedulable is context before the threshold and decisive after it", () => {
  const message = "0/1 nodes are available: 1 Insufficient cpu.";
  assert.deepEqual(podSignals([unschedulable(59)], undefined, defaultThresholds, now), [
    { pod: "api-1-xyz", reason: "Unschedulable", message, decisive: false },
  ]);
  assert.deepEqual(podSignals([unschedulable(60)], undefined, defaultThresholds, now), [
    { pod: "api-1-xyz", reason: "Unschedulable", message, decisive: true },
  ]);
  assert.deepEqual(
    nextSignalDue([unschedulable(59)], undefined, defaultThresholds, now),
    new Date(now.getTime() + 1000),
  );
});

test("podSignals: ReplicaFailure on the ReplicaSet is decisive", () => {
  const rs: V1ReplicaSet = {
    metadata: { name: "api-7d9f" },
    spec: { selector: {} },
    status: {
      replicas: 0,
      conditions: [
        { type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: 'pods "x" is forbidden' },
      ],
    },
  };
  assert.deepEqual(podSignals([], rs, defaultThresholds, now), [
    { replicaSet: "api-7d9f", reason: "FailedCreate", message: 'pods "x" is forbidden', decisive: true },
  ]);
  const cleared = structuredClone(rs);
  cleared.status = { replicas: 0, conditions: [{ type: "ReplicaFailure", status: "False" }] };
  assert.deepEqual(podSignals([], cleared, defaultThresholds, now), []);
});

test("nextSignalDue: the earliest readiness allowance end; none when nothing is pending", () => {
  const started = pod({ state: { running: { startedAt: new Date(ago(5)) } } });
  assert.deepEqual(
    nextSignalDue([started], undefined, defaultThresholds, now),
    new Date(now.getTime() + 8000),
  );
  assert.equal(nextSignalDue([], undefined, defaultThresholds, now), undefined);
});

test("readinessAllowanceMs: startup and readiness probes with API defaults, plus the margin", () => {
  const thresholds = signalThresholds({ readinessMarginMs: 5000 });
  assert.equal(readinessAllowanceMs({ name: "a" }, thresholds), undefined);
  assert.equal(readinessAllowanceMs({ name: "a", readinessProbe: {} }, thresholds), 35_000);
  assert.equal(
    readinessAllowanceMs(
      {
        name: "a",
        startupProbe: { initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 30 },
        readinessProbe: { initialDelaySeconds: 1, periodSeconds: 5, failureThreshold: 2 },
      },
      thresholds,
    ),
    (65 + 11) * 1000 + 5000,
  );
});

test("signalThresholds: defaults, overrides, and a clear error for a bad value", () => {
  assert.deepEqual(signalThresholds(), {
    maxRestarts: 2,
    unschedulableMs: 60_000,
    readinessMarginMs: 10_000,
  });
  assert.equal(signalThresholds({ maxRestarts: 0 }).maxRestarts, 0);
  assert.throws(() => signalThresholds({ maxRestarts: -1 }), {
    name: "RangeError",
    message: "threshold maxRestarts: -1 is not a whole number >= 0",
  });
  assert.throws(() => signalThresholds({ unschedulableMs: Number.NaN }), {
    message: "threshold unschedulableMs: NaN is not a whole number >= 0",
  });
});
