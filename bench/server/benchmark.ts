import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { recordResponse } from "./canned-response.ts";
import { type Contender, directContender, httpContender, type LoadSettings } from "./contenders.ts";
import { startSeededDatabase } from "./database.ts";
import { startDirectSearch } from "./direct-client.ts";
import { describeEnvironment, python } from "./environment.ts";
import type { BenchOptions } from "./options.ts";
import { searchPath, searchQueries } from "./queries.ts";
import { type Records, renderReport } from "./report.ts";
import { differences, fetchAnswer, type SearchAnswer } from "./same-answers.ts";
import { openDirectSearch } from "./search-adapter.ts";
import { freePort, type ServerProcess, startServer } from "./server-process.ts";

const dataCache = ".data/bench-server";
const appEntry = "server/main.ts";
/** Pause after each run: a slow server may still be answering requests wrk gave up on. */
const settleMs = 1_000;

/** Starts every contender, checks they answer alike, then measures them in alternating rounds. */
export async function runBenchmark(options: BenchOptions, print: (line: string) => void): Promise<void> {
  const teardown: (() => Promise<void>)[] = [];
  try {
    const database = await startSeededDatabase(dataCache, options.postings, print);
    teardown.push(() => database.stop());
    for (const line of await describeEnvironment(await versionOf(database.url))) print(line);
    print(
      `run: ${options.rounds} rounds x ${options.durationSeconds} s per contender, after a ${options.warmupSeconds} s ` +
        `warm-up each; ${options.connections} connections; DB pool of ${options.poolMax} for every search contender; ` +
        `wrk threads: ${options.wrkThreads}; ${options.postings} postings`,
    );

    const app = await startApp(database.url, options.poolMax, print);
    if (app) teardown.push(() => app.stop());
    const fastapi = await startFastApi(database.url, options.poolMax);
    teardown.push(() => fastapi.stop());
    const bare = await startBare(new URL("/healthz", (app ?? fastapi).baseUrl));
    teardown.push(() => bare.stop());
    const direct = await startDirectSearch(database.url, options.poolMax);
    teardown.push(() => direct.stop());

    await checkSameAnswers(database.url, app, fastapi, print);

    const settings: LoadSettings = {
      connections: options.connections,
      wrkThreads: options.wrkThreads,
      postgresPid: database.postmasterPid,
    };
    const searchPaths = searchQueries.map(searchPath);
    const contenders: Contender[] = [
      ...(app ? [httpContender("app-healthz", app, ["/healthz"], settings)] : []),
      httpContender("bare-healthz", bare, ["/healthz"], settings),
      httpContender("fastapi-healthz", fastapi, ["/healthz"], settings),
      ...(app ? [httpContender("app-search", app, searchPaths, settings)] : []),
      directContender(direct, settings),
      httpContender("fastapi-search", fastapi, searchPaths, settings),
    ];
    const records = await measure(contenders, options, print);
    print("");
    print(renderReport(records, options.connections));
  } finally {
    for (const stop of teardown.reverse()) await stop().catch(() => {});
  }
}

async function versionOf(url: string): Promise<string> {
  const sql = postgres(url, { max: 1 });
  try {
    const [row] = await sql<{ version: string }[]>`select version()`;
    return row?.version.split(" on ")[0] ?? "unknown";
  } finally {
    await sql.end();
  }
}

/** The production app with all its middleware, as `npm start` runs it but on the benchmark's database. */
async function startApp(
  databaseUrl: string,
  poolMax: number,
  print: (line: string) => void,
): Promise<ServerProcess | undefined> {
  if (!existsSync(appEntry)) {
    print(`${appEntry} does not exist yet: the app's contenders are left out`);
    return undefined;
  }
  const port = await freePort();
  return startServer({
    name: "the app",
    command: process.execPath,
    args: ["--import", "tsx", appEntry],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      DB_POOL_MAX: String(poolMax),
      LOG_LEVEL: "info",
    },
    port,
    readyPath: "/readyz",
  });
}

async function startFastApi(databaseUrl: string, poolMax: number): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: "FastAPI",
    command: python,
    // uvicorn's defaults otherwise (one worker, access log on), as the seed's image ran it.
    args: [
      "-m",
      "uvicorn",
      "app:app",
      "--app-dir",
      "bench/server/fastapi",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    env: { ...process.env, DATABASE_URL: databaseUrl, POOL_MAX: String(poolMax) },
    port,
    readyPath: "/healthz",
  });
}

async function startBare(recordFrom: URL): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: "bare node:http",
    command: process.execPath,
    args: ["--import", "tsx", "bench/server/bare-server.ts"],
    env: {
      ...process.env,
      BENCH_PORT: String(port),
      BENCH_RESPONSE: JSON.stringify(await recordResponse(recordFrom)),
    },
    port,
    readyPath: "/healthz",
  });
}

/** A ratio between contenders means something only if they do the same work: same postings, same cursor. */
async function checkSameAnswers(
  databaseUrl: string,
  app: ServerProcess | undefined,
  fastapi: ServerProcess,
  print: (line: string) => void,
): Promise<void> {
  const direct = openDirectSearch(databaseUrl, 1);
  const reference: SearchAnswer[] = [];
  try {
    for (const query of searchQueries) {
      const page = await direct.search(query);
      reference.push({ ids: page.items.map((item) => item.id), nextCursor: page.nextCursor });
    }
  } finally {
    await direct.close();
  }
  const answersOf = (server: ServerProcess) =>
    Promise.all(searchQueries.map((query) => fetchAnswer(server.baseUrl, query)));
  const problems = [
    ...(app ? differences(searchQueries, reference, await answersOf(app), "the app") : []),
    ...differences(searchQueries, reference, await answersOf(fastapi), "FastAPI"),
  ];
  if (reference.every((answer) => answer.ids.length === 0))
    problems.push("every benchmark search came back empty");
  if (problems.length > 0) throw new Error(`the contenders do not do the same work:\n${problems.join("\n")}`);
  const rows = reference.reduce((sum, answer) => sum + answer.ids.length, 0);
  print(
    `same answers: ${searchQueries.length} searches (${rows} postings in all) agree across the contenders`,
  );
}

async function measure(contenders: Contender[], options: BenchOptions, print: (line: string) => void) {
  for (const contender of contenders) {
    await contender.run(options.warmupSeconds);
    await sleep(settleMs);
  }
  const records: Records = {};
  for (let round = 0; round < options.rounds; round++) {
    // Each round starts with the next contender, so none always runs first or right after the same one.
    const order = contenders.map((_, index) => contenders[(index + round) % contenders.length] as Contender);
    for (const contender of order) {
      const record = await contender.run(options.durationSeconds);
      await sleep(settleMs);
      records[contender.id] = [...(records[contender.id] ?? []), record];
      const { requestsPerSecond, p99Ms, errors } = record.result;
      print(
        `round ${round + 1}/${options.rounds} ${contender.id.padEnd(16)} ${requestsPerSecond.toFixed(0).padStart(7)} req/s` +
          `  p99 ${p99Ms.toFixed(2)} ms${errors > 0 ? `  ${errors} failed` : ""}`,
      );
    }
  }
  return records;
}
