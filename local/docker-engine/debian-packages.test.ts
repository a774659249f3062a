import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ensureDebianPackages } from "./debian-packages.ts";

describe("Debian packages", () => {
  test("present programs need nothing", async () => {
    await ensureDebianPackages({ [process.execPath]: "nodejs" }, "unused", { install: false });
  });

  test("a missing program names the package to install and how", async () => {
    await assert.rejects(
      ensureDebianPackages(
        { "/nonexistent/dockerd": "docker.io", "/nonexistent/docker": "docker.io" },
        "no engine",
        {
          install: false,
        },
      ),
      {
        message: "no engine: install the Debian package(s) docker.io (as root: apt-get install -y docker.io)",
      },
    );
  });
});
