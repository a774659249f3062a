// One watch round-trip, measured: a write through the API and the time until a watching client (over HTTP,
// client-node's Watch) receives its event. The ideal rollout includes one.
import { CoreV1Api, type KubeConfig, PatchStrategy, setHeaderOptions, Watch } from "@kubernetes/client-node";

export async function measureWatchRoundTrip(config: KubeConfig, samples: number): Promise<number[]> {
  const core = config.makeApiClient(CoreV1Api);
  const name = "bench-watch-probe";
  const created = await core.createNamespacedConfigMap({
    namespace: "default",
    body: { metadata: { name }, data: { n: "0" } },
  });
  const times: number[] = [];
  let pending: (() => void) | undefined;
  let expected = "";
  const watch = new Watch(config);
  const controller = await watch.watch(
    "/api/v1/namespaces/default/configmaps",
    { fieldSelector: `metadata.name=${name}`, resourceVersion: created.metadata?.resourceVersion },
    (_type, object: { data?: Record<string, string> }) => {
      if (object.data?.n === expected) pending?.();
    },
    () => {},
  );
  try {
    for (let i = 1; i <= samples; i++) {
      expected = String(i);
      const arrived = new Promise<void>((resolve) => {
        pending = () => resolve();
      });
      const start = performance.now();
      await core.patchNamespacedConfigMap(
        { name, namespace: "default", body: [{ op: "replace", path: "/data/n", value: expected }] },
        setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
      );
      await arrived;
      times.push(performance.now() - start);
    }
  } finally {
    controller.abort();
    await core.deleteNamespacedConfigMap({ name, namespace: "default" });
  }
  return times;
}
