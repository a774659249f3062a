// The benchmark's target in its own process (so it does not share an event loop with the clients it
// measures): the smoke-test stand-in, /healthz trivial, /latency on the known delay schedule.
// Prints its URL on stdout, serves until stdin closes.
import { startStandIn } from "../../../actions/smoke-test/test-support/stand-in.ts";
import { DELAY_SCHEDULE } from "./distribution.ts";

const standIn = await startStandIn({ delays: DELAY_SCHEDULE });
process.stdout.write(`${JSON.stringify({ url: standIn.url })}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void standIn.close().then(() => process.exit(0));
});
