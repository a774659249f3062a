import type { Context } from "hono";
import { clientAddress } from "../http/client-address.ts";
import type { AppEnv } from "../http/env.ts";
import { MinuteWindows } from "../http/minute-windows.ts";
import { ProblemError } from "../http/problem.ts";

/**
 * Failed token lookups per client address and minute (per replica). Past the limit, requests with a token
 * from that address are refused before the lookup until the minute ends: guessing tokens costs the guesser a
 * 429, not the database a query. Clients that authenticate never count. 0 turns it off.
 */
export class AuthFailureLimit {
  readonly #windows: MinuteWindows<string>;

  constructor(
    private readonly perMinute: number,
    private readonly trustProxyHops: number,
    now: () => number = Date.now,
  ) {
    this.#windows = new MinuteWindows(now);
  }

  /** Throws a 429 when this address has used up its failures for the minute. */
  refuseIfExhausted(c: Context<AppEnv>): void {
    if (this.perMinute === 0) return;
    const w = this.#windows.current(this.#address(c));
    if (w.count < this.perMinute) return;
    throw new ProblemError({
      status: 429,
      title: "Too many requests",
      detail: `more than ${this.perMinute} unknown tokens a minute came from this address; try again later`,
      headers: { "retry-after": String(this.#windows.secondsLeft(w)) },
    });
  }

  recordFailure(c: Context<AppEnv>): void {
    if (this.perMinute === 0) return;
    this.#windows.current(this.#address(c)).count++;
  }

  #address(c: Context<AppEnv>): string {
    return clientAddress(c.env.incoming, this.trustProxyHops);
  }
}
