import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { openSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import pino from "pino";
import { type LineSink, TurnBatchedDestination } from "./log-destination.ts";

function recordingSink(): LineSink & { writes: string[]; syncFlushes: number } {
  const sink = {
    writes: [] as string[],
    syncFlushes: 0,
    flushSync() {
      sink.syncFlushes++;
    },
    write(text: string) {
      sink.writes.push(text);
    },
  };
  return sink;
}

describe("TurnBatchedDestination", () => {
  test("the lines of one event-loop turn reach the sink as one write, in order", async () => {
    const sink = recordingSink();
    const destination = new TurnBatchedDestination(sink, 1);
    destination.write("a\n");
    destination.write("b\n");
    assert.deepEqual(sink.writes, []);
    await new Promise(setImmediate);
    assert.deepEqual(sink.writes, ["a\nb\n"]);
    destination.write("c\n");
    await new Promise(setImmediate);
    assert.deepEqual(sink.writes, ["a\nb\n", "c\n"]);
  });

  test("flush hands on the pending lines at once and has the sink write them before it returns", async () => {
    const sink = recordingSink();
    const destination = new TurnBatchedDestination(sink, 1);
    destination.write("last\n");
    let flushed = false;
    destination.flush(() => {
      flushed = true;
    });
    assert.deepEqual(sink.writes, ["last\n"]);
    assert.equal(sink.syncFlushes, 1);
    assert.equal(flushed, true);
    await new Promise(setImmediate);
    assert.deepEqual(sink.writes, ["last\n"], "nothing is written twice");
  });

  test("an error line is handed on and flushed synchronously, after the lines before it", () => {
    const sink = recordingSink();
    const logger = pino({ base: null, timestamp: false }, new TurnBatchedDestination(sink, 1));
    logger.info("before");
    logger.error("failed");
    assert.deepEqual(
      sink.writes.map((text) =>
        text
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line).msg),
      ),
      [["before", "failed"]],
    );
    assert.equal(sink.syncFlushes, 1);
  });

  test("at low traffic, what the sink holds is flushed on a timer", async () => {
    const sink = recordingSink();
    const destination = new TurnBatchedDestination(sink, 1, 10);
    destination.write("quiet\n");
    while (sink.syncFlushes === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(sink.writes, ["quiet\n"]);
    const flushes = sink.syncFlushes;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sink.syncFlushes, flushes, "nothing new, no flush");
  });

  test("through pino and sonic-boom, every line lands in the file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cjh-log-"));
    try {
      const file = join(dir, "log.jsonl");
      const fd = openSync(file, "a");
      const sonic = pino.destination({ dest: fd, sync: false, minLength: 4096 });
      const logger = pino({ base: null }, new TurnBatchedDestination(sonic, fd));
      for (let i = 0; i < 1000; i++) logger.info({ i });
      await new Promise(setImmediate);
      logger.info({ i: 1000 });
      logger.flush();
      sonic.end();
      await once(sonic, "close");
      // Every line, once. Their order is not promised: a flush writes at once, and can land before a batch
      // sonic-boom is still writing asynchronously (server/README.md, "Logs").
      const lines = (await readFile(file, "utf8"))
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).i as number)
        .sort((a, b) => a - b);
      assert.deepEqual(
        lines,
        Array.from({ length: 1001 }, (_, i) => i),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("lines still pending when the process exits are written out", () => {
    const script = [
      'import pino from "pino";',
      'import { TurnBatchedDestination } from "./server/http/log-destination.ts";',
      "const logger = pino({ base: null }, new TurnBatchedDestination(pino.destination({ dest: 1, sync: false, minLength: 4096 }), 1));",
      'logger.info("before exit");',
      "process.exit(3);",
    ].join("\n");
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    assert.equal(child.status, 3, child.stderr);
    assert.equal(JSON.parse(child.stdout).msg, "before exit");
  });
});
