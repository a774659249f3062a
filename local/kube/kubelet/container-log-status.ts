// Which container instance `kubectl logs` reads, from the pod's status: the kubelet's
// validateContainerLogStatus (pkg/kubelet/kubelet_pods.go), with its messages. A crash-looping container
// shows the instance that last ended (its lastState), and `previous` always reads lastState.
import type { ContainerStatus } from "../api/kinds.ts";

export function validateContainerLogStatus(
  podName: string,
  status: ContainerStatus | undefined,
  containerName: string,
  previous: boolean,
): string {
  if (!status) throw new Error(`container "${containerName}" in pod "${podName}" is not available`);
  const { waiting, running, terminated } = status.state;
  const lastTerminated = status.lastState.terminated;
  const terminatedMessage = `container "${containerName}" in pod "${podName}" is terminated`;
  if (previous) {
    if (!lastTerminated?.containerID)
      throw new Error(`previous terminated container "${containerName}" in pod "${podName}" not found`);
    return lastTerminated.containerID;
  }
  if (running) {
    if (!status.containerID) throw new Error(`container "${containerName}" in pod "${podName}" has no id`);
    return status.containerID;
  }
  if (terminated) {
    // The next instance may not have started: its predecessor's log is then the one to show.
    const id = terminated.containerID || lastTerminated?.containerID;
    if (!id) throw new Error(terminatedMessage);
    return id;
  }
  if (lastTerminated) {
    if (!lastTerminated.containerID) throw new Error(terminatedMessage);
    return lastTerminated.containerID;
  }
  const waitingPrefix = `container "${containerName}" in pod "${podName}" is waiting to start`;
  if (waiting) {
    if (waiting.reason === "ErrImagePull") throw new Error(`${waitingPrefix}: image can't be pulled`);
    if (waiting.reason === "ImagePullBackOff")
      throw new Error(`${waitingPrefix}: trying and failing to pull image`);
    throw new Error(`${waitingPrefix}: ${waiting.reason ?? ""}`);
  }
  throw new Error(`${waitingPrefix} - no logs yet`);
}
