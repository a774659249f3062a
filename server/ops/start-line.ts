import type { DatabaseSource } from "../config/env.ts";

/**
 * The line a person running `npm start` in a terminal reads: where the API and its metrics listen, and which
 * database it uses (never a password).
 */
export function startLine(database: DatabaseSource, apiUrl: string, metricsUrl: string): string {
  return `CloudJobHunt API listening on ${apiUrl} (metrics on ${metricsUrl}/metrics); database: ${describeDatabase(database)}`;
}

function describeDatabase(database: DatabaseSource): string {
  switch (database.kind) {
    case "embedded":
      return `embedded PostgreSQL in ${database.dataDir}`;
    case "parts":
      return `postgres://${database.user}@${database.host}:${database.port}/${database.name}`;
    case "url": {
      const url = new URL(database.url);
      const user = url.username === "" ? "" : `${url.username}@`;
      return `${url.protocol}//${user}${url.host}${url.pathname}`;
    }
  }
}
