// TCP ports on this machine: ones the OS says are free (tests, stand-ins beside a platform already up), and
// whether a fixed one can still be taken.
import { once } from "node:events";
import { createServer, type Server } from "node:net";

/** `count` different ports that were free on `host` a moment ago: all are held until each is known. */
export async function freePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer().listen(0, host);
      servers.push(server);
      await Promise.race([
        once(server, "listening"),
        once(server, "error").then(([error]) => Promise.reject(error)),
      ]);
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error(`no TCP port on ${host}`);
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** A port that was free on `host` (loopback unless given) a moment ago; the OS picks it. */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const [port] = await freePorts(1, host);
  if (port === undefined) throw new Error(`no TCP port on ${host}`);
  return port;
}

/** Whether `port` can be listened on at `host` right now. */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
