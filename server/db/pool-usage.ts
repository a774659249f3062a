import type { Sql } from "./pool.ts";

export interface PoolConnections {
  active: number;
  idle: number;
  waiting: number;
}

/**
 * Pool figures for /metrics. postgres.js does not expose its queues, so the server side is asked which of
 * this process's connections are busy or idle (by application_name), and work waiting for a connection is
 * what runs through `track` beyond the pool's size.
 */
export class PoolUsage {
  #inFlight = 0;

  constructor(
    private readonly sql: Sql,
    private readonly max: number,
    private readonly applicationName: string,
  ) {}

  async track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await work;
    } finally {
      this.#inFlight--;
    }
  }

  async connections(): Promise<PoolConnections> {
    const rows = await this.sql<{ state: string | null; count: number }[]>`
      select state, count(*)::int as count from pg_stat_activity
      where application_name = ${this.applicationName} and pid <> pg_backend_pid()
      group by state`;
    const idle = rows.filter((r) => r.state === "idle").reduce((n, r) => n + r.count, 0);
    // The connection running this query is busy answering it, not serving the application.
    const active = rows.filter((r) => r.state !== "idle").reduce((n, r) => n + r.count, 0);
    return { active, idle, waiting: Math.max(0, this.#inFlight - this.max) };
  }
}
