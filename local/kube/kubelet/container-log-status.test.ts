import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ContainerState, ContainerStatus } from "../api/kinds.ts";
import { validateContainerLogStatus } from "./container-log-status.ts";

function status(
  state: ContainerState,
  lastState: ContainerState = {},
  containerID?: string,
): ContainerStatus {
  return {
    name: "app",
    state,
    lastState,
    ready: false,
    restartCount: 0,
    image: "app:1",
    imageID: "",
    ...(containerID ? { containerID } : {}),
  };
}

const crashed = (containerID: string): ContainerState => ({ terminated: { exitCode: 3, containerID } });

describe("validateContainerLogStatus: which instance kubectl logs reads", () => {
  test("a running container: its current id", () => {
    const running = status({ running: { startedAt: "t" } }, crashed("docker://old"), "docker://new");
    assert.equal(validateContainerLogStatus("web", running, "app", false), "docker://new");
  });

  test("previous: the last terminated instance, or the kubelet's message when there is none", () => {
    const running = status({ running: {} }, crashed("docker://old"), "docker://new");
    assert.equal(validateContainerLogStatus("web", running, "app", true), "docker://old");
    assert.throws(
      () => validateContainerLogStatus("web", status({ running: {} }, {}, "docker://new"), "app", true),
      { message: 'previous terminated container "app" in pod "web" not found' },
    );
  });

  test("crash-looping (waiting in back-off): the instance that last ended", () => {
    const backingOff = status(
      { waiting: { reason: "CrashLoopBackOff" } },
      crashed("containerd://last"),
      "containerd://last",
    );
    assert.equal(validateContainerLogStatus("web", backingOff, "app", false), "containerd://last");
    assert.equal(validateContainerLogStatus("web", backingOff, "app", true), "containerd://last");
  });

  test("terminated: its own id, else its predecessor's, else the kubelet's message", () => {
    assert.equal(
      validateContainerLogStatus("web", status(crashed("docker://a")), "app", false),
      "docker://a",
    );
    assert.equal(
      validateContainerLogStatus("web", status(crashed(""), crashed("docker://b")), "app", false),
      "docker://b",
    );
    assert.throws(() => validateContainerLogStatus("web", status(crashed("")), "app", false), {
      message: 'container "app" in pod "web" is terminated',
    });
  });

  test("waiting with no instance yet: the kubelet's messages per reason", () => {
    const waiting = (reason: string) => status({ waiting: { reason } });
    const cases: [string, string][] = [
      ["ErrImagePull", 'container "app" in pod "web" is waiting to start: image can\'t be pulled'],
      [
        "ImagePullBackOff",
        'container "app" in pod "web" is waiting to start: trying and failing to pull image',
      ],
      [
        "CreateContainerConfigError",
        'container "app" in pod "web" is waiting to start: CreateContainerConfigError',
      ],
      ["ContainerCreating", 'container "app" in pod "web" is waiting to start: ContainerCreating'],
    ];
    for (const [reason, message] of cases)
      assert.throws(() => validateContainerLogStatus("web", waiting(reason), "app", false), { message });
    assert.throws(() => validateContainerLogStatus("web", status({}), "app", false), {
      message: 'container "app" in pod "web" is waiting to start - no logs yet',
    });
    assert.throws(() => validateContainerLogStatus("web", undefined, "app", false), {
      message: 'container "app" in pod "web" is not available',
    });
  });
});
