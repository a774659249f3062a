import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "./env.ts";

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail("expected a ConfigError");
}

describe("configuration from the environment", () => {
  test("defaults to the embedded PostgreSQL in .data/postgres on port 8080", () => {
    const config = loadConfig({});
    assert.deepEqual(config.database, { kind: "embedded", dataDir: ".data/postgres", port: undefined });
    assert.equal(config.port, 8080);
    assert.equal(config.dbPoolMax, 10);
    assert.equal(config.shutdownGraceMs, 25_000);
    assert.deepEqual(config.corsOrigins, []);
  });

  test("accepts DATABASE_URL", () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: "postgres://u:p@db:5432/app" }).database, {
      kind: "url",
      url: "postgres://u:p@db:5432/app",
    });
  });

  test("accepts the deployment secret's host/port/name/user/password as DB_*", () => {
    const config = loadConfig({
      DB_HOST: "psql.example.test",
      DB_PORT: "6432",
      DB_NAME: "cloudjobhunt",
      DB_USER: "psqladmin",
      DB_PASSWORD: "s3cret",
      DB_SSL: "require",
    });
    assert.deepEqual(config.database, {
      kind: "parts",
      host: "psql.example.test",
      port: 6432,
      name: "cloudjobhunt",
      user: "psqladmin",
      auth: { kind: "password", password: "s3cret" },
    });
    assert.equal(config.dbSsl, "require");
  });

  test("DB_AUTH=entra logs in as DB_USER with an Entra ID token over TLS, no password", () => {
    const config = loadConfig({
      DB_AUTH: "entra",
      DB_HOST: "psql-cloudhunt-prod.postgres.database.azure.com",
      DB_NAME: "cloudjobhunt",
      DB_USER: "id-cloudhunt-prod-workload",
      DB_SSL: "verify-full",
    });
    assert.deepEqual(config.database, {
      kind: "parts",
      host: "psql-cloudhunt-prod.postgres.database.azure.com",
      port: 5432,
      name: "cloudjobhunt",
      user: "id-cloudhunt-prod-workload",
      auth: { kind: "entra" },
    });
    assert.equal(loadConfig({ DB_AUTH: "password" }).database.kind, "embedded");
  });

  test("refuses DB_AUTH=entra with a password, a URL, plaintext, missing parts, or an unknown method", () => {
    assert.deepEqual(problems({ DB_AUTH: "entra" }), [
      "DB_HOST: required when DB_AUTH is entra",
      "DB_NAME: required when DB_AUTH is entra",
      "DB_USER: required when DB_AUTH is entra",
      "DB_SSL: must be require or verify-full when DB_AUTH is entra, the token must not cross the network in clear (got nothing)",
    ]);
    const mixed = problems({
      DB_AUTH: "entra",
      DATABASE_URL: "postgres://u:hunter2@h/d",
      DB_HOST: "db",
      DB_NAME: "d",
      DB_USER: "u",
      DB_PASSWORD: "hunter2",
      DB_SSL: "prefer",
    });
    assert.deepEqual(mixed, [
      "DB_PASSWORD: must be unset when DB_AUTH is entra (the password is an Entra ID token)",
      "DATABASE_URL: must be unset when DB_AUTH is entra (use DB_HOST, DB_PORT, DB_NAME, DB_USER)",
      'DB_SSL: must be require or verify-full when DB_AUTH is entra, the token must not cross the network in clear (got "prefer")',
    ]);
    assert.ok(!mixed.join("\n").includes("hunter2"));
    assert.deepEqual(problems({ DB_AUTH: "token" }), ['DB_AUTH: must be password or entra (got "token")']);
  });

  test("names every bad variable, with its value unless it is secret", () => {
    assert.deepEqual(
      problems({
        PORT: "eighty",
        DB_POOL_MAX: "0",
        LOG_LEVEL: "loud",
        CORS_ORIGINS: "https://ok.test,ftp://x/y",
        DATABASE_URL: "mysql://u:hunter2@h/d",
      }),
      [
        'PORT: must be an integer from 0 to 65535 (got "eighty")',
        "DATABASE_URL: must be a postgres:// or postgresql:// URL",
        'DB_POOL_MAX: must be an integer from 1 to 1000 (got "0")',
        'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
        'CORS_ORIGINS: must be a comma-separated list of origins such as https://app.example.com (no path) (got "https://ok.test,ftp://x/y")',
      ],
    );
    assert.deepEqual(problems({ LINKEDIN_BASE_URL: "linkedin" }), [
      'LINKEDIN_BASE_URL: must be an http(s) URL (got "linkedin")',
    ]);
    assert.deepEqual(problems({ DB_SSL: "maybe" }), [
      'DB_SSL: must be one of disable, prefer, require, verify-full (got "maybe")',
    ]);
  });

  test("connection settings default to short timeouts and a connection cap, and are checked together", () => {
    const config = loadConfig({});
    assert.deepEqual(config.connections, {
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1024,
    });
    assert.equal(config.metricsPort, 9464);
    assert.equal(config.trustProxyHops, 0);
    assert.equal(config.authFailuresPerMinute, 60);
    assert.equal(loadConfig({ TRUST_PROXY: "1" }).trustProxyHops, 1);
    assert.deepEqual(problems({ HEADERS_TIMEOUT_MS: "40000", REQUEST_TIMEOUT_MS: "30000" }), [
      "HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS (40000 > 30000)",
    ]);
    assert.deepEqual(problems({ MAX_CONNECTIONS: "0", TRUST_PROXY: "yes" }), [
      'MAX_CONNECTIONS: must be an integer from 1 to 1000000 (got "0")',
      'TRUST_PROXY: must be an integer from 0 to 10 (got "yes")',
    ]);
  });

  test("refuses half a database configuration or two at once", () => {
    assert.deepEqual(problems({ DB_HOST: "db" }), [
      "DB_NAME: required when DB_HOST is set",
      "DB_USER: required when DB_HOST is set",
      "DB_PASSWORD: required when DB_HOST is set",
    ]);
    assert.deepEqual(problems({ DATABASE_URL: "postgres://h/d", DB_HOST: "db" }), [
      "DATABASE_URL: set either DATABASE_URL or DB_HOST, not both",
    ]);
  });

  test("the error message lists the problems one per line", () => {
    assert.throws(() => loadConfig({ PORT: "-1" }), {
      message: 'Invalid configuration:\n  - PORT: must be an integer from 0 to 65535 (got "-1")',
    });
  });

  test("empty variables count as unset", () => {
    assert.equal(loadConfig({ PORT: "", DATABASE_URL: "" }).database.kind, "embedded");
  });
});
