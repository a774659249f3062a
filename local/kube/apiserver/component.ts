// The Kubernetes API server as a platform component: it starts first and publishes its URL. It speaks
// HTTPS with a certificate from the platform's local CA: kubectl (client-go) sends bearer tokens only
// over TLS.
import { readFileSync } from "node:fs";
import type { Component, PlatformContext } from "../../component/component.ts";
import { caCertPath, issueServerCertificate } from "../../tls/local-ca.ts";
import { type ApiServer, startApiServer } from "./server.ts";

export function apiServerComponent(): Component {
  let server: ApiServer | undefined;
  return {
    name: "api-server",
    async start(context: PlatformContext) {
      const { cert, key } = await issueServerCertificate(context.stateDir, "kube-apiserver");
      server = await startApiServer({
        store: context.store,
        token: context.token,
        port: context.apiPort,
        tls: { cert, key },
        now: () => context.clock.now(),
        podLogs: () => context.podLogs,
        bearerTokenAuthenticator: () => context.bearerTokenAuthenticator,
      });
      context.apiUrl = server.url;
      context.caCertificate = readFileSync(caCertPath(context.stateDir), "utf8");
      context.log(`api-server listening on ${server.url}`);
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
  };
}
