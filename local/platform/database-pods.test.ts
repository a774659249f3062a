// The recipe of local/README.md, by hand as a user would: `platform up --runtime docker --database`, the
// Secret from database.env, and a pod that reaches PostgreSQL on the bridge address with the Secret's
// settings (it asks for TLS, PostgreSQL's SSLRequest, and gets 'S'). The host verifies the server's
// certificate for the bridge address against the platform's CA.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import postgres from "postgres";
import type { DatabaseEndpoint } from "../database/component.ts";
import { platformDaemonFixture } from "./testing/platform-cli.ts";

const cidr = `10.245.${process.pid % 200}.0/24`;

describe("database reached from pods (Docker runtime, through the CLI)", { timeout: 600_000 }, () => {
  const { home, kubectl, podUntil } = platformDaemonFixture("cjh-database-pods-", [
    "--runtime",
    "docker",
    "--database",
    "--pod-bridge",
    `cjd${process.pid % 100000}`,
    "--pod-cidr",
    cidr,
  ]);

  test("a pod given the Secret made from database.env reaches PostgreSQL on the bridge address", async () => {
    const endpoint = JSON.parse(
      readFileSync(join(home, "database", "database.json"), "utf8"),
    ) as DatabaseEndpoint;
    assert.equal(endpoint.host, cidr.replace(/\.0\/24$/, ".1"));
    const secret = await kubectl([
      "create",
      "secret",
      "generic",
      "cloudjobhunt-db",
      `--from-env-file=${endpoint.envFile}`,
    ]);
    assert.equal(secret.code, 0, secret.stderr);
    assert.equal(secret.stdout.trim(), "secret/cloudjobhunt-db created");
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "db-check" },
      spec: {
        restartPolicy: "Never",
        containers: [
          {
            name: "check",
            image: "cloudjobhunt/pause:1",
            envFrom: [{ secretRef: { name: "cloudjobhunt-db" } }],
            // PostgreSQL's SSLRequest (length 8, code 80877103): the server answers one byte, 'S'.
            command: [
              "sh",
              "-c",
              'printf "\\0\\0\\0\\10\\4\\322\\26\\57" | nc -w 5 "$DB_HOST" "$DB_PORT" | head -c 1; echo " $DB_SSLMODE"',
            ],
          },
        ],
      },
    };
    assert.equal((await kubectl(["apply", "-f", "-"], JSON.stringify(pod))).code, 0);
    const done = await podUntil("db-check", "the check to finish", (current) =>
      ["Succeeded", "Failed"].includes(current.status?.phase ?? ""),
    );
    assert.equal(done.status?.phase, "Succeeded");
    const logs = await kubectl(["logs", "db-check"]);
    assert.equal(logs.stdout, "S require\n");

    const env = Object.fromEntries(
      readFileSync(endpoint.envFile, "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    const sql = postgres({
      host: endpoint.host,
      port: endpoint.port,
      database: env.DB_NAME,
      username: env.DB_USER,
      password: env.DB_PASSWORD,
      ssl: { ca: readFileSync(endpoint.caFile, "utf8") },
      max: 1,
    });
    try {
      const [row] = await sql`select inet_server_addr()::text as address`;
      assert.equal(row?.address, `${endpoint.host}/32`);
    } finally {
      await sql.end();
    }
  });
});
