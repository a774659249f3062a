import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "../config/env.ts";

export type { Logger };

/**
 * JSON lines on stdout, written asynchronously in 4 KiB batches (flushed on shutdown). Nothing logs
 * headers or secrets; top-level password, token and authorization fields are censored as a backstop
 * (fixed paths only: wildcard redaction costs about as much as the rest of a log line).
 */
export function createLogger(
  level: Config["logLevel"],
  destination: DestinationStream = pino.destination({ dest: 1, sync: false, minLength: 4096 }),
): Logger {
  return pino(
    {
      level,
      base: { service: "cloudjobhunt-api" },
      redact: { paths: ["password", "token", "authorization"], censor: "[redacted]" },
    },
    destination,
  );
}
