import { Writable } from "node:stream";
import { createApp } from "../app.ts";
import { type Config, loadConfig } from "../config/env.ts";
import { loadMigrations } from "../db/migrate.ts";
import type { Sql } from "../db/pool.ts";
import { PoolUsage } from "../db/pool-usage.ts";
import { createLogger } from "../http/logger.ts";
import { listen } from "../http/serve.ts";
import { Metrics } from "../ops/metrics.ts";
import { listenForScrapes } from "../ops/metrics-app.ts";
import { Readiness } from "../ops/readiness.ts";

export interface TestApp {
  url: string;
  /** The metrics port's base URL (GET /metrics). */
  metricsUrl: string;
  readiness: Readiness;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  rawLogs(): string;
  close(): Promise<void>;
}

/** The real app over real HTTP on a free loopback port, with its logs captured. */
export async function startTestApp(sql: Sql, env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const config: Config = loadConfig({ LOG_LEVEL: "info", ...env });
  let raw = "";
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      raw += String(chunk);
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const applicationName = "cjh-test";
  const pool = new PoolUsage(sql, config.dbPoolMax, applicationName);
  const readiness = new Readiness();
  const migrations = await loadMigrations();
  const metrics = new Metrics(pool, config.dbPoolMax);
  const app = createApp({
    config,
    sql,
    pool,
    metrics,
    readiness,
    logger,
    latestMigration: migrations.at(-1)?.version ?? "",
  });
  const listening = await listen(app, 0, "127.0.0.1", config.connections);
  const metricsListening = await listenForScrapes(metrics, 0, "127.0.0.1", config.connections);
  return {
    url: listening.url,
    metricsUrl: metricsListening.url,
    readiness,
    logs,
    rawLogs: () => raw,
    close: async () => {
      await Promise.all([listening.close(1000), metricsListening.close(1000)]);
    },
  };
}
