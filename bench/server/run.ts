// npm run bench:server [-- --rounds N --duration S ...]: the API against its baselines; see README.md.
import { runBenchmark } from "./benchmark.ts";
import { parseOptions } from "./options.ts";

try {
  await runBenchmark(parseOptions(process.argv.slice(2)), (line) => console.log(line));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
