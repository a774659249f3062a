import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  computeExitAction,
  computeImageAction,
  configRetryMs,
  createContainerConfigError,
  type ExitFacts,
  errImagePullShownMs,
  type ImageFacts,
  imagePulled,
  imagePullFailed,
  probeFailureKill,
  shouldContainerBeRestarted,
  startedProbeState,
  terminatedState,
} from "./pod-actions.ts";
import type { ContainerExit } from "./pod-runtime.ts";

const exit = (exitCode: number, reason: ContainerExit["reason"]): ContainerExit => ({
  exitCode,
  reason,
  startedAt: new Date("2026-01-01T10:00:00.250Z"),
  finishedAt: new Date("2026-01-01T10:00:05.750Z"),
});

describe("shouldContainerBeRestarted", () => {
  const cases: [policy: string | undefined, exitCode: number, deleting: boolean, restart: boolean][] = [
    ["Always", 0, false, true],
    ["Always", 1, false, true],
    [undefined, 0, false, true],
    ["OnFailure", 0, false, false],
    ["OnFailure", 2, false, true],
    ["Never", 0, false, false],
    ["Never", 137, false, false],
    ["Always", 1, true, false],
    ["OnFailure", 1, true, false],
  ];
  for (const [policy, exitCode, deleting, restart] of cases) {
    test(`${policy ?? "(default)"}, exit ${exitCode}${deleting ? ", pod deleting" : ""}: ${restart ? "restart" : "stay"}`, () => {
      assert.equal(shouldContainerBeRestarted(policy, exitCode, deleting), restart);
    });
  }
});

describe("computeExitAction", () => {
  const terminated = terminatedState(exit(1, "Error"), "containerd://abc");
  const facts = (overrides: Partial<ExitFacts>): ExitFacts => ({
    container: "app",
    podText: "web-1_default(uid-1)",
    restartPolicy: "Always",
    deleting: false,
    terminated,
    exitCode: 1,
    crashBackoff: { leftMs: 0, currentMs: 0 },
    ...overrides,
  });

  const cases: { name: string; facts: Partial<ExitFacts>; want: ReturnType<typeof computeExitAction> }[] = [
    {
      name: "first crash, no back-off yet: restarted at once, the run becomes lastState",
      facts: {},
      want: { action: "restart", lastState: terminated, state: terminated, events: [], waitMs: 0 },
    },
    {
      name: "a crash inside the back-off window: CrashLoopBackOff for what is left of it",
      facts: { crashBackoff: { leftMs: 7_500, currentMs: 20_000 } },
      want: {
        action: "restart",
        lastState: terminated,
        state: {
          waiting: {
            reason: "CrashLoopBackOff",
            message: "back-off 20s restarting failed container=app pod=web-1_default(uid-1)",
          },
        },
        events: [
          {
            type: "Warning",
            reason: "BackOff",
            message: "Back-off restarting failed container app in pod web-1_default(uid-1)",
          },
        ],
        waitMs: 7_500,
      },
    },
    {
      name: "the back-off message prints Go's duration at the cap",
      facts: { crashBackoff: { leftMs: 1, currentMs: 300_000 } },
      want: {
        action: "restart",
        lastState: terminated,
        state: {
          waiting: {
            reason: "CrashLoopBackOff",
            message: "back-off 5m0s restarting failed container=app pod=web-1_default(uid-1)",
          },
        },
        events: [
          {
            type: "Warning",
            reason: "BackOff",
            message: "Back-off restarting failed container app in pod web-1_default(uid-1)",
          },
        ],
        waitMs: 1,
      },
    },
    {
      name: "OnFailure and a clean exit: the terminated state stays",
      facts: { restartPolicy: "OnFailure", exitCode: 0 },
      want: { action: "stay", state: terminated },
    },
    {
      name: "Never: the terminated state stays even in the back-off window",
      facts: { restartPolicy: "Never", crashBackoff: { leftMs: 5_000, currentMs: 10_000 } },
      want: { action: "stay", state: terminated },
    },
    {
      name: "the pod is being deleted: nothing restarts",
      facts: { deleting: true, crashBackoff: { leftMs: 5_000, currentMs: 10_000 } },
      want: { action: "stay", state: terminated },
    },
  ];
  for (const { name, facts: overrides, want } of cases) {
    test(name, () => assert.deepEqual(computeExitAction(facts(overrides)), want));
  }
});

