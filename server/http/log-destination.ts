import { writeSync } from "node:fs";
import pino, { type DestinationStream } from "pino";

/** What a turn's lines are handed to: pino.destination() (sonic-boom) in production. */
export interface LineSink {
  write(text: string): unknown;
  /** Writes everything held before returning. */
  flushSync(): void;
}

/** pino's level for error: lines at this level or above are written before the call that logs them returns. */
const URGENT_LEVEL = 50;

/**
 * Gathers the log lines of one event-loop turn and hands them on as one string. sonic-boom measures its
 * pending buffer on every write (Buffer.byteLength of a growing string), about 3 µs a line under load;
 * once per turn, that cost is shared by every request served in the turn. Lines still pending when the
 * process exits (process.exit, a crash) are written synchronously, after what the sink flushed at exit.
 */
export class TurnBatchedDestination implements DestinationStream {
  #pending = "";
  #scheduled = false;
  /** Whether lines were handed to the sink since the last synchronous flush. */
  #unflushed = false;
  /** Asks pino to set lastLevel before each write. */
  readonly [pino.symbols.needsMetadataGsym] = true;
  /** The level of the line being written (set by pino). */
  lastLevel = 0;

  /**
   * fd: the file descriptor the sink writes to, where lines pending at exit are written directly.
   * flushEveryMs: at low traffic the sink's buffer would otherwise hold lines until it fills (sonic-boom's
   * minLength) or the process exits; a timer flushes what it holds this often.
   */
  constructor(
    private readonly sink: LineSink,
    fd: number,
    flushEveryMs = 1000,
  ) {
    process.once("exit", () => {
      if (this.#pending !== "") writeSync(fd, this.#pending);
    });
    setInterval(() => {
      if (this.#pending !== "" || this.#unflushed) this.#flushNow();
    }, flushEveryMs).unref();
  }

  write(line: string): void {
    this.#pending += line;
    // An error line (a 500's) is on its way out before the request is answered: a SIGKILL or an OOM kill
    // right after cannot lose it.
    if (this.lastLevel >= URGENT_LEVEL) {
      this.#flushNow();
      return;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#handOn);
    }
  }

  /**
   * Hands on what is pending now and has the sink write out everything it holds before returning (start-up
   * lines, shutdown): sonic-boom's own asynchronous flush is dropped while one of its writes is under way.
   */
  flush(cb?: (err?: Error) => unknown): void {
    this.#flushNow();
    cb?.();
  }

  /**
   * Writes what is pending and what the sink holds before returning. Should one of the sink's asynchronous
   * writes be under way, its lines may land after these: rare, and better than lines never written.
   */
  #flushNow(): void {
    this.#handOn();
    this.#unflushed = false;
    this.sink.flushSync();
  }

  #handOn = (): void => {
    this.#scheduled = false;
    if (this.#pending === "") return;
    const text = this.#pending;
    this.#pending = "";
    this.#unflushed = true;
    this.sink.write(text);
  };
}
