import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { recordResponse } from "./canned-response.ts";
import {
  type Contender,
  directContender,
  httpContender,
  type LoadSettings,
  underScrapeFlood,
} from "./contenders.ts";
import { startSeededDatabase } from "./database.ts";
import { startDirectSearch } from "./direct-client.ts";
import { describeEnvironment } from "./environment.ts";
import type { BenchOptions } from "./options.ts";
import { searchPath, searchQueries } from "./queries.ts";
import { type Records, renderReport } from "./report.ts";
import { checkSameAnswers } from "./same-answers.ts";
import { startScrapeFlood } from "./scrape-flood.ts";
import { startApp, startBare, startFastApi } from "./servers.ts";

const dataCache = ".data/bench-server";
/** Connections the metrics scrape flood uses (a handful of misconfigured scrapers). */
const floodConnections = 4;
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
        `wrk threads: ${options.wrkThreads}; ${options.postings} postings; metrics scrape flood: ` +
        `${options.scrapeRate}/s over ${floodConnections} connections`,
    );

    const app = await startApp(database.url, options.poolMax, print);
    if (app) {
      teardown.push(() => app.stop());
      print(`the app runs as ${app.runs}`);
    }
    const fastapi = await startFastApi(database.url, options.poolMax);
    teardown.push(() => fastapi.stop());
    const healthz = await recordResponse(new URL("/healthz", (app ?? fastapi).baseUrl));
    print(
      `bare node:http replays ${app ? "the app" : "FastAPI"}'s /healthz: status ${healthz.status}, ` +
        `${Object.keys(healthz.headers).length} headers (${Object.keys(healthz.headers).join(", ")}), ${healthz.body.length}-byte body`,
    );
    const bare = await startBare(healthz);
    teardown.push(() => bare.stop());
    const direct = await startDirectSearch(database.url, options.poolMax);
    teardown.push(() => direct.stop());

    const servers = [...(app ? [{ name: "the app", baseUrl: app.baseUrl }] : []), fastapi];
    const compared = await checkSameAnswers(database.url, servers);
    print(
      `same answers: ${compared} postings from ${searchQueries.length} searches and their second pages agree`,
    );

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
      ...(app
        ? [
            underScrapeFlood(
              "app-search-scraped",
              httpContender("app-search", app, searchPaths, settings),
              () => startScrapeFlood(app.metricsUrl, options.scrapeRate, floodConnections),
            ),
          ]
        : []),
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
