import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { IpAllocator } from "./ip-allocator.ts";
import { parseSubnet } from "./subnet.ts";

describe("pod subnet and address leases", () => {
  const dir = mkdtempSync(join(tmpdir(), "cjh-ipam-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the bridge takes the first address; pods the rest but the broadcast address", () => {
    assert.deepEqual(parseSubnet("10.244.0.17/24"), {
      cidr: "10.244.0.0/24",
      prefixLength: 24,
      gateway: "10.244.0.1",
      firstPod: parseSubnet("10.244.0.0/24").firstPod,
      lastPod: parseSubnet("10.244.0.0/24").lastPod,
    });
    const small = parseSubnet("10.9.0.8/29");
    assert.equal(small.gateway, "10.9.0.9");
    assert.equal(small.lastPod - small.firstPod + 1, 5);
  });

  test("refuses what is not a usable IPv4 subnet", () => {
    assert.throws(
      () => parseSubnet("10.0.0.0/8"),
      /^Error: pod subnet 10\.0\.0\.0\/8: prefix length must be between 16 and 29$/,
    );
    assert.throws(() => parseSubnet("10.0.300.0/24"), /^Error: not an IPv4 address: 10\.0\.300\.0$/);
  });

  test("leases are stable per owner, persisted, reused once released, and run out loudly", () => {
    const file = join(dir, "leases.json");
    const allocator = new IpAllocator(parseSubnet("10.9.0.8/29"), file);
    const addresses = ["a", "b", "c", "d", "e"].map((owner) => allocator.allocate(owner));
    assert.deepEqual(addresses, ["10.9.0.10", "10.9.0.11", "10.9.0.12", "10.9.0.13", "10.9.0.14"]);
    assert.equal(allocator.allocate("c"), "10.9.0.12");
    assert.throws(
      () => allocator.allocate("f"),
      /^Error: pod subnet 10\.9\.0\.8\/29 has no free address left$/,
    );
    allocator.release("b");
    assert.equal(allocator.allocate("f"), "10.9.0.11");
    assert.equal(JSON.parse(readFileSync(file, "utf8")).f, "10.9.0.11");
    assert.equal(new IpAllocator(parseSubnet("10.9.0.8/29"), file).addressOf("e"), "10.9.0.14");
  });
});
