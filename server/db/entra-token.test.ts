// Entra ID login end to end with real clients: WorkloadIdentityCredential against the local platform's Entra
// stand-in (local/azure/aad.ts, federated token file as AKS projects it), postgres.js against a real
// PostgreSQL whose role has the token as password (Azure's server checks the token itself; a vanilla server
// can only compare it).
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type TokenCredential, WorkloadIdentityCredential } from "@azure/identity";
import postgres from "postgres";
import { type AzureStandIns, startAzureStandIns } from "../../local/azure/azure-stand-ins.ts";
import { freeStandInPorts } from "../../local/azure/endpoints.ts";
import { trustLocalCaInThisProcess } from "../../local/tls/local-ca.ts";
import { startTestDatabase, type TestDatabase } from "../testing/postgres.ts";
import { entraPassword, POSTGRES_ENTRA_SCOPE } from "./entra-token.ts";
import { openDatabase } from "./open.ts";
import { createSql } from "./pool.ts";

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));

/** The real credential, counting what asks it for a token (our cache must spare Entra the calls). */
function counted(credential: TokenCredential) {
  const seen = { calls: 0 };
  const wrapped: TokenCredential = {
    getToken: (scopes, options) => {
      seen.calls += 1;
      return credential.getToken(scopes, options);
    },
  };
  return { credential: wrapped, seen };
}

describe("Entra ID login to PostgreSQL", () => {
  let home = "";
  let azure: AzureStandIns;
  let workload: TokenCredential;
  let db: TestDatabase;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "cjh-entra-"));
    azure = await startAzureStandIns({
      home,
      ports: await freeStandInPorts(),
      kubeconfig: async () => "",
      registryStorageRoot: join(home, "registry"),
    });
    await trustLocalCaInThisProcess(home);
    const tokenFile = join(home, "federated-token");
    await writeFile(tokenFile, await azure.issueFederatedToken(), { mode: 0o600 });
    workload = new WorkloadIdentityCredential({
      tenantId: azure.credentials.tenantId,
      clientId: azure.credentials.clientId,
      tokenFilePath: tokenFile,
      authorityHost: azure.endpoints.aadUrl,
      disableInstanceDiscovery: true,
    });
    db = await startTestDatabase({ migrate: false });
  });
  after(async () => {
    await db?.stop();
    await azure?.stop();
    await rm(home, { recursive: true, force: true });
  });

  test("asks for a token of the PostgreSQL scope and reuses it until 5 minutes before it expires", async () => {
    let clock = Date.now();
    const { credential, seen } = counted(workload);
    const password = entraPassword(credential, { now: () => clock });
    const token = await password();
    assert.equal(claimsOf(token).aud, POSTGRES_ENTRA_SCOPE.replace("/.default", ""));
    assert.equal(await password(), token);
    assert.equal(seen.calls, 1);
    // The stand-in's tokens last 3599 s, like Entra's: past 3599 - 300 s, the next connections need a new one,
    // and five opening together wait for one request.
    clock += 3600_000 - 5 * 60_000;
    await Promise.all(Array.from({ length: 5 }, () => password()));
    assert.equal(seen.calls, 2);
  });

  test("names Entra's empty answer", async () => {
    const password = entraPassword({ getToken: async () => null });
    await assert.rejects(password(), {
      message: "Microsoft Entra ID returned no token for https://ossrdbms-aad.database.windows.net/.default",
    });
  });

  test("the pool logs in as the identity's role with the token, and a refused login never shows it", async () => {
    const admin = postgres(db.url, { max: 1, onnotice: () => {} });
    const url = new URL(db.url);
    const role = "id-cloudhunt-test-workload";
    const token = await entraPassword(workload)();
    await admin.unsafe(`create role "${role}" login password '${token}'`);
    const config = {
      database: {
        kind: "parts" as const,
        host: url.hostname,
        port: Number(url.port),
        name: url.pathname.slice(1),
        user: role,
        auth: { kind: "entra" as const },
      },
      dbPoolMax: 2,
      dbSsl: undefined,
    };
    const opened = await openDatabase(config, () => {}, { credential: workload });
    const [who] = await opened.sql<{ user: string }[]>`select current_user as user`;
    assert.equal(who?.user, role);
    await opened.close();

    // The server no longer takes this token: the error names the role, never the token, and nothing is written.
    await admin.unsafe(`alter role "${role}" password 'another'`);
    const written: string[] = [];
    const capture = (stream: NodeJS.WriteStream) => {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        written.push(String(chunk));
        return write(chunk, ...rest);
      }) as typeof stream.write;
      return () => {
        stream.write = write;
      };
    };
    const restore = [capture(process.stdout), capture(process.stderr)];
    const refused = await openDatabase(config, (line) => written.push(line), { credential: workload });
    const error: unknown = await refused.sql`select 1`.catch((e: unknown) => e);
    await refused.close();
    for (const undo of restore) undo();
    assert.ok(error instanceof Error);
    assert.match(error.message, /password authentication failed for user "id-cloudhunt-test-workload"/);
    assert.ok(!`${error.message}${error.stack}${JSON.stringify(error)}`.includes(token));
    assert.ok(!written.join("").includes(token));
    await admin.end();
  });

  test("a pool configured for Entra ID without a credential is refused before it connects", () => {
    assert.throws(
      () =>
        createSql(
          { kind: "parts", host: "db.test", port: 5432, name: "d", user: "u", auth: { kind: "entra" } },
          { max: 1, applicationName: "t" },
        ),
      { message: "DB_AUTH is entra but no Entra ID credential was given" },
    );
  });
});
