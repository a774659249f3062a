import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "../config/env.ts";

export type { Logger };

/**
 * JSON lines on stdout, written asynchronously in 4 KiB batches (flushed on shutdown). Authorization,
 * cookies and anything named password or token are censored should they ever be logged.
 */
export function createLogger(
  level: Config["logLevel"],
  destination: DestinationStream = pino.destination({ dest: 1, sync: false, minLength: 4096 }),
): Logger {
  return pino(
    {
      level,
      base: { service: "cloudjobhunt-api" },
      redact: {
        paths: [
          "*.authorization",
          "*.cookie",
          "*.password",
          "*.token",
          "password",
          "token",
          "headers.authorization",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
