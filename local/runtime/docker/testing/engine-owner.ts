// Test support: a process that starts a private test engine and then lives until it is killed (as a test
// process killed mid-run). Prints {"socketPath": "..."} once the engine answers.
import { startTestEngine } from "./test-engine.ts";

const engine = await startTestEngine();
console.log(JSON.stringify({ socketPath: engine.socketPath }));
setInterval(() => undefined, 60_000);
