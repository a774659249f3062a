// The EndpointSlice controller: one slice per Service with a selector, owned by the Service (deleted with it).
import { isDeepStrictEqual } from "node:util";
import { controllerReference } from "../../api/meta.ts";
import { resources } from "../../api/resources.ts";
import type { Clock } from "../../clock/clock.ts";
import type { ObjectStore } from "../../store/object-store.ts";
import { keyOf, splitKey, WorkQueue } from "../../workqueue/work-queue.ts";
import { endpointPorts, endpointsFor } from "./slice.ts";

const serviceNameLabel = "kubernetes.io/service-name";
const managedByLabel = "endpointslice.kubernetes.io/managed-by";
const managedBy = "endpointslice-controller.k8s.io";

export class EndpointSliceController {
  readonly #store: ObjectStore;
  readonly #queue: WorkQueue;
  readonly #stops: (() => void)[] = [];

  constructor(options: {
    store: ObjectStore;
    clock: Clock;
    onError?: (key: string, error: unknown) => void;
  }) {
    this.#store = options.store;
    this.#queue = new WorkQueue(options.clock, (key) => this.#sync(key), options.onError ?? (() => {}));
  }

  start(): void {
    const services = this.#store.list(resources.services);
    for (const item of services.items)
      this.#queue.add(keyOf(item.metadata.namespace, item.metadata.name ?? ""));
    this.#stops.push(
      this.#store.watch(resources.services, { resourceVersion: services.resourceVersion }, ({ object }) =>
        this.#queue.add(keyOf(object.metadata.namespace, object.metadata.name ?? "")),
      ),
    );
    // A pod change may concern any Service of its namespace (its labels may have left a selector).
    const pods = this.#store.list(resources.pods);
    this.#stops.push(
      this.#store.watch(resources.pods, { resourceVersion: pods.resourceVersion }, ({ object }) => {
        for (const service of this.#store.list(resources.services, { namespace: object.metadata.namespace })
          .items) {
          this.#queue.add(keyOf(service.metadata.namespace, service.metadata.name ?? ""));
        }
      }),
    );
  }

  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
    this.#queue.stop();
  }

  #sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const service = this.#store.get(resources.services, namespace, name);
    if (!service) return;
    const selector = service.spec.selector;
    if (!selector || Object.keys(selector).length === 0) return;
    const pods = this.#store.list(resources.pods, { namespace, matchLabels: selector }).items;
    const wanted = {
      addressType: "IPv4",
      endpoints: endpointsFor(pods),
      ports: endpointPorts(service, pods),
    };
    const existing = this.#store.list(resources.endpointslices, {
      namespace,
      matchLabels: { [serviceNameLabel]: name },
    }).items[0];
    const labels = { ...service.metadata.labels, [serviceNameLabel]: name, [managedByLabel]: managedBy };
    if (!existing) {
      this.#store.create(
        resources.endpointslices,
        {
          apiVersion: "discovery.k8s.io/v1",
          kind: "EndpointSlice",
          metadata: {
            name: "",
            generateName: `${name}-`,
            namespace,
            labels,
            ownerReferences: [controllerReference(service)],
          },
          ...wanted,
        },
        { fieldManager: "endpointslice-controller" },
      );
      return;
    }
    const current = {
      addressType: existing.addressType,
      endpoints: existing.endpoints,
      ports: existing.ports,
    };
    if (isDeepStrictEqual(current, wanted) && isDeepStrictEqual(existing.metadata.labels, labels)) return;
    this.#store.update(
      resources.endpointslices,
      { ...existing, ...wanted, metadata: { ...existing.metadata, labels } },
      {
        fieldManager: "endpointslice-controller",
      },
    );
  }
}