describe("computeImageAction", () => {
  const cases: { name: string; facts: ImageFacts; want: ReturnType<typeof computeImageAction> }[] = [
    {
      name: "pulled already: nothing to do",
      facts: { image: "app:1", pulled: true, backoffLeftMs: 9_000 },
      want: { action: "present" },
    },
    {
      name: "not pulled, no back-off: pull",
      facts: { image: "app:1", pulled: false, backoffLeftMs: 0 },
      want: {
        action: "pull",
        events: [{ type: "Normal", reason: "Pulling", message: 'Pulling image "app:1"' }],
      },
    },
    {
      name: "not pulled, in the back-off window: ImagePullBackOff for what is left of it",
      facts: { image: "app:1", pulled: false, backoffLeftMs: 9_000 },
      want: {
        action: "wait",
        state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "app:1"' } },
        events: [
          { type: "Normal", reason: "BackOff", message: 'Back-off pulling image "app:1"' },
          { type: "Warning", reason: "Failed", message: "Error: ImagePullBackOff" },
        ],
        waitMs: 9_000,
      },
    },
  ];
  for (const { name, facts, want } of cases) {
    test(name, () => assert.deepEqual(computeImageAction(facts), want));
  }

  test("a failed pull shows ErrImagePull with the registry's message until the next sync", () => {
    assert.deepEqual(imagePullFailed("app:2", "rpc error: code = NotFound"), {
      state: { waiting: { reason: "ErrImagePull", message: "rpc error: code = NotFound" } },
      events: [
        {
          type: "Warning",
          reason: "Failed",
          message: 'Failed to pull image "app:2": rpc error: code = NotFound',
        },
        { type: "Warning", reason: "Failed", message: "Error: ErrImagePull" },
      ],
      waitMs: errImagePullShownMs,
    });
  });

  test("a successful pull reports how long it took as Go prints durations", () => {
    assert.equal(
      imagePulled("app:1", 1_500).message,
      'Successfully pulled image "app:1" in 1.5s (1.5s including waiting)',
    );
    assert.equal(
      imagePulled("app:1", 250).message,
      'Successfully pulled image "app:1" in 250ms (250ms including waiting)',
    );
  });
});

describe("the container's other states and events", () => {
  test("a config error waits for the resync with the error's own message", () => {
    assert.deepEqual(
      createContainerConfigError({ reason: "CreateContainerConfigError", message: 'secret "db" not found' }),
      {
        state: { waiting: { reason: "CreateContainerConfigError", message: 'secret "db" not found' } },
        events: [{ type: "Warning", reason: "Failed", message: 'Error: secret "db" not found' }],
        waitMs: configRetryMs,
      },
    );
  });

  test("terminated state: second-precision times, the signal only when there was one", () => {
    assert.deepEqual(terminatedState(exit(0, "Completed"), "docker://1"), {
      terminated: {
        exitCode: 0,
        reason: "Completed",
        startedAt: "2026-01-01T10:00:00Z",
        finishedAt: "2026-01-01T10:00:05Z",
        containerID: "docker://1",
      },
    });
    assert.equal(
      terminatedState({ ...exit(137, "OOMKilled"), signal: 9 }, "docker://1").terminated?.signal,
      9,
    );
  });

  const probeCases: [
    name: string,
    spec: Parameters<typeof startedProbeState>[0],
    want: ReturnType<typeof startedProbeState>,
  ][] = [
    ["no probes: started and ready at once", { name: "app" }, { started: true, ready: true }],
    [
      "a readiness probe: started, not ready yet",
      { name: "app", readinessProbe: {} },
      { started: true, ready: false },
    ],
    ["a startup probe: neither yet", { name: "app", startupProbe: {} }, { started: false, ready: false }],
  ];
  for (const [name, spec, want] of probeCases) {
    test(`on start, ${name}`, () => assert.deepEqual(startedProbeState(spec), want));
  }

  const killCases: [probeGrace: number | undefined, podGrace: number | undefined, want: number][] = [
    [5, 60, 5],
    [undefined, 60, 60],
    [undefined, undefined, 30],
  ];
  for (const [probeGrace, podGrace, want] of killCases) {
    test(`a failed probe kills with grace ${want} s (probe ${probeGrace}, pod ${podGrace})`, () => {
      const kill = probeFailureKill("liveness", "app", probeGrace, podGrace);
      assert.equal(kill.graceSeconds, want);
      assert.deepEqual(kill.event, {
        type: "Normal",
        reason: "Killing",
        message: "Container app failed liveness probe, will be restarted",
      });
    });
  }
});
