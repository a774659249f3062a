// npm run bench:server [-- --rounds N --duration S ...]: the API against its baselines; see README.md.

import { ExitCode, runCli } from "../../local/common/exit-code.ts";
import { runBenchmark } from "./benchmark.ts";
import { parseOptions } from "./options.ts";

await runCli(async (argv) => {
  await runBenchmark(parseOptions(argv), (line) => console.log(line));
  return ExitCode.Ok;
});
