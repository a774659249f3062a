import type { TransactionSql } from "postgres";
import type { Sql } from "../db/pool.ts";
import { ProblemError } from "../http/problem.ts";
import { type ApplicationStatus, allowedNext, canMove } from "./status.ts";

export interface ApplicationRow {
  id: number;
  jobId: number;
  jobTitle: string;
  company: string;
  status: ApplicationStatus;
  notes: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface StatusChangeRow {
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  note: string;
  changedAt: Date;
}

export interface ApplicationDetailRow extends ApplicationRow {
  history: StatusChangeRow[];
}

type Tx = Sql | TransactionSql;

const selectApplication = (sql: Tx) => sql`
  select a.id, a.job_id as "jobId", j.title as "jobTitle", j.company, a.status, a.notes, a.version,
    a.created_at as "createdAt", a.updated_at as "updatedAt"
  from applications a join jobs j on j.id = a.job_id`;

export async function listApplications(sql: Sql, userId: number): Promise<ApplicationRow[]> {
  return sql<ApplicationRow[]>`${selectApplication(sql)}
    where a.user_id = ${userId} order by a.updated_at desc, a.id desc`;
}

export async function getApplication(sql: Tx, userId: number, id: number): Promise<ApplicationDetailRow> {
  const [row] = await sql<
    ApplicationRow[]
  >`${selectApplication(sql)} where a.id = ${id} and a.user_id = ${userId}`;
  // Another user's application answers exactly like a missing one.
  if (!row)
    throw new ProblemError({ status: 404, title: "Not found", detail: `no application with id ${id}` });
  const history = await sql<StatusChangeRow[]>`
    select from_status as "fromStatus", to_status as "toStatus", note, changed_at as "changedAt"
    from application_status_history where application_id = ${id} order by id`;
  return { ...row, history };
}

export async function createApplication(
  sql: Sql,
  userId: number,
  input: { jobId: number; status: ApplicationStatus; notes: string },
): Promise<ApplicationDetailRow> {
  return sql.begin(async (tx) => {
    const [job] = await tx`select 1 from jobs where id = ${input.jobId}`;
    if (!job) throw bodyProblem(422, "jobId", `no job with id ${input.jobId}`);
    const [created] = await tx<{ id: number }[]>`
      insert into applications (user_id, job_id, status, notes)
      values (${userId}, ${input.jobId}, ${input.status}, ${input.notes})
      on conflict (user_id, job_id) do nothing
      returning id`;
    if (!created) {
      const [existing] = await tx<{ id: number }[]>`
        select id from applications where user_id = ${userId} and job_id = ${input.jobId}`;
      throw bodyProblem(409, "jobId", `you already track this job as application ${existing?.id}`);
    }
    await tx`insert into application_status_history (application_id, from_status, to_status)
      values (${created.id}, null, ${input.status})`;
    return getApplication(tx, userId, created.id);
  });
}

export async function updateNotes(
  sql: Sql,
  userId: number,
  id: number,
  notes: string,
): Promise<ApplicationDetailRow> {
  return sql.begin(async (tx) => {
    await tx`update applications set notes = ${notes}, version = version + 1, updated_at = now()
      where id = ${id} and user_id = ${userId}`;
    return getApplication(tx, userId, id);
  });
}

/**
 * Changes the status under a row lock: concurrent changes to one application run one after the other,
 * each checked against the status the previous one left.
 */
export async function changeStatus(
  sql: Sql,
  userId: number,
  id: number,
  change: { status: ApplicationStatus; note: string; expectedVersion: number | undefined },
): Promise<ApplicationDetailRow> {
  return sql.begin(async (tx) => {
    const [current] = await tx<{ status: ApplicationStatus; version: number }[]>`
      select status, version from applications where id = ${id} and user_id = ${userId} for update`;
    if (!current)
      throw new ProblemError({ status: 404, title: "Not found", detail: `no application with id ${id}` });
    if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) {
      throw bodyProblem(409, "expectedVersion", `the application is at version ${current.version}`);
    }
    if (!canMove(current.status, change.status)) {
      const next = allowedNext(current.status);
      throw bodyProblem(
        409,
        "status",
        `cannot go from ${current.status} to ${change.status}; allowed: ${next.length > 0 ? next.join(", ") : "none (final)"}`,
      );
    }
    await tx`update applications set status = ${change.status}, version = version + 1, updated_at = now()
      where id = ${id}`;
    await tx`insert into application_status_history (application_id, from_status, to_status, note)
      values (${id}, ${current.status}, ${change.status}, ${change.note})`;
    return getApplication(tx, userId, id);
  });
}

function bodyProblem(status: number, name: string, message: string): ProblemError {
  return new ProblemError({
    status,
    title: status === 409 ? "Conflict" : "Unprocessable request",
    detail: `${name}: ${message}`,
    fields: [{ name, in: "body", message }],
  });
}
