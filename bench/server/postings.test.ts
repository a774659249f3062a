import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generatePostings, newestPostingDate, postingWindowDays } from "./postings.ts";
import { seniorities, skills } from "./vocabulary.ts";

describe("generatePostings", () => {
  test("yields the same postings for the same seed", () => {
    assert.deepEqual([...generatePostings(50, 7)], [...generatePostings(50, 7)]);
  });

  test("yields different postings for another seed", () => {
    const titles = (seed: number) => [...generatePostings(50, seed)].map((posting) => posting.description);
    assert.notDeepEqual(titles(7), titles(8));
  });

  test("yields well-formed postings with unique external ids", () => {
    const postings = [...generatePostings(2_000, 1)];
    assert.equal(postings.length, 2_000);
    assert.equal(new Set(postings.map((posting) => posting.externalId)).size, 2_000);
    const oldest = newestPostingDate.getTime() - postingWindowDays * 86_400_000;
    for (const posting of postings) {
      assert.ok(posting.salaryMin < posting.salaryMax, `salary range of ${posting.externalId}`);
      assert.ok(posting.skills.length >= 2 && new Set(posting.skills).size === posting.skills.length);
      assert.ok(posting.skills.every((skill) => (skills as readonly string[]).includes(skill)));
      assert.ok(seniorities.includes(posting.seniority));
      assert.ok(posting.postedAt.getTime() <= newestPostingDate.getTime());
      assert.ok(posting.postedAt.getTime() > oldest);
    }
  });

  test("mixes remote and on-site postings", () => {
    const remote = [...generatePostings(1_000, 3)].filter((posting) => posting.remote).length;
    assert.ok(remote > 0 && remote < 1_000, `remote postings: ${remote}`);
  });
});
