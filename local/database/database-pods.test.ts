// The recipe of local/README.md, by hand as a user would: `platform up --runtime docker --database`, the
// Secret from database.env, and a pod that reaches PostgreSQL on the bridge address with the Secret's
// settings (it asks for TLS, PostgreSQL's SSLRequest, and gets 'S'). The host verifies the server's
// certificate for the bridge address against the platform's CA.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import postgres from "postgres";
import { kubeconfigFrom, platformCli, run } from "../platform/testing/platform-cli.ts";
import type { DatabaseEndpoint } from "./database-component.ts";

const cidr = `10.245.${process.pid % 200}.0/24`;

describe("database reached from pods (Docker runtime, through the CLI)", { timeout: 600_000 }, () => {
  const home = mkdtempSync(join(tmpdir(), "cjh-database-pods-"));
  let kubeconfig = "";
  const kubectl = (args: string[], input?: string) =>
    run("kubectl", ["--kubeconfig", kubeconfig, ...args], input === undefined ? {} : { input });

  before(async () => {
    const up = await platformCli(home, [
      "up",
      "--runtime",
      "docker",
      "--database",
      "--pod-bridge",
      `cjd${process.pid % 100000}`,
      "--pod-cidr",
      cidr,
    ]);
    assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
    kubeconfig = kubeconfigFrom(up.stdout);
  });
  after(async () => {
    const down = await platformCli(home, ["down"]);
    assert.equal(down.code, 0, down.stderr);
    rmSync(home, { recursive: true, force: true });
  });

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
    const deadline = Date.now() + 120_000;
    let phase = "";
    while (Date.now() < deadline && phase !== "Succeeded" && phase !== "Failed") {
      phase = (await kubectl(["get", "pod", "db-check", "-o", "jsonpath={.status.phase}"])).stdout;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(phase, "Succeeded");
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
