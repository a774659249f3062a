// `npm run --silent platform -- up|down|status [--runtime simulated|docker] [--port N]`
// up: starts the platform daemon in the background, waits until it is ready, prints KUBECONFIG=<path>
// as the last line. status: exit 0 when it runs, 4 when it does not. down: stops what up started. Bad usage:
// exit 3 (docs/exit-codes.md). State: PLATFORM_HOME or .platform/ under the working directory.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ExitCode } from "../common/exit-code.ts";
import { reapLeftoverDaemons } from "../docker-engine/leftover-daemons.ts";
import { platformHome } from "../tls/state-home.ts";
import {
  type DaemonRecord,
  daemonScript,
  isDaemon,
  logPath,
  recordPath,
  removeRecord,
  runningDaemon,
} from "./state-files.ts";

const usage =
  "usage: npm run --silent platform -- up|down|status [--runtime simulated|docker] [--port N] [--pod-bridge NAME --pod-cidr CIDR] [--aks-local-accounts on|off] [--database]";

/** The flags; one that parseArgs refuses (unknown, without its value) is bad usage: its message, the usage, exit 3. */
function commandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        runtime: { type: "string", default: "simulated" },
        port: { type: "string" },
        "pod-bridge": { type: "string" },
        "pod-cidr": { type: "string" },
        "aks-local-accounts": { type: "string", default: "on" },
        database: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(ExitCode.InvalidInput);
  }
}

const { values, positionals } = commandLine();
const command = positionals[0];
const stateDir = platformHome();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describe(record: DaemonRecord): string {
  const accounts = record.aksLocalAccounts === false ? ", AKS local accounts off" : "";
  return `platform running: pid ${record.pid}, API ${record.url}, runtime ${record.runtime}${accounts}, components ${record.components.join(", ")}, state ${stateDir}`;
}

function logTail(): string {
  const path = logPath(stateDir);
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").slice(-20).join("\n") : "";
}

async function up(): Promise<number> {
  const running = runningDaemon(stateDir);
  if (running) {
    console.log(describe(running));
    console.log(`KUBECONFIG=${running.kubeconfig}`);
    return 0;
  }
  if (values.runtime !== "simulated" && values.runtime !== "docker") {
    console.error(`unknown runtime "${values.runtime}": use simulated or docker`);
    return ExitCode.InvalidInput;
  }
  const localAccounts = values["aks-local-accounts"];
  if (localAccounts !== "on" && localAccounts !== "off") {
    console.error(`--aks-local-accounts "${localAccounts}": use on or off`);
    return ExitCode.InvalidInput;
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  removeRecord(stateDir);
  const log = openSync(logPath(stateDir), "a", 0o600);
  const daemon = join(dirname(fileURLToPath(import.meta.url)), daemonScript);
  const args = [
    "--import",
    import.meta.resolve("tsx"),
    daemon,
    "--state-dir",
    stateDir,
    "--runtime",
    values.runtime,
  ];
  if (values.port) args.push("--port", values.port);
  if (values["pod-bridge"]) args.push("--pod-bridge", values["pod-bridge"]);
  if (values["pod-cidr"]) args.push("--pod-cidr", values["pod-cidr"]);
  args.push("--aks-local-accounts", localAccounts);
  if (values.database) args.push("--database");
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", log, log] });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  child.unref();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !exited) {
    const record = runningDaemon(stateDir);
    if (record && record.pid === child.pid) {
      console.log(describe(record));
      console.log(`KUBECONFIG=${record.kubeconfig}`);
      return 0;
    }
    await sleep(100);
  }
  console.error(`the platform did not start (log: ${logPath(stateDir)}):\n${logTail()}`);
  if (!exited && child.pid !== undefined) process.kill(child.pid, "SIGTERM");
  return 1;
}

/**
 * Stops the daemon, then every daemon the platform started whose owners have all died (here or in any
 * other state folder or test: e.g. the engine and registry of a daemon that was killed).
 */
async function down(): Promise<number> {
  const code = await stopDaemonOfRecord();
  for (const leftover of await reapLeftoverDaemons()) console.log(`stopped leftover ${leftover}`);
  return code;
}

async function stopDaemonOfRecord(): Promise<number> {
  if (!existsSync(recordPath(stateDir))) {
    console.log("platform is not running");
    return 0;
  }
  const record = JSON.parse(readFileSync(recordPath(stateDir), "utf8")) as DaemonRecord;
  if (!isDaemon(record.pid)) {
    removeRecord(stateDir);
    console.log("platform is not running");
    return 0;
  }
  process.kill(record.pid, "SIGTERM");
  const deadline = Date.now() + 60_000;
  while (isDaemon(record.pid) && Date.now() < deadline) await sleep(100);
  if (isDaemon(record.pid)) {
    process.kill(record.pid, "SIGKILL");
    removeRecord(stateDir);
    console.log(`platform (pid ${record.pid}) did not stop within 60 s: killed`);
    return 1;
  }
  console.log(`platform stopped (pid ${record.pid})`);
  return 0;
}

function status(): number {
  const record = runningDaemon(stateDir);
  if (!record) {
    console.log("platform is not running");
    return ExitCode.NotStarted;
  }
  console.log(describe(record));
  console.log(`KUBECONFIG=${record.kubeconfig}`);
  return 0;
}

if (values.help || !command || !["up", "down", "status"].includes(command)) {
  console.error(usage);
  process.exitCode = values.help ? ExitCode.Ok : ExitCode.InvalidInput;
} else {
  process.exitCode = command === "up" ? await up() : command === "down" ? await down() : status();
}
