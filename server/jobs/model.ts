import { z } from "@hono/zod-openapi";

export const SENIORITIES = ["intern", "junior", "mid", "senior", "lead", "principal"] as const;
export type Seniority = (typeof SENIORITIES)[number];

/** A posting as written by an import (one source's view of one job). */
export interface JobInput {
  source: string;
  externalId: string;
  title: string;
  company: string;
  location: string | null;
  remote: boolean;
  seniority: Seniority | null;
  skills: string[];
  salaryMin: number | null;
  salaryMax: number | null;
  salaryCurrency: string | null;
  description: string;
  sourceUrl: string | null;
  postedAt: Date;
}

const summaryShape = {
  id: z.number().int(),
  title: z.string(),
  company: z.string(),
  location: z.string().nullable(),
  remote: z.boolean(),
  seniority: z.enum(SENIORITIES).nullable(),
  skills: z.array(z.string()),
  salaryMin: z.number().int().nullable(),
  salaryMax: z.number().int().nullable(),
  salaryCurrency: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  postedAt: z.iso.datetime(),
};

export const JobSummarySchema = z.object(summaryShape).openapi("JobSummary");

export const JobSchema = z
  .object({
    ...summaryShape,
    description: z.string(),
    source: z.string(),
    externalId: z.string(),
  })
  .openapi("Job");

export const JobPageSchema = z
  .object({
    items: z.array(JobSummarySchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page; null at the end" }),
  })
  .openapi("JobPage");

/** Rows as postgres.js returns them (dates as Date); JSON serialisation turns them into the schemas above. */
export interface JobSummaryRow {
  id: number;
  title: string;
  company: string;
  location: string | null;
  remote: boolean;
  seniority: Seniority | null;
  skills: string[];
  salaryMin: number | null;
  salaryMax: number | null;
  salaryCurrency: string | null;
  sourceUrl: string | null;
  postedAt: Date;
}

export interface JobRow extends JobSummaryRow {
  description: string;
  source: string;
  externalId: string;
}
