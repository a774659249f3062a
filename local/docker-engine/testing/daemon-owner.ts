// Test support: a process that starts a daemon (a sleeper) and then lives until it is killed, to show what
// happens to daemons whose owner dies. Usage: daemon-owner.ts <dir>; prints {"pid": N} once it runs.
import { join } from "node:path";
import { startDaemon } from "../daemon-process.ts";

const dir = process.argv[2] ?? "";
const pid = await startDaemon({
  command: "sh",
  args: ["-c", "exec sleep 600"],
  logPath: join(dir, "sleeper.log"),
  pidFile: join(dir, "sleeper.pid"),
  ready: async () => true,
  readyTimeoutMs: 5000,
  what: "sleeper",
  removeDir: dir,
});
console.log(JSON.stringify({ pid }));
setInterval(() => undefined, 60_000);
