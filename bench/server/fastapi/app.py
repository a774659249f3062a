"""The seed's original stack (FastAPI + uvicorn + asyncpg) serving the two benchmarked endpoints.

Written the way a FastAPI app usually is: Pydantic models validate the query and shape the response, an
asyncpg pool runs the SQL, one uvicorn worker serves. The search mirrors server/jobs/search.ts (same SQL,
same filters, same page shape and cursor format); the benchmark checks that both answer every benchmark
query with the same postings before it measures anything. Configured by DATABASE_URL and POOL_MAX.
"""

import base64
import os
import re
from datetime import datetime
from typing import List, Literal, Optional

import asyncpg
from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel

app = FastAPI(title="CloudJobHunt (seed stack)")
state = {}

Seniority = Literal["intern", "junior", "mid", "senior", "lead", "principal"]


class JobSummary(BaseModel):
    id: int
    title: str
    company: str
    location: Optional[str]
    remote: bool
    seniority: Optional[Seniority]
    skills: List[str]
    salaryMin: Optional[int]
    salaryMax: Optional[int]
    salaryCurrency: Optional[str]
    sourceUrl: Optional[str]
    postedAt: datetime


class JobPage(BaseModel):
    items: List[JobSummary]
    nextCursor: Optional[str]


class Health(BaseModel):
    status: str


@app.on_event("startup")
async def open_pool():
    state["pool"] = await asyncpg.create_pool(
        os.environ["DATABASE_URL"],
        min_size=1,
        max_size=int(os.environ.get("POOL_MAX", "10")),
        # Same planner setting as server/db/pool.ts, so both stacks run the same plans (equal work).
        server_settings={"plan_cache_mode": "force_custom_plan"},
    )


@app.on_event("shutdown")
async def close_pool():
    await state["pool"].close()


@app.get("/healthz", response_model=Health)
async def healthz():
    return {"status": "ok"}


def encode_cursor(posted_at: datetime, job_id: int) -> str:
    raw = f"{int(posted_at.timestamp() * 1000)}.{job_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str):
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError:
        text = ""
    match = re.fullmatch(r"(\d{1,15})\.(\d{1,15})", text)
    if not match:
        raise HTTPException(status_code=400, detail="cursor: is not a cursor this API issued")
    return datetime.fromtimestamp(int(match[1]) / 1000).astimezone(), int(match[2])


def escape_like(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


SELECT = """
select id, title, company, location, remote, seniority, skills,
  salary_min as "salaryMin", salary_max as "salaryMax", salary_currency as "salaryCurrency",
  source_url as "sourceUrl", posted_at as "postedAt"
from jobs
where true"""


@app.get("/jobs", response_model=JobPage)
async def search_jobs(
    q: Optional[str] = Query(None, min_length=1, max_length=200),
    location: Optional[str] = Query(None, min_length=1, max_length=100),
    remote: Optional[bool] = None,
    seniority: Optional[Seniority] = None,
    skill: Optional[str] = Query(None, min_length=1, max_length=50),
    postedSince: Optional[datetime] = None,
    cursor: Optional[str] = Query(None, max_length=64),
    limit: int = Query(20, ge=1, le=100),
):
    conditions, args = [], []

    def condition(template: str, value) -> None:
        args.append(value)
        conditions.append(template.replace("?", f"${len(args)}"))

    if q is not None:
        condition("search @@ websearch_to_tsquery('english', ?)", q)
    if location is not None:
        condition("location ilike ?", f"%{escape_like(location)}%")
    if remote is not None:
        condition("remote = ?", remote)
    if seniority is not None:
        condition("seniority = ?", seniority)
    if skill is not None:
        condition("skills @> array[?]::text[]", skill.lower())
    if postedSince is not None:
        condition("posted_at >= ?", postedSince)
    if cursor is not None:
        after_posted, after_id = decode_cursor(cursor)
        args.extend([after_posted, after_id])
        conditions.append(f"(posted_at, id) < (${len(args) - 1}, ${len(args)})")
    args.append(limit + 1)
    query = "".join([SELECT, *(f"\n  and {c}" for c in conditions), f"\norder by posted_at desc, id desc\nlimit ${len(args)}"])
    rows = await state["pool"].fetch(query, *args)
    items = rows[:limit]
    more = len(rows) > limit
    return {
        "items": [dict(row) for row in items],
        "nextCursor": encode_cursor(items[-1]["postedAt"], items[-1]["id"]) if more else None,
    }
