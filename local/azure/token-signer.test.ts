import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TokenSigner } from "./token-signer.ts";

describe("token signer", () => {
  test("signs JWTs with a libtrust key id and verifies only its own issuer and audience", async (t) => {
    const home = await mkdtemp(join(tmpdir(), "cjh-signer-"));
    t.after(() => rm(home, { recursive: true, force: true }));
    const signer = await TokenSigner.load(home);
    assert.match(signer.keyId, /^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    assert.equal((await TokenSigner.load(home)).keyId, signer.keyId, "the key is kept in the state folder");

    const options = { issuer: "issuer-a", audience: "service-a", subject: "someone", lifetimeSeconds: 60 };
    const token = await signer.sign({ access: [] }, options);
    const header = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8"));
    assert.deepEqual(header, { alg: "ES256", typ: "JWT", kid: signer.keyId });
    const claims = await signer.verify(token, "issuer-a", ["other", "service-a"]);
    assert.equal(claims.sub, "someone");
    await assert.rejects(signer.verify(token, "issuer-b", "service-a"), {
      code: "ERR_JWT_CLAIM_VALIDATION_FAILED",
    });
    await assert.rejects(signer.verify(token, "issuer-a", "service-b"), {
      code: "ERR_JWT_CLAIM_VALIDATION_FAILED",
    });
    const expired = await signer.sign({}, { ...options, lifetimeSeconds: -120 });
    await assert.rejects(signer.verify(expired, "issuer-a", "service-a"), { code: "ERR_JWT_EXPIRED" });

    const otherHome = await mkdtemp(join(tmpdir(), "cjh-signer-"));
    t.after(() => rm(otherHome, { recursive: true, force: true }));
    const stranger = await TokenSigner.load(otherHome);
    await assert.rejects(stranger.verify(token, "issuer-a", "service-a"), {
      code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    });
  });
});
