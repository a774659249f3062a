import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config/env.ts";
import { DataDirInUseError } from "./db/embedded.ts";
import { loadMigrations, migrate } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import { PoolUsage } from "./db/pool-usage.ts";
import { createLogger } from "./http/logger.ts";
import { listen } from "./http/serve.ts";
import { Metrics } from "./ops/metrics.ts";
import { listenForScrapes } from "./ops/metrics-app.ts";
import { Readiness } from "./ops/readiness.ts";
import { exitGracefullyOnSignals } from "./ops/shutdown.ts";
import { startLine } from "./ops/start-line.ts";

try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, (line) => logger.debug({ postgres: line }));
  const migrations = await loadMigrations();
  const applied = await migrate(db.sql, migrations);
  logger.info({ applied, database: config.database.kind }, "migrations done");
  logger.flush();
  const pool = new PoolUsage(db.sql, config.dbPoolMax, db.applicationName);
  const readiness = new Readiness();
  const metrics = new Metrics(pool, config.dbPoolMax);
  const app = createApp({
    config,
    sql: db.sql,
    pool,
    metrics,
    readiness,
    logger,
    latestMigration: migrations.at(-1)?.version ?? "",
  });
  const listening = await listen(app, config.port, config.host, config.connections);
  const metricsListening = await listenForScrapes(
    metrics,
    config.metricsPort,
    config.host,
    config.connections,
  );
  exitGracefullyOnSignals({
    listening,
    readiness,
    logger,
    drainMs: config.shutdownDrainMs,
    graceMs: config.shutdownGraceMs,
    release: async () => {
      // Scrapes answer until the API has stopped, so the last figures include the drain.
      await metricsListening.close(1000);
      await db.close();
    },
  });
  logger.info({ url: listening.url, metrics: `${metricsListening.url}/metrics` }, "listening");
  // Start-up lines are written at once, not when the log buffer fills.
  logger.flush();
  if (process.stdout.isTTY) {
    process.stdout.write(`${startLine(config.database, listening.url, metricsListening.url)}\n`);
  }
} catch (error) {
  // docs/exit-codes.md: 3 bad configuration, 4 not started (the data folder is in use), 1 anything else. The
  // numbers are written here because the image builds from server/ alone (.dockerignore).
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error instanceof ConfigError ? 3 : 4);
  }
  process.stderr.write(
    `cloudjobhunt-api failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
