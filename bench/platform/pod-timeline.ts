// Where a rollout's time goes, pod by pod: ms after the apply at which each new pod was created, got its
// sandbox (podIP), had its container running, and turned Ready — stamped as the store delivers the
// changes (the API's own timestamps have whole seconds only).
import { resources } from "../../local/kube/api/resources.ts";
import type { ObjectStore } from "../../local/kube/store/object-store.ts";

interface Marks {
  name: string;
  created: number;
  sandbox?: number;
  running?: number;
  ready?: number;
}

export function podTimeline(store: ObjectStore, known: Set<string>) {
  const pods = new Map<string, Marks>();
  let origin = performance.now();
  const stop = store.watch(resources.pods, { namespace: "default" }, ({ object: pod }) => {
    const uid = pod.metadata.uid ?? "";
    if (known.has(uid)) return;
    const now = performance.now() - origin;
    const marks = pods.get(uid) ?? { name: pod.metadata.name, created: now };
    pods.set(uid, marks);
    if (pod.status?.podIP) marks.sandbox ??= now;
    if (pod.status?.containerStatuses?.[0]?.state?.running) marks.running ??= now;
    if (pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) marks.ready ??= now;
  });
  const ms = (value: number | undefined) => (value === undefined ? "-" : value.toFixed(0));
  return {
    /** Times count from here (the resuming apply). */
    start(): void {
      origin = performance.now();
    },
    /** One line per new pod: created / sandbox / running / ready, ms after start(). */
    report(): string[] {
      stop();
      return [...pods.values()]
        .sort((a, b) => a.created - b.created)
        .map(
          (m) =>
            `    ${m.name}: created ${ms(m.created)}, sandbox ${ms(m.sandbox)}, running ${ms(m.running)}, ready ${ms(m.ready)}`,
        );
    },
  };
}
