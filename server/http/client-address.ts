import type { IncomingMessage } from "node:http";

/**
 * The address a request came from. With trustProxyHops = n, the API believes the last n entries of
 * X-Forwarded-For (each proxy appends the address it got the request from) and takes the one the outermost
 * trusted proxy saw; entries before it were written by the client and prove nothing. With 0, the peer's
 * address. As Express's numeric "trust proxy" setting.
 */
export function clientAddress(incoming: IncomingMessage, trustProxyHops: number): string {
  const peer = incoming.socket.remoteAddress ?? "unknown";
  if (trustProxyHops === 0) return peer;
  const header = incoming.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  // Nearest first: the peer, then what each trusted proxy says it saw.
  const chain = [peer, ...forwarded.reverse()];
  return chain[Math.min(trustProxyHops, chain.length - 1)] ?? peer;
}
