// Data for the deployed API: a LinkedIn-shaped stand-in (the API's own test stand-in) on the address pods
// reach the host at, and the admin import run through the Ingress, as an operator would run it.
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:https";
import {
  type LinkedInStandIn,
  linkedInPosting,
  startLinkedInStandIn,
} from "../server/testing/linkedin-stand-in.ts";

export const rehearsalPostings = 120;

export async function startPostingsSource(
  host: string,
): Promise<{ standIn: LinkedInStandIn; token: string }> {
  const token = randomBytes(24).toString("base64url");
  const elements = Array.from({ length: rehearsalPostings }, (_, n) => linkedInPosting(n + 1));
  return { standIn: await startLinkedInStandIn({ token, elements, host }), token };
}

export interface ImportReport {
  readonly fetched: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly skipped: number;
}

/** POST /admin/imports/linkedin through the Ingress with an admin token. */
export function runAdminImport(
  url: URL,
  connectTo: string,
  ca: string,
  adminToken: string,
): Promise<ImportReport> {
  const body = JSON.stringify({ keywords: "cloud" });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: new Agent({ ca }),
        host: connectTo,
        port: Number(url.port),
        path: "/admin/imports/linkedin",
        method: "POST",
        servername: url.hostname,
        headers: {
          host: url.host,
          authorization: `Bearer ${adminToken}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => {
          if (res.statusCode === 200) resolve(JSON.parse(text) as ImportReport);
          else reject(new Error(`the admin import answered ${res.statusCode}: ${text.slice(0, 500)}`));
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
