import { z } from "zod";

/** What the runner asks of the direct-search worker: one timed run. */
export const directRunRequest = z.object({
  connections: z.number().int().positive(),
  durationSeconds: z.number().positive(),
});
export type DirectRunRequest = z.infer<typeof directRunRequest>;

export const loadResult = z.object({
  requestsPerSecond: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  errors: z.number(),
});
