// What the kubelet's pod workers and container runners share: the store, the clock, the runtime, the event
// recorder and the back-offs (one per node, keyed by pod uid and container name).
import type { Clock } from "../clock/clock.ts";
import type { EventRecorder } from "../events/recorder.ts";
import type { ObjectStore } from "../store/object-store.ts";
import type { Backoff } from "./backoff.ts";
import type { PodRuntime } from "./pod-runtime.ts";

export interface KubeletContext {
  store: ObjectStore;
  clock: Clock;
  runtime: PodRuntime;
  events: EventRecorder;
  hostIP: string;
  crashBackoff: Backoff;
  imageBackoff: Backoff;
}
