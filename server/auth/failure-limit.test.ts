import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestApp, type TestApp } from "../testing/app.ts";
import { startTestDatabase, type TestDatabase } from "../testing/postgres.ts";
import { createToken } from "./tokens.ts";

describe("failed token lookups are limited per client address, before the lookup", () => {
  let db: TestDatabase;
  let token: string;
  before(async () => {
    db = await startTestDatabase();
    token = (await createToken(db.sql, { userName: "frank", scopes: [] })).token;
  });
  after(async () => {
    await db.stop();
  });

  const call = (app: TestApp, bearer: string, forwardedFor?: string) =>
    fetch(`${app.url}/applications`, {
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
      },
    });
  const guess = (n: number) => `cjh_guess${n}`;

  test("past the limit an address gets 429 with Retry-After, even for a good token; others are unaffected", async () => {
    const app = await startTestApp(db.sql, { AUTH_FAILURES_PER_MINUTE: "3", TRUST_PROXY: "1" });
    try {
      const attacker = "203.0.113.7";
      const statuses: number[] = [];
      for (let n = 0; n < 5; n++) statuses.push((await call(app, guess(n), attacker)).status);
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
      const refused = await call(app, token, attacker);
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
      assert.equal(
        ((await refused.json()) as { detail: string }).detail,
        "more than 3 unknown tokens a minute came from this address; try again later",
      );
      // The ingress appends the address it saw: what the client wrote before it does not matter.
      assert.equal((await call(app, token, `${attacker}, 198.51.100.2`)).status, 200);
      assert.equal((await call(app, guess(9), `198.51.100.2, ${attacker}`)).status, 429);
    } finally {
      await app.close();
    }
  });

  test("without TRUST_PROXY the peer address counts, and X-Forwarded-For cannot escape the limit", async () => {
    const app = await startTestApp(db.sql, { AUTH_FAILURES_PER_MINUTE: "2" });
    try {
      assert.equal((await call(app, guess(1), "192.0.2.1")).status, 401);
      assert.equal((await call(app, guess(2), "192.0.2.2")).status, 401);
      assert.equal((await call(app, guess(3), "192.0.2.3")).status, 429);
    } finally {
      await app.close();
    }
  });

  test("clients that authenticate never use up the limit; 0 turns it off", async () => {
    const limited = await startTestApp(db.sql, { AUTH_FAILURES_PER_MINUTE: "1" });
    const off = await startTestApp(db.sql, { AUTH_FAILURES_PER_MINUTE: "0" });
    try {
      for (let n = 0; n < 5; n++) assert.equal((await call(limited, token)).status, 200);
      for (let n = 0; n < 5; n++) assert.equal((await call(off, guess(n))).status, 401);
    } finally {
      await Promise.all([limited.close(), off.close()]);
    }
  });
});
