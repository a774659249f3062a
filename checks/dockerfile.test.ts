// Every Dockerfile in the repository through dockerfile-utils' validator (the linter of the Dockerfile language
// server; hadolint cannot be installed here), plus what the API image promises (server/README.md, "Image"):
// base images chosen by build arguments (our own, from ACR in production), a numeric non-root user.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DockerfileParser } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { repoRoot } from "./render.ts";

const dockerfiles = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: repoRoot,
})
  .toString()
  .split("\n")
  .filter((f) => /(^|\/)Dockerfile(\.[\w-]+)?$/.test(f));

/** dockerfile-utils' diagnostics, each as `line:column message`. */
export function lint(content: string): string[] {
  return validate(content).map(
    (d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`,
  );
}

describe("Dockerfile lint", () => {
  it("finds the Dockerfiles", () => assert.ok(dockerfiles.includes("Dockerfile")));

  for (const file of dockerfiles)
    it(file, () => assert.deepEqual(lint(readFileSync(join(repoRoot, file), "utf8")), []));

  it("the API image: base images by build argument, numeric non-root user in the final stage", () => {
    const dockerfile = DockerfileParser.parse(readFileSync(join(repoRoot, "Dockerfile"), "utf8"));
    const froms = dockerfile.getFROMs();
    assert.ok(froms.length > 0);
    const stages = froms.map((f) => f.getBuildStage()).filter((name) => name !== null);
    for (const from of froms) {
      const image = from.getImageName() ?? "";
      assert.ok(
        /^\$\{[A-Z_]+\}$/.test(image) || stages.includes(image),
        `FROM ${image} is neither a build argument nor a stage`,
      );
    }
    const last = froms.at(-1);
    const users = dockerfile
      .getInstructions()
      .filter(
        (i) => i.getKeyword() === "USER" && last && i.getRange().start.line > last.getRange().start.line,
      );
    const user = users.at(-1)?.getArgumentsContent() ?? "";
    assert.match(user, /^[1-9]\d*(:\d+)?$/, `final stage USER is "${user}"`);
  });

  it("reports a problem with its line", () => {
    assert.deepEqual(lint("FROM scratch\nexpose 8080\n"), [
      "2:1 Instructions should be written in uppercase letters",
    ]);
  });
});
