// The benchmark's target in its own process (so it does not share an event loop with the clients it
// measures): the smoke-test stand-in, /healthz trivial, /latency on the known delay schedule.
// Prints its URL on stdout; on each "served" line from stdin prints the percentiles of the latency path's
// responses as the target itself timed them (arrival to end, timers' lateness included) and starts afresh.
// Serves until stdin closes.
import { createInterface } from "node:readline";
import { percentilesOf } from "../../../actions/smoke-test/latency/measure.ts";
import { startStandIn } from "../../../actions/smoke-test/testing/stand-in.ts";
import { DELAY_SCHEDULE } from "./distribution.ts";

const standIn = await startStandIn({ delays: DELAY_SCHEDULE });
process.stdout.write(`${JSON.stringify({ url: standIn.url })}\n`);
const commands = createInterface({ input: process.stdin });
commands.on("line", (line) => {
  if (line.trim() !== "served") return;
  process.stdout.write(`${JSON.stringify(percentilesOf(standIn.served))}\n`);
  standIn.served.reset();
});
commands.on("close", () => {
  void standIn.close().then(() => process.exit(0));
});
