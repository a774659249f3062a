import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { startRegistry, stopRegistry } from "../registry/registry.ts";
import { trustLocalCaInThisProcess } from "../tls/local-ca.ts";
import { registryTokenAuth } from "./azure-stand-ins.ts";
import { freeStandInPorts } from "./endpoints.ts";

describe("registry", () => {
  test("serves the OCI API over TLS and challenges for a token of the ACR token service", async (t) => {
    const home = await mkdtemp(join(tmpdir(), "cjh-registry-"));
    t.after(() => rm(home, { recursive: true, force: true }));
    const ports = await freeStandInPorts();
    const auth = await registryTokenAuth(home, ports);
    const registry = await startRegistry({ home, port: ports.registry, auth });
    t.after(() => registry.stop());
    await trustLocalCaInThisProcess(home);

    const answer = await fetch(`${registry.url}/v2/`);
    assert.equal(answer.status, 401);
    assert.equal(
      answer.headers.get("www-authenticate"),
      `Bearer realm="${auth.realm}",service="${auth.service}"`,
    );
    const body = await answer.json();
    assert.equal(body.errors[0].code, "UNAUTHORIZED");
    assert.equal(body.errors[0].message, "authentication required");

    const upload = await fetch(`${registry.url}/v2/team/app/blobs/uploads/`, { method: "POST" });
    assert.equal(upload.status, 401);
    // distribution lists a scope's actions from a set, so "pull,push" and "push,pull" both occur.
    const challenge = upload.headers.get("www-authenticate") ?? "";
    const scope = /,scope="repository:team\/app:([a-z,]+)"$/.exec(challenge);
    assert.ok(scope?.[1], `no repository scope in ${challenge}`);
    assert.equal(challenge.slice(0, scope.index), `Bearer realm="${auth.realm}",service="${auth.service}"`);
    assert.deepEqual(scope[1].split(",").sort(), ["pull", "push"]);

    await stopRegistry(home);
    await assert.rejects(fetch(`${registry.url}/v2/`));
  });
});
