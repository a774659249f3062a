import { z } from "@hono/zod-openapi";
import { INT4_MAX, storableText } from "../db/storable.ts";
import { STATUSES } from "./status.ts";

export const StatusChangeSchema = z
  .object({
    fromStatus: z.enum(STATUSES).nullable(),
    toStatus: z.enum(STATUSES),
    note: z.string(),
    changedAt: z.iso.datetime(),
  })
  .openapi("StatusChange");

const applicationShape = {
  id: z.number().int(),
  jobId: z.number().int(),
  jobTitle: z.string(),
  company: z.string(),
  status: z.enum(STATUSES),
  notes: z.string(),
  version: z.number().int().openapi({ description: "Grows by one on every change; send as expectedVersion" }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const ApplicationSchema = z.object(applicationShape).openapi("Application");
export const ApplicationDetailSchema = z
  .object({ ...applicationShape, history: z.array(StatusChangeSchema) })
  .openapi("ApplicationDetail");
export const ApplicationListSchema = z
  .object({ items: z.array(ApplicationSchema) })
  .openapi("ApplicationList");

export const NOTES_MAX = 10_000;

export const CreateApplicationBody = z
  .strictObject({
    jobId: z.number().int().positive(),
    status: z
      .enum(["saved", "applied"])
      .optional()
      .openapi({ description: "Where tracking starts; default saved" }),
    notes: storableText(z.string().max(NOTES_MAX)).optional(),
  })
  .openapi("CreateApplication");

export const UpdateApplicationBody = z
  .strictObject({ notes: storableText(z.string().max(NOTES_MAX)) })
  .openapi("UpdateApplication", { description: "Status changes go through POST /applications/{id}/status" });

export const ChangeStatusBody = z
  .strictObject({
    status: z.enum(STATUSES),
    note: storableText(z.string().max(NOTES_MAX)).optional(),
    expectedVersion: z.number().int().positive().max(INT4_MAX).optional().openapi({
      description: "Refuse the change (409) unless the application is still at this version",
    }),
  })
  .openapi("ChangeStatus");
