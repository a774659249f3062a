import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "../config/env.ts";
import { TurnBatchedDestination } from "./log-destination.ts";

export type { Logger };

const STDOUT = 1;

/**
 * JSON lines on stdout, gathered per event-loop turn and written asynchronously in batches of at least
 * 4 KiB, and whatever is held every second; error lines at once, synchronously (TurnBatchedDestination). Nothing logs headers or secrets; top-level password, token and
 * authorization fields are censored as a backstop (fixed paths only: wildcard redaction costs about as
 * much as the rest of a log line).
 */
export function createLogger(
  level: Config["logLevel"],
  destination: DestinationStream = new TurnBatchedDestination(
    pino.destination({ dest: STDOUT, sync: false, minLength: 4096 }),
    STDOUT,
  ),
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
