import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { caCertPath, ensureLocalCa, issueServerCertificate } from "./local-ca.ts";

describe("local CA", () => {
  test("is created once, keeps its key private, and is reused", async (t) => {
    const home = await mkdtemp(join(tmpdir(), "cjh-tls-"));
    t.after(() => rm(home, { recursive: true, force: true }));
    const first = await ensureLocalCa(home);
    const second = await ensureLocalCa(home);
    assert.equal(second.cert.serialNumber, first.cert.serialNumber);
    const keyMode = (await stat(join(home, "tls", "ca.key"))).mode & 0o777;
    assert.equal(keyMode, 0o600);
    const ca = new X509Certificate(await readFile(caCertPath(home)));
    assert.equal(ca.ca, true);
  });

  test("issues a server certificate that a client trusting only the CA accepts on 127.0.0.1 and localhost", async (t) => {
    const home = await mkdtemp(join(tmpdir(), "cjh-tls-"));
    t.after(() => rm(home, { recursive: true, force: true }));
    const server = await issueServerCertificate(home, "stand-in", ["registry.platform.local"]);
    const again = await issueServerCertificate(home, "stand-in", ["registry.platform.local"]);
    assert.equal(again.cert, server.cert);
    const leaf = new X509Certificate(server.cert);
    assert.equal(leaf.checkHost("registry.platform.local"), "registry.platform.local");
    assert.equal(leaf.checkIP("127.0.0.1"), "127.0.0.1");

    const https = createServer({ cert: server.cert, key: server.key }, (_req, res) => res.end("ok"));
    https.listen(0, "127.0.0.1");
    await once(https, "listening");
    t.after(() => https.close());
    const address = https.address();
    assert.ok(address && typeof address === "object");
    const ca = await readFile(caCertPath(home), "utf8");
    for (const host of ["127.0.0.1", "localhost"]) {
      const body = await new Promise<string>((resolve, reject) => {
        request(
          { host: "127.0.0.1", servername: host === "localhost" ? host : undefined, port: address.port, ca },
          (res) => {
            let text = "";
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => resolve(text));
          },
        )
          .on("error", reject)
          .end();
      });
      assert.equal(body, "ok");
    }
  });
});
