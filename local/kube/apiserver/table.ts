// `Table` output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io): the columns `kubectl get`
// prints, computed server-side as the real server's printers do for the common kinds.
import type { KubeObject } from "../api/meta.ts";

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number;
type Printer = { columns: Column[]; cells: (object: KubeObject, now: Date) => Cell[] };

function column(name: string, type = "string", priority = 0, format = ""): Column {
  return { name, type, format, description: name, priority };
}

/** k8s.io/apimachinery duration.HumanDuration, as the AGE column shows it. */
export function humanDuration(seconds: number): string {
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${Math.floor(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${Math.floor(seconds % 60)}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 192) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

function age(object: KubeObject, now: Date): string {
  const created = object.metadata.creationTimestamp;
  if (!created) return "<unknown>";
  return humanDuration((now.getTime() - new Date(created).getTime()) / 1000);
}

type Loose = Record<string, unknown>;
const record = (value: unknown): Loose =>
  typeof value === "object" && value !== null ? (value as Loose) : {};
const list = (value: unknown): Loose[] => (Array.isArray(value) ? value.map(record) : []);
const num = (value: unknown): number => (typeof value === "number" ? value : 0);

function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return "Terminating";
  const status = record(pod.status);
  for (const container of list(status.containerStatuses)) {
    const state = record(container.state);
    const waiting = record(state.waiting);
    if (typeof waiting.reason === "string" && waiting.reason !== "") return waiting.reason;
    const terminated = record(state.terminated);
    if (typeof terminated.reason === "string" && terminated.reason !== "") return terminated.reason;
  }
  return typeof status.phase === "string" ? status.phase : "Pending";
}

function servicePorts(service: KubeObject): string {
  const ports = list(record(service.spec).ports).map((port) => {
    const node = port.nodePort ? `:${port.nodePort}` : "";
    return `${port.port}${node}/${port.protocol ?? "TCP"}`;
  });
  return ports.length > 0 ? ports.join(",") : "<none>";
}

const printers: Record<string, Printer> = {
  Deployment: {
    columns: [
      column("Name", "string", 0, "name"),
      column("Ready"),
      column("Up-to-date", "integer"),
      column("Available", "integer"),
      column("Age"),
      column("Containers", "string", 1),
      column("Images", "string", 1),
    ],
    cells: (object, now) => {
      const spec = record(object.spec);
      const status = record(object.status);
      const containers = list(record(record(spec.template).spec).containers);
      return [
        object.metadata.name ?? "",
        `${num(status.readyReplicas)}/${num(spec.replicas)}`,
        num(status.updatedReplicas),
        num(status.availableReplicas),
        age(object, now),
        containers.map((container) => String(container.name)).join(","),
        containers.map((container) => String(container.image)).join(","),
      ];
    },
  },
  ReplicaSet: {
    columns: [
      column("Name", "string", 0, "name"),
      column("Desired", "integer"),
      column("Current", "integer"),
      column("Ready", "integer"),
      column("Age"),
    ],
    cells: (object, now) => {
      const status = record(object.status);
      return [
        object.metadata.name ?? "",
        num(record(object.spec).replicas),
        num(status.replicas),
        num(status.readyReplicas),
        age(object, now),
      ];
    },
  },
  Pod: {
    columns: [
      column("Name", "string", 0, "name"),
      column("Ready"),
      column("Status"),
      column("Restarts", "string"),
      column("Age"),
      column("IP", "string", 1),
      column("Node", "string", 1),
    ],
    cells: (object, now) => {
      const status = record(object.status);
      const statuses = list(status.containerStatuses);
      const total = list(record(object.spec).containers).length;
      const ready = statuses.filter((container) => container.ready === true).length;
      const restarts = statuses.reduce((sum, container) => sum + num(container.restartCount), 0);
      return [
        object.metadata.name ?? "",
        `${ready}/${total}`,
        podStatus(object),
        String(restarts),
        age(object, now),
        String(status.podIP ?? "<none>"),
        String(record(object.spec).nodeName ?? "<none>"),
      ];
    },
  },
  Service: {
    columns: [
      column("Name", "string", 0, "name"),
      column("Type"),
      column("Cluster-IP"),
      column("External-IP"),
      column("Port(s)"),
      column("Age"),
    ],
    cells: (object, now) => {
      const spec = record(object.spec);
      return [
        object.metadata.name ?? "",
        String(spec.type ?? "ClusterIP"),
        String(spec.clusterIP ?? "<none>"),
        "<none>",
        servicePorts(object),
        age(object, now),
      ];
    },
  },
  Namespace: {
    columns: [column("Name", "string", 0, "name"), column("Status"), column("Age")],
    cells: (object, now) => [
      object.metadata.name ?? "",
      String(record(object.status).phase ?? "Active"),
      age(object, now),
    ],
  },
  ConfigMap: {
    columns: [column("Name", "string", 0, "name"), column("Data", "integer"), column("Age")],
    cells: (object, now) => [
      object.metadata.name ?? "",
      Object.keys(record(object.data)).length + Object.keys(record(object.binaryData)).length,
      age(object, now),
    ],
  },
  Secret: {
    columns: [column("Name", "string", 0, "name"), column("Type"), column("Data", "integer"), column("Age")],
    cells: (object, now) => [
      object.metadata.name ?? "",
      String(object.type ?? "Opaque"),
      Object.keys(record(object.data)).length,
      age(object, now),
    ],
  },
  Event: {
    columns: [column("Last Seen"), column("Type"), column("Reason"), column("Object"), column("Message")],
    cells: (object, now) => {
      const involved = record(object.involvedObject);
      const last =
        typeof object.lastTimestamp === "string"
          ? humanDuration((now.getTime() - new Date(object.lastTimestamp).getTime()) / 1000)
          : age(object, now);
      return [
        last,
        String(object.type ?? ""),
        String(object.reason ?? ""),
        `${String(involved.kind ?? "").toLowerCase()}/${String(involved.name ?? "")}`,
        String(object.message ?? ""),
      ];
    },
  },
};

const fallback: Printer = {
  columns: [column("Name", "string", 0, "name"), column("Age")],
  cells: (object, now) => [object.metadata.name ?? "", age(object, now)],
};

/** Whether the client asked for a Table (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  return accept?.split(",")[0]?.includes("as=Table") === true;
}

export function toTable(
  kind: string,
  objects: KubeObject[],
  resourceVersion: string,
  includeObject: string | undefined,
  now: Date,
  withColumns = true,
) {
  const printer = printers[kind] ?? fallback;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion },
    ...(withColumns ? { columnDefinitions: printer.columns } : { columnDefinitions: [] }),
    rows: objects.map((object) => ({
      cells: printer.cells(object, now),
      object:
        includeObject === "Object"
          ? object
          : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata },
    })),
  };
}
