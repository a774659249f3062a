import { z } from "zod";
import { INT4_MAX, isStorableTime, storableText } from "../../db/storable.ts";
import type { JobInput, Seniority } from "../../jobs/model.ts";

export const LINKEDIN_SOURCE = "linkedin";

const SENIORITY_BY_EXPERIENCE: Record<string, Seniority> = {
  INTERNSHIP: "intern",
  ENTRY_LEVEL: "junior",
  ASSOCIATE: "mid",
  MID_SENIOR_LEVEL: "senior",
  DIRECTOR: "lead",
  EXECUTIVE: "principal",
};

const money = z.object({
  // Salaries are stored in an integer column.
  amount: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .refine((v) => Math.round(Number(v)) <= INT4_MAX, `must be at most ${INT4_MAX}`),
  currencyCode: z.string().regex(/^[A-Z]{3}$/),
});

/** One element of LinkedIn's job-postings collection, as far as the API uses it. */
const postingSchema = z.object({
  id: z.string().regex(/^urn:li:jobPosting:\d+$/, "must be a urn:li:jobPosting URN"),
  title: storableText(z.string().trim().min(1).max(300)),
  companyName: storableText(z.string().trim().min(1).max(300)),
  location: storableText(z.string().trim().max(300)).optional(),
  workplaceTypes: z.array(z.enum(["on-site", "remote", "hybrid"])).default([]),
  experienceLevel: z.enum(Object.keys(SENIORITY_BY_EXPERIENCE) as [string, ...string[]]).optional(),
  skills: z
    .array(storableText(z.string().trim().min(1).max(80)))
    .max(100)
    .default([]),
  compensation: z
    .object({
      compensations: z
        .array(z.object({ value: z.object({ min: money, max: money }), payPeriod: z.literal("YEARLY") }))
        .max(1),
    })
    .optional(),
  description: z.object({ text: storableText(z.string().max(100_000)) }).optional(),
  // The URL is stored as given, and URL parsing accepts a NUL in the path (it would percent-encode it).
  jobPostingUrl: storableText(z.url({ protocol: /^https?$/ })).optional(),
  listedAt: z
    .number()
    .int()
    .positive()
    .refine(isStorableTime, "must be a time in years 1970 to 9999 (ms since the epoch)"),
});

export type PostingParse =
  | { ok: true; job: JobInput }
  | { ok: false; externalId: string | undefined; reason: string };

/** Maps one raw element to a job, or says why it is skipped (the whole item, never part of it). */
export function parsePosting(raw: unknown): PostingParse {
  const parsed = postingSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "item";
    return { ok: false, externalId: rawExternalId(raw), reason: `${where}: ${issue?.message ?? "invalid"}` };
  }
  const p = parsed.data;
  const pay = p.compensation?.compensations[0]?.value;
  const salaryMin = pay ? Math.round(Number(pay.min.amount)) : null;
  const salaryMax = pay ? Math.round(Number(pay.max.amount)) : null;
  if (pay && pay.min.currencyCode !== pay.max.currencyCode) {
    return {
      ok: false,
      externalId: rawExternalId(raw),
      reason: "compensation: min and max currencies differ",
    };
  }
  if (salaryMin !== null && salaryMax !== null && salaryMin > salaryMax) {
    return { ok: false, externalId: rawExternalId(raw), reason: "compensation: min is above max" };
  }
  return {
    ok: true,
    job: {
      source: LINKEDIN_SOURCE,
      externalId: p.id.slice("urn:li:jobPosting:".length),
      title: p.title,
      company: p.companyName,
      location: p.location || null,
      remote: p.workplaceTypes.includes("remote"),
      seniority:
        p.experienceLevel === undefined ? null : (SENIORITY_BY_EXPERIENCE[p.experienceLevel] ?? null),
      skills: [...new Set(p.skills.map((s) => s.toLowerCase()))],
      salaryMin,
      salaryMax,
      salaryCurrency: pay ? pay.min.currencyCode : null,
      description: p.description?.text ?? "",
      sourceUrl: p.jobPostingUrl ?? null,
      postedAt: new Date(p.listedAt),
    },
  };
}

function rawExternalId(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null || !("id" in raw) || typeof raw.id !== "string")
    return undefined;
  return raw.id;
}
