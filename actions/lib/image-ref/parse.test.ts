// Cases follow distribution/reference's reference_test.go and normalize_test.go where they apply.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  formatImageReference,
  ImageReferenceError,
  parseImageReference,
  registryHostProblem,
  repositoryProblem,
  tagProblem,
} from "./parse.ts";

const sha256 = `sha256:${"a".repeat(64)}`;

describe("parseImageReference", () => {
  test("splits registry, repository, tag and digest", () => {
    assert.deepEqual(parseImageReference("myacr.azurecr.io/cloudjobhunt/api:1.2.3"), {
      registry: "myacr.azurecr.io",
      repository: "cloudjobhunt/api",
      tag: "1.2.3",
    });
    assert.deepEqual(parseImageReference(`myacr.azurecr.io/cloudjobhunt/api@${sha256}`), {
      registry: "myacr.azurecr.io",
      repository: "cloudjobhunt/api",
      digest: sha256,
    });
    assert.deepEqual(parseImageReference(`localhost/app:v1@${sha256}`), {
      registry: "localhost",
      repository: "app",
      tag: "v1",
      digest: sha256,
    });
  });

  test("a registry with a port, an IPv4 address or a bracketed IPv6 address parses", () => {
    assert.deepEqual(parseImageReference("127.0.0.1:5000/team/app:abc"), {
      registry: "127.0.0.1:5000",
      repository: "team/app",
      tag: "abc",
    });
    assert.deepEqual(parseImageReference("localhost:5000/app"), {
      registry: "localhost:5000",
      repository: "app",
    });
    assert.deepEqual(parseImageReference("[::1]:5000/app"), { registry: "[::1]:5000", repository: "app" });
    assert.deepEqual(parseImageReference("Registry.Example:443/a__b/c-d---e.f_g"), {
      registry: "Registry.Example:443",
      repository: "a__b/c-d---e.f_g",
    });
  });

  test("the format round-trips", () => {
    for (const text of ["127.0.0.1:5000/team/app:abc", `r.io/a@${sha256}`, `r.io/a:t@${sha256}`]) {
      assert.equal(formatImageReference(parseImageReference(text)), text);
    }
  });

  const rejects = (text: string, reason: string) =>
    assert.throws(
      () => parseImageReference(text),
      (error: unknown) => {
        assert.ok(error instanceof ImageReferenceError);
        assert.equal(error.message, `invalid image reference ${JSON.stringify(text)}: ${reason}`);
        return true;
      },
    );

  test("each malformed part is named", () => {
    rejects("", "it is empty");
    rejects(" r.io/app", "it contains whitespace");
    rejects("r.io/Team/app", "the repository must be lowercase");
    rejects(
      "r.io/app:-bad",
      'tag "-bad" must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"',
    );
    rejects(
      `r.io/app:${"t".repeat(129)}`,
      `tag "${"t".repeat(129)}" must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`,
    );
    rejects("r.io/app@sha256:xyz", 'digest "sha256:xyz" must be algorithm:hex, e.g. sha256:<64 hex digits>');
    rejects(
      `r.io/app@sha256:${"a".repeat(63)}`,
      `a sha256 digest has 64 lower-case hex digits, got "${"a".repeat(63)}"`,
    );
    rejects(`r.io/app@md5:${"a".repeat(32)}`, 'digest algorithm "md5" is not sha256, sha384 or sha512');
    rejects("r.io/app//x", "it is not [registry/]repository[:tag][@digest] by the distribution grammar");
    rejects("r.io/-app", "it is not [registry/]repository[:tag][@digest] by the distribution grammar");
    rejects(`r.io/${"a".repeat(252)}`, "the name is longer than 255 characters");
  });

  test("a short name (no registry host) is refused, as it would name a public registry", () => {
    const reason =
      "it names no registry host: write it as <registry>/<repository>, e.g. myacr.azurecr.io/team/app";
    rejects("nginx", reason);
    rejects("cloudjobhunt/api:1", reason);
  });
});

describe("part checks", () => {
  test("registry hosts", () => {
    assert.equal(registryHostProblem("myacr.azurecr.io"), undefined);
    assert.equal(registryHostProblem("127.0.0.1:5000"), undefined);
    assert.equal(registryHostProblem("localhost"), undefined);
    assert.equal(registryHostProblem(""), "the registry host is empty");
    assert.equal(registryHostProblem("r.io/x"), 'registry host "r.io/x" must not contain "/"');
    assert.equal(
      registryHostProblem("r.io:port"),
      'registry host "r.io:port" is not a host name or address with an optional :port',
    );
    assert.equal(
      registryHostProblem("myacr"),
      'registry host "myacr" needs a "." or a ":port" (or be localhost), else Docker reads it as a repository path',
    );
  });

  test("repositories and tags", () => {
    assert.equal(repositoryProblem("cloudjobhunt/api"), undefined);
    assert.equal(repositoryProblem(""), "the repository is empty");
    assert.equal(repositoryProblem("CloudJobHunt/api"), 'repository "CloudJobHunt/api" must be lowercase');
    assert.match(repositoryProblem("a/-b") ?? "", /^repository "a\/-b" must be lowercase letters and digits/);
    assert.equal(tagProblem("0123abc"), undefined);
    assert.match(tagProblem(".x") ?? "", /^tag "\.x" must be/);
  });
});
