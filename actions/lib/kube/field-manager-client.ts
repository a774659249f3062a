// An AppsV1Api whose writes name a field manager when the caller did not: the API server otherwise records
// them under the User-Agent's product (`kubernetes-client-javascript` for every client-node program), and
// the next server-side apply could not tell our own undo from someone else's change.
import {
  AppsV1Api,
  createConfiguration,
  type KubeConfig,
  type Middleware,
  ServerConfiguration,
} from "@kubernetes/client-node";

const writes = new Set(["PATCH", "PUT", "POST"]);

export function appsApiAs(kubeConfig: KubeConfig, fieldManager: string): AppsV1Api {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  const namingWrites: Middleware = {
    pre: async (context) => {
      if (writes.has(context.getHttpMethod()) && !new URL(context.getUrl()).searchParams.has("fieldManager"))
        context.setQueryParam("fieldManager", fieldManager);
      return context;
    },
    post: async (context) => context,
  };
  return new AppsV1Api(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kubeConfig },
      promiseMiddleware: [namingWrites],
    }),
  );
}
