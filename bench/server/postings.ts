import { pick, pickDistinct, seededRandom } from "./prng.ts";
import { companies, fillerWords, locations, roles, seniorities, skills } from "./vocabulary.ts";

/** One generated job posting, in the words of the issue (the seeder maps it onto the schema's columns). */
export interface GeneratedPosting {
  source: string;
  externalId: string;
  title: string;
  company: string;
  location: string;
  remote: boolean;
  seniority: (typeof seniorities)[number];
  skills: string[];
  salaryMin: number;
  salaryMax: number;
  description: string;
  sourceUrl: string;
  postedAt: Date;
}

/** The newest posting date; fixed so that "posted since" filters select the same rows on every run. */
export const newestPostingDate = new Date("2026-11-01T00:00:00Z");
export const postingWindowDays = 180;
const dayMs = 86_400_000;

const seniorityTitles: Record<GeneratedPosting["seniority"], string> = {
  intern: "Intern",
  junior: "Junior",
  mid: "",
  senior: "Senior",
  lead: "Lead",
  principal: "Principal",
};

const seniorityBaseSalary: Record<GeneratedPosting["seniority"], number> = {
  intern: 18_000,
  junior: 38_000,
  mid: 50_000,
  senior: 65_000,
  lead: 78_000,
  principal: 95_000,
};

/** Same seed, same postings: the benchmark's data set is reproducible without shipping it. */
export function* generatePostings(count: number, seed: number): Generator<GeneratedPosting> {
  const random = seededRandom(seed);
  for (let index = 0; index < count; index++) {
    const role = pick(random, roles);
    const seniority = pick(random, seniorities);
    const postingSkills = pickDistinct(random, skills, 2 + Math.floor(random() * 4));
    const company = pick(random, companies);
    const location = pick(random, locations);
    const base = seniorityBaseSalary[seniority] + Math.floor(random() * 20) * 1_000;
    const sentences = Array.from({ length: 3 + Math.floor(random() * 4) }, () =>
      pickDistinct(random, fillerWords, 6).join(" "),
    );
    const externalId = `bench-${seed}-${index}`;
    yield {
      source: "linkedin",
      externalId,
      title: [seniorityTitles[seniority], role].filter(Boolean).join(" "),
      company,
      location,
      remote: random() < 0.3,
      seniority,
      skills: postingSkills,
      salaryMin: base,
      salaryMax: base + 5_000 + Math.floor(random() * 25) * 1_000,
      description: `${company} is hiring in ${location}. You will work with ${postingSkills.join(", ")}. ${sentences.join(". ")}.`,
      sourceUrl: `https://jobs.example.invalid/view/${externalId}`,
      postedAt: new Date(newestPostingDate.getTime() - Math.floor(random() * postingWindowDays * dayMs)),
    };
  }
}
