// The baseline for /healthz: a bare node:http server replaying the production app's answer.
// Configured by BENCH_PORT and BENCH_RESPONSE (a JSON CannedResponse).
import { createServer } from "node:http";
import { cannedResponse } from "./canned-response.ts";

const port = Number.parseInt(process.env.BENCH_PORT ?? "", 10);
const response = cannedResponse.parse(JSON.parse(process.env.BENCH_RESPONSE ?? "null"));
const body = Buffer.from(response.body);
const headers = { ...response.headers, "content-length": String(body.length) };

const server = createServer((_request, reply) => {
  reply.writeHead(response.status, headers);
  reply.end(body);
});
server.listen(port, "127.0.0.1");
process.once("SIGTERM", () => server.close());
