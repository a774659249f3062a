// Forwards one accepted TCP connection to a backend, keeping half-closes (allowHalfOpen on both sockets:
// an HTTP client that ends its side still gets the whole answer). The client is not read until the
// backend accepted, so a refused backend can be replaced by another one without losing a byte.
import { connect, type Socket } from "node:net";

export interface Backend {
  host: string;
  port: number;
}

function connectTo(backend: Backend): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const upstream = connect({ host: backend.host, port: backend.port, allowHalfOpen: true });
    upstream.once("connect", () => {
      upstream.off("error", reject);
      resolve(upstream);
    });
    upstream.once("error", reject);
  });
}

/** Tries the backends in order; the first that accepts gets the connection. None: the client is reset. */
export async function forward(client: Socket, backends: Backend[]): Promise<void> {
  client.on("error", () => client.destroy());
  for (const backend of backends) {
    if (client.destroyed) return;
    let upstream: Socket;
    try {
      upstream = await connectTo(backend);
    } catch {
      continue;
    }
    if (client.destroyed) {
      upstream.destroy();
      return;
    }
    upstream.on("error", () => {
      upstream.destroy();
      client.destroy();
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    return;
  }
  // As kube-proxy's REJECT rule: a service without a usable endpoint refuses the connection.
  client.resetAndDestroy();
}
