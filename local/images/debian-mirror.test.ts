import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { debianMirror, mirrorsInSources } from "./debian-mirror.ts";

describe("Debian mirror", () => {
  test("reads deb822 stanzas and one-line entries serving the suite", () => {
    const sources = [
      "Types: deb",
      "URIs: http://mirror.example/debian",
      "Suites: bookworm bookworm-updates",
      "Components: main",
      "",
      "Types: deb",
      "URIs: http://mirror.example/debian-security",
      "Suites: bookworm-security",
      "",
      "deb [arch=amd64] http://other.example/debian bookworm main",
      "deb-src http://src.example/debian bookworm main",
    ].join("\n");
    assert.deepEqual(mirrorsInSources(sources, "bookworm"), [
      "http://mirror.example/debian",
      "http://other.example/debian",
    ]);
    assert.deepEqual(mirrorsInSources(sources, "trixie"), []);
  });

  test("DEBIAN_MIRROR overrides the apt sources, and a suite no source serves is reported", async () => {
    assert.equal(
      await debianMirror("bookworm", { DEBIAN_MIRROR: "http://local.example/debian" }),
      "http://local.example/debian",
    );
    await assert.rejects(debianMirror("no-such-suite", {}), {
      message: "no Debian mirror for no-such-suite in the apt sources: set DEBIAN_MIRROR to one",
    });
  });
});
