import { z } from "zod";

/** A response recorded from the production app, replayed byte for byte by the bare node:http server. */
export const cannedResponse = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
export type CannedResponse = z.infer<typeof cannedResponse>;

/** Headers node:http writes itself on every response; recording them would send them twice. */
const transportHeaders = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);

export async function recordResponse(url: URL): Promise<CannedResponse> {
  const response = await fetch(url);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!transportHeaders.has(name)) headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}
