import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadOrCreateCredentials } from "./credentials.ts";

describe("stand-in credentials", () => {
  test("are generated once, kept 0600 and reused; two platforms get different secrets", async (t) => {
    const [a, b] = [await mkdtemp(join(tmpdir(), "cjh-creds-")), await mkdtemp(join(tmpdir(), "cjh-creds-"))];
    t.after(() => Promise.all([a, b].map((home) => rm(home, { recursive: true, force: true }))));
    const first = await loadOrCreateCredentials(a);
    assert.deepEqual(await loadOrCreateCredentials(a), first);
    assert.equal((await stat(join(a, "azure", "credentials.json"))).mode & 0o777, 0o600);
    const other = await loadOrCreateCredentials(b);
    assert.notEqual(other.clientSecret, first.clientSecret);
    assert.notEqual(other.adminPassword, first.adminPassword);
    assert.ok(first.clientSecret.length >= 40);
  });
});
