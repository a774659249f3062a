// The platform process `npm run platform -- up` starts in the background: runs every component until
// SIGTERM/SIGINT, then stops them in reverse order. Logs go to stdout (the CLI points it at platform.log).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { RuntimeName } from "../component/component.ts";
import { defaultPodNetwork, type RunningPlatform, startPlatform } from "./start-platform.ts";
import { portPath, removeRecord, writeRecord } from "./state-files.ts";

const { values } = parseArgs({
  options: {
    "state-dir": { type: "string" },
    runtime: { type: "string", default: "simulated" },
    port: { type: "string" },
    "pod-bridge": { type: "string" },
    "pod-cidr": { type: "string" },
    "aks-local-accounts": { type: "string", default: "on" },
    database: { type: "boolean", default: false },
  },
});
const stateDir = values["state-dir"];
if (!stateDir) throw new Error("--state-dir is required");
const runtime = values.runtime as RuntimeName;
const podNetwork = {
  bridge: values["pod-bridge"] ?? defaultPodNetwork.bridge,
  cidr: values["pod-cidr"] ?? defaultPodNetwork.cidr,
};
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

const aksLocalAccounts = values["aks-local-accounts"] !== "off";
const options = {
  stateDir,
  runtime,
  log,
  aksLocalAccounts,
  database: values.database,
  podNetwork,
};

/** The port of the previous run when free, so kubeconfigs written before a restart keep working. */
async function start(): Promise<RunningPlatform> {
  const previous =
    values.port ??
    (existsSync(portPath(stateDir ?? "")) ? readFileSync(portPath(stateDir ?? ""), "utf8").trim() : "0");
  try {
    return await startPlatform({ ...options, port: Number(previous) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || values.port !== undefined) throw error;
    log(`port ${previous} is taken; using a free one`);
    return startPlatform({ ...options, port: 0 });
  }
}

const platform = await start();
writeFileSync(portPath(stateDir), new URL(platform.url).port);
writeRecord(stateDir, {
  pid: process.pid,
  url: platform.url,
  kubeconfig: platform.kubeconfigPath,
  components: [...platform.components],
  runtime,
  aksLocalAccounts,
  database: values.database,
  startedAt: new Date().toISOString(),
});
log(`platform ready: ${platform.url} (${platform.components.join(", ")})`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  await platform.stop();
  removeRecord(stateDir);
  log("stopped");
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
