import assert from "node:assert/strict";
import { test } from "node:test";
import { parseArgs } from "node:util";
import { ExitCode as PipelineExitCode } from "../../actions/lib/entry/exit-code.ts";
import { execFileAsync } from "./exec-file.ts";
import { ExitCode, exitCodeOf, InvalidInputError, NotStartedError } from "./exit-code.ts";

test("the codes are the pipeline steps' own, minus the pipeline's 'rollback failed too'", () => {
  assert.deepEqual(ExitCode, { Ok: 0, Failed: 1, InvalidInput: 3, NotStarted: 4 });
  assert.equal(ExitCode.Ok, PipelineExitCode.Ok);
  assert.equal(ExitCode.Failed, PipelineExitCode.RolledBack);
  assert.equal(ExitCode.InvalidInput, PipelineExitCode.InvalidInput);
  assert.equal(ExitCode.NotStarted, PipelineExitCode.NotStarted);
});

test("bad input and a flag parseArgs refuses exit 3, a missing prerequisite 4, anything else 1", () => {
  assert.equal(exitCodeOf(new InvalidInputError("--port: not a number")), 3);
  assert.equal(exitCodeOf(new NotStartedError("the platform is not running")), 4);
  const unknownFlag = (() => {
    try {
      parseArgs({ args: ["--nme"], options: { name: { type: "string" } } });
    } catch (error) {
      return error;
    }
  })();
  assert.equal(exitCodeOf(unknownFlag), 3);
  assert.equal(exitCodeOf(new Error("ECONNRESET")), 1);
  assert.equal(exitCodeOf("a string"), 1);
});

/** Runs `body` as a command-line entry's main in a process of its own; its code and stderr. */
async function entry(body: string): Promise<{ code: number; stderr: string }> {
  const script = `import { runCli, InvalidInputError } from ${JSON.stringify(import.meta.resolve("./exit-code.ts"))};
await runCli(async () => { ${body} });`;
  const child = execFileAsync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
  return child.then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

test("runCli: the resolved number is the exit code; a thrown error is one line, no stack, and its code", async () => {
  assert.deepEqual(await entry("return 0;"), { code: 0, stderr: "" });
  assert.deepEqual(await entry("return 4;"), { code: 4, stderr: "" });
  assert.deepEqual(await entry('throw new InvalidInputError("--port: \\"x\\" is not a number");'), {
    code: 3,
    stderr: '--port: "x" is not a number\n',
  });
  assert.deepEqual(await entry('throw new Error("the daemon did not start");'), {
    code: 1,
    stderr: "the daemon did not start\n",
  });
});
