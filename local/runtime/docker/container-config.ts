// Turns a pod's container (as the kubelet hands it over) into the engine's create body: command and args
// with Kubernetes' entrypoint semantics, resolved env, resources, and the securityContext fields Docker
// can honour. It joins the pod sandbox's network and IPC namespaces, as a pod's containers do.
import type { V1Container } from "@kubernetes/client-node";
import type { ContainerLaunch, PodIdentity } from "../../kube/kubelet/pod-runtime.ts";
import { label } from "./labels.ts";
import { memoryBytes, nanoCpus } from "./quantity.ts";

/** What the kubelet reports as CreateContainerConfigError (the container is never created). */
export class ContainerConfigError extends Error {
  readonly reason = "CreateContainerConfigError";
  constructor(message: string) {
    super(message);
    this.name = "ContainerConfigError";
  }
}

/** The kubelet's runAsNonRoot check, with its messages, against the image's configured user. */
export function verifyRunAsNonRoot(pod: PodIdentity, container: V1Container, imageUser: string): void {
  const context = container.securityContext;
  if (!context?.runAsNonRoot) return;
  const where = `(pod: "${pod.name}_${pod.namespace}(${pod.uid})", container: ${container.name})`;
  if (context.runAsUser !== undefined) {
    if (context.runAsUser === 0)
      throw new ContainerConfigError(`container's runAsUser breaks non-root policy ${where}`);
    return;
  }
  const user = imageUser.split(":")[0] ?? "";
  if (user !== "" && !/^[0-9]+$/.test(user)) {
    throw new ContainerConfigError(
      `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root ${where}`,
    );
  }
  if (user === "" || Number(user) === 0) {
    throw new ContainerConfigError(`container has runAsNonRoot and image will run as root ${where}`);
  }
}

export interface CreateBodyInput {
  pod: PodIdentity;
  launch: ContainerLaunch;
  sandboxId: string;
  network: string;
}

export function createContainerBody({
  pod,
  launch,
  sandboxId,
  network,
}: CreateBodyInput): Record<string, unknown> {
  const { spec, env } = launch;
  const context = spec.securityContext;
  const limits = spec.resources?.limits ?? {};
  const user =
    context?.runAsUser === undefined
      ? undefined
      : `${context.runAsUser}${context.runAsGroup === undefined ? "" : `:${context.runAsGroup}`}`;
  return {
    Image: spec.image,
    // Kubernetes: command replaces the image's ENTRYPOINT (and then its CMD is dropped), args replace CMD.
    Entrypoint: spec.command,
    Cmd: spec.args,
    Env: Object.entries(env).map(([name, value]) => `${name}=${value}`),
    WorkingDir: spec.workingDir,
    User: user,
    OpenStdin: spec.stdin ?? false,
    Tty: false,
    Labels: {
      [label.network]: network,
      [label.role]: "app",
      [label.podUid]: pod.uid,
      [label.podNamespace]: pod.namespace,
      [label.podName]: pod.name,
      [label.container]: spec.name,
      [label.resources]: JSON.stringify(spec.resources ?? {}),
    },
    HostConfig: {
      NetworkMode: `container:${sandboxId}`,
      IpcMode: `container:${sandboxId}`,
      // An init as PID 1 forwards SIGTERM to the app, as a pod's process would receive it.
      Init: true,
      RestartPolicy: { Name: "no" },
      ReadonlyRootfs: context?.readOnlyRootFilesystem ?? false,
      Privileged: context?.privileged ?? false,
      CapAdd: context?.capabilities?.add,
      CapDrop: context?.capabilities?.drop,
      Memory: limits.memory ? memoryBytes(limits.memory) : undefined,
      NanoCpus: limits.cpu ? nanoCpus(limits.cpu) : undefined,
    },
  };
}
