import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cliHelp, parseCliFlags, runCliAction } from "./cli.ts";
import type { ActionDefinition } from "./definition.ts";
import { ExitCode } from "./exit-code.ts";
import { listInput, requiredInput } from "./inputs.ts";

interface EchoConfig {
  readonly name: string;
  readonly tags: readonly string[];
  readonly token: string | undefined;
}

// A definition exercising every entry feature: required input, multiline, boolean, secret from env.
const echo: ActionDefinition<EchoConfig, { greeting: string; healthy: boolean }> = {
  name: "echo",
  description: "Greets.",
  inputs: [
    { name: "name", description: "Who to greet.", required: true },
    { name: "tag", description: "Tags.", kind: "multiline" },
    { name: "dry-run", description: "Only check.", kind: "boolean", default: "false" },
  ],
  secretEnv: ["ECHO_TOKEN"],
  parse(inputs, env) {
    const problems: { message: string; file?: string }[] = [];
    const name = requiredInput(inputs, "name", problems);
    if (name === undefined) return { ok: false, problems };
    return { ok: true, config: { name, tags: listInput(inputs, "tag"), token: env.ECHO_TOKEN } };
  },
  async run(config, context) {
    const runtimeToken = "learnt-at-run-time";
    context.secret(runtimeToken);
    await context.log.group("greeting", async () => {
      context.log.info(`hello ${config.name} (token ${config.token}, session ${runtimeToken})`);
    });
    return { greeting: `hello ${config.name} ${config.tags.join(",")}`, healthy: config.name !== "sick" };
  },
  outputs: (result) => ({ greeting: result.greeting }),
  summary: (result) => `## echo\n${result.greeting}`,
  exitCode: (result) => (result.healthy ? ExitCode.Ok : ExitCode.RolledBack),
};

function capture() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    streams: {
      stdout: (text: string) => (out.stdout += text),
      stderr: (text: string) => (out.stderr += text),
    },
  };
}

const neverAborted = new AbortController().signal;

test("flags mirror the inputs: repeatable multiline, boolean switches, report and summary", () => {
  const parsed = parseCliFlags(echo, [
    "--name",
    "ada",
    "--tag",
    "a",
    "--tag",
    "b",
    "--dry-run",
    "--report",
    "r.json",
  ]);
  assert.deepEqual(parsed, {
    help: false,
    inputs: { name: "ada", tag: ["a", "b"], "dry-run": "true", report: "r.json" },
  });
});

test("a boolean switch can be turned off with --no-<name>, as GitHub's `dry-run: false`", () => {
  assert.deepEqual(parseCliFlags(echo, ["--name", "ada", "--no-dry-run"]), {
    help: false,
    inputs: { name: "ada", "dry-run": "false" },
  });
});

test("an unknown flag is bad input (exit 3) with the parser's message", async () => {
  const { out, streams } = capture();
  const code = await runCliAction(echo, ["--nme", "ada"], {}, streams, neverAborted);
  assert.equal(code, ExitCode.InvalidInput);
  assert.match(out.stderr, /^error: Unknown option '--nme'/);
  assert.match(out.stderr, /Run with --help for the flags\./);
});

test("--help lists every flag with its description, defaults and the secret variables", async () => {
  const { out, streams } = capture();
  assert.equal(await runCliAction(echo, ["--help"], {}, streams, neverAborted), ExitCode.Ok);
  assert.equal(out.stdout, cliHelp(echo));
  assert.match(out.stdout, /--name <value>\s+Who to greet\. \(required\)/);
  assert.match(out.stdout, /--tag <value> \(repeatable\)/);
  assert.match(out.stdout, /--dry-run, --no-dry-run\s+Only check\. \(default: false\)/);
  assert.match(out.stdout, /environment only: ECHO_TOKEN/);
});

test("missing required input: exit 3, the problem named, report says invalid", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-test-"));
  const { out, streams } = capture();
  const code = await runCliAction(
    echo,
    ["--report", join(dir, "r.json"), "--summary", join(dir, "s.md")],
    {},
    streams,
    neverAborted,
  );
  assert.equal(code, ExitCode.InvalidInput);
  assert.match(out.stderr, /error: input name: is required/);
  const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
  assert.deepEqual(report.outcome, {
    result: "invalid",
    problems: [{ file: "input name", message: "is required" }],
  });
  assert.equal(report.exitCode, 3);
  assert.match(
    readFileSync(join(dir, "s.md"), "utf8"),
    /Nothing was applied or sent\.[\s\S]*- input name: is required/,
  );
});

test("a run: outputs printed, groups indented, secrets from env and run time redacted everywhere", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-test-"));
  const { out, streams } = capture();
  const code = await runCliAction(
    echo,
    ["--name", "ada", "--tag", "x", "--report", join(dir, "r.json")],
    { ECHO_TOKEN: "env-secret-value" },
    streams,
    neverAborted,
  );
  assert.equal(code, ExitCode.Ok);
  assert.match(out.stdout, /== greeting\n {2}hello ada \(token \*\*\*, session \*\*\*\)/);
  assert.match(out.stdout, /output greeting=hello ada x/);
  assert.doesNotMatch(out.stdout + out.stderr, /env-secret-value|learnt-at-run-time/);
  const report = readFileSync(join(dir, "r.json"), "utf8");
  assert.equal(JSON.parse(report).outcome.greeting, "hello ada x");
});

test("the exit code comes from the result", async () => {
  const { streams } = capture();
  assert.equal(await runCliAction(echo, ["--name", "sick"], {}, streams, neverAborted), ExitCode.RolledBack);
});

test("an unexpected failure is exit 2 with the message, never a stack trace", async () => {
  const failing: typeof echo = {
    ...echo,
    async run() {
      throw new Error("socket hang up");
    },
  };
  const { out, streams } = capture();
  assert.equal(
    await runCliAction(failing, ["--name", "ada"], {}, streams, neverAborted),
    ExitCode.RollbackFailed,
  );
  assert.match(out.stderr, /error: echo failed unexpectedly: socket hang up/);
  assert.doesNotMatch(out.stderr, /at .*\.ts:\d+/);
});
